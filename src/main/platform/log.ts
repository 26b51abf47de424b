import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * The one logger of the engine and the command (pino): levels, one child per part (`log.child({ part:
 * 'broker' })`), one line per event with its fields. Parts receive it where they are built and never create
 * their own; what a command prints for its user (the serve banner, an export's result) is not logging and
 * goes to stdout as plain text.
 */
export type Log = Logger;

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LogOptions {
  level?: LogLevel;
  /** `text`: a readable line per event (the default on a terminal); `json`: pino's own lines, one object each. */
  format?: LogFormat;
  /** Where the lines go (default stderr, so a command's own output on stdout stays clean). */
  to?: { write(line: string): unknown };
}

const NAME_OF: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every line has, shown in the text format by their place rather than as key=value. */
const SHOWN = new Set(['level', 'time', 'msg', 'part', 'pid', 'hostname', 'err']);

/** A pino JSON line as one readable line: `12:04:05.120 WARN  [broker] message key=value`. */
export function readableLine(json: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    // Not pino's (cannot happen with this logger's own stream): show it as it came.
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const time = new Date(Number(o.time)).toISOString().slice(11, 23);
  const level = (NAME_OF[Number(o.level)] ?? String(o.level)).padEnd(5);
  const part = o.part ? `[${String(o.part)}] ` : '';
  const fields = Object.entries(o)
    .filter(([k]) => !SHOWN.has(k))
    .map(([k, v]) => ` ${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('');
  const err = o.err as { message?: string; stack?: string } | undefined;
  const cause = err ? `: ${err.message ?? ''}` : '';
  return `${time} ${level} ${part}${String(o.msg ?? '')}${cause}${fields}\n`;
}

export function createLog(opts: LogOptions = {}): Log {
  // Synchronous on stderr: a line written just before the process exits (`stopped`, a fatal error) is not lost.
  const to = opts.to ?? pino.destination({ dest: 2, sync: true });
  const stream: DestinationStream = opts.format === 'json' ? { write: (line) => void to.write(line) } : { write: (line) => void to.write(readableLine(line)) };
  return pino({ level: opts.level ?? 'info' }, stream);
}

/** A logger that writes nothing: for parts built in tests and tools that do not care what they say. */
export const silentLog: Log = pino({ level: 'silent' });

/** The `(what, error)` port some parts report failures through, writing to `log` at error level. */
export const reportErrors =
  (log: Log) =>
  (what: string, e: unknown): void =>
    log.error({ err: e }, what);
