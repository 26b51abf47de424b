import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { ConsoleLine } from '../../shared/serialContract';

/** Lines kept per port: about a minute at 5,000 lines/s would be more than any screen shows. */
export const CONSOLE_CAPACITY = 50_000;
/** Characters of one line the console keeps (the log file gets it whole): nobody reads a 64 KiB line. */
export const MAX_LINE_CHARS = 1024;
/** Characters kept in all (text and hex): a board printing 64 KiB without a newline must not fill memory. */
export const MAX_CONSOLE_CHARS = 8 * 2 ** 20;

// A copy, not a slice: a slice of a long string keeps the whole of it alive.
const cut = (s: string, max: number) => (s.length > max ? Buffer.from(`${s.slice(0, max)}… (${s.length} characters)`).toString() : s);
const charsOf = (l: ConsoleLine) => l.text.length + (l.hex?.length ?? 0);

/**
 * One port's console: a ring of recent lines with increasing sequence numbers, the lines not yet sent
 * to the UIs, and an optional log file that receives every line.
 */
export class ConsoleBuffer {
  private readonly ring: (ConsoleLine | undefined)[];
  private next = 0;
  /** Sequence number of the oldest line still held. */
  private oldest = 0;
  private chars = 0;
  private unsent: ConsoleLine[] = [];
  private log: { file: string; stream: WriteStream } | null = null;
  /** Why the last log ended by itself (a write that failed), null while it runs or after a clean stop. */
  logError: string | null = null;
  /** Lines pushed out of the ring before anyone read them. */
  dropped = 0;

  constructor(private readonly capacity = CONSOLE_CAPACITY) {
    this.ring = new Array(capacity);
  }

  get lastSeq(): number {
    return this.next - 1;
  }

  add(dir: ConsoleLine['dir'], text: string, extra: Pick<ConsoleLine, 'hex' | 'kind'> = {}, ts = Date.now()): ConsoleLine {
    this.log?.stream.write(`${new Date(ts).toISOString()} ${dir === 'rx' ? '<' : dir === 'tx' ? '>' : '#'} ${extra.hex ? `[hex ${extra.hex}]` : text}\n`);
    const line: ConsoleLine = { seq: this.next, ts, dir, text: cut(text, MAX_LINE_CHARS), ...extra };
    // Whole bytes of hex, then an ellipsis: the hex view pairs them up.
    if (line.hex !== undefined && line.hex.length > MAX_LINE_CHARS) line.hex = Buffer.from(`${line.hex.slice(0, MAX_LINE_CHARS)}…`).toString();
    const slot = this.next % this.capacity;
    const old = this.ring[slot];
    if (old !== undefined) this.forget(old);
    this.ring[slot] = line;
    this.chars += charsOf(line);
    this.next++;
    // Over the character budget, the oldest lines go first, as they would once the ring came round.
    while (this.chars > MAX_CONSOLE_CHARS && this.oldest < this.next - 1) {
      const o = this.ring[this.oldest % this.capacity];
      if (o && o.seq === this.oldest) {
        this.ring[this.oldest % this.capacity] = undefined;
        this.forget(o);
      } else this.oldest++;
    }
    this.unsent.push(line);
    if (this.unsent.length > this.capacity) this.unsent.splice(0, this.unsent.length - this.capacity);
    return line;
  }

  private forget(l: ConsoleLine): void {
    this.dropped++;
    this.chars -= charsOf(l);
    this.oldest = Math.max(this.oldest, l.seq + 1);
  }

  /** Lines after `afterSeq`, oldest first, at most `limit` (the newest ones when there are more). */
  since(afterSeq: number, limit: number): ConsoleLine[] {
    const first = Math.max(afterSeq + 1, this.next - this.capacity, this.next - limit, 0);
    const out: ConsoleLine[] = [];
    for (let s = first; s < this.next; s++) {
      const l = this.ring[s % this.capacity];
      if (l && l.seq === s) out.push(l);
    }
    return out;
  }

  /** The lines added since the last call, for one batched event. */
  takeUnsent(): ConsoleLine[] {
    const u = this.unsent;
    this.unsent = [];
    return u;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.unsent = [];
    this.chars = 0;
    this.oldest = this.next;
  }

  startLog(file: string): string {
    void this.stopLog();
    mkdirSync(dirname(file), { recursive: true });
    const stream = createWriteStream(file, { flags: 'a' });
    const log = { file, stream };
    // A disk that fills up or a folder taken away ends the log, never the engine; the console says why.
    stream.on('error', (e) => {
      if (this.log === log) this.log = null;
      this.logError = `logging to ${file} stopped: ${e.message}`;
      this.add('info', this.logError);
    });
    this.log = log;
    this.logError = null;
    return file;
  }

  /** Stops logging; resolves once what was logged is in the file. */
  stopLog(): Promise<void> {
    const log = this.log;
    this.log = null;
    if (!log) return Promise.resolve();
    return new Promise((resolve) => {
      log.stream.once('error', () => resolve());
      log.stream.end(resolve);
    });
  }

  get logFile(): string | null {
    return this.log?.file ?? null;
  }
}
