import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { createLog, type Log } from './log';

export interface LogFileOptions {
  /** Size at which the file is rotated (rotating-file-stream's units: `10M`, `512K`). */
  size?: string;
  /** How many rotated files are kept beside the current one (`motortwin.log.1` is the newest). */
  keep?: number;
}

/**
 * The desktop app's log file in `dir` (Electron's logs folder, handed in by src/main/app/): `motortwin.log`,
 * rotated at 10 MB into motortwin.log.1 … .5, so a laptop that runs for months keeps a bounded, recent log.
 */
export function openLogFile(dir: string, opts: LogFileOptions = {}): RotatingFileStream {
  return createStream('motortwin.log', { path: dir, size: opts.size ?? '10M', rotate: opts.keep ?? 5 });
}

export interface AppLog {
  /** The desktop shell's own lines (part `app`). */
  log: Log;
  /** Copies another process's output (the engine's stdout or stderr) into the file, line by line, until it ends. */
  follow(input: NodeJS.ReadableStream, echo?: (line: string) => void): Promise<void>;
  /** Ends the file once every line written so far is in it. */
  close(): Promise<void>;
}

/**
 * One log file for the desktop app and its engine (JSON lines, pino's format). The engine logs JSON on its
 * stdio; each whole line is copied, so two streams never interleave within one and a rotation never splits
 * one. What the engine process prints that is not a log line (a Node warning, a native library's message)
 * is kept too, as a warning line of part `engine` with the text as its message, so every line parses.
 */
export function openAppLog(dir: string, opts: LogFileOptions = {}): AppLog {
  const file = openLogFile(dir, opts);
  const root = createLog({ format: 'json', to: file });
  const stray = root.child({ part: 'engine' });
  return {
    log: root.child({ part: 'app' }),
    async follow(input, echo) {
      const lines = createInterface({ input, crlfDelay: Infinity });
      lines.on('line', (line) => {
        if (!line.trim()) return;
        if (isLogLine(line)) file.write(`${line}\n`);
        else stray.warn({ unformatted: true }, line);
        echo?.(line);
      });
      await once(lines, 'close');
    },
    async close() {
      file.end();
      await finished(file);
    },
  };
}

function isLogLine(line: string): boolean {
  if (!line.startsWith('{')) return false;
  try {
    const o = JSON.parse(line) as unknown;
    return typeof o === 'object' && o !== null && typeof (o as { level?: unknown }).level === 'number';
  } catch {
    // Looked like JSON but is not: kept as unformatted text by the caller.
    return false;
  }
}
