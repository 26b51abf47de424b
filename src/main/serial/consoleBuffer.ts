import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { ConsoleLine } from '../../shared/serialContract';

/** Lines kept per port: about a minute at 5,000 lines/s would be more than any screen shows. */
export const CONSOLE_CAPACITY = 50_000;

/**
 * One port's console: a ring of recent lines with increasing sequence numbers, the lines not yet sent
 * to the UIs, and an optional log file that receives every line.
 */
export class ConsoleBuffer {
  private readonly ring: (ConsoleLine | undefined)[];
  private next = 0;
  private unsent: ConsoleLine[] = [];
  private log: { file: string; stream: WriteStream } | null = null;
  /** Lines pushed out of the ring before anyone read them. */
  dropped = 0;

  constructor(private readonly capacity = CONSOLE_CAPACITY) {
    this.ring = new Array(capacity);
  }

  get lastSeq(): number {
    return this.next - 1;
  }

  add(dir: ConsoleLine['dir'], text: string, extra: Pick<ConsoleLine, 'hex' | 'kind'> = {}, ts = Date.now()): ConsoleLine {
    const line: ConsoleLine = { seq: this.next, ts, dir, text, ...extra };
    const slot = this.next % this.capacity;
    if (this.ring[slot] !== undefined) this.dropped++;
    this.ring[slot] = line;
    this.next++;
    this.unsent.push(line);
    if (this.unsent.length > this.capacity) this.unsent.splice(0, this.unsent.length - this.capacity);
    this.log?.stream.write(`${new Date(ts).toISOString()} ${dir === 'rx' ? '<' : dir === 'tx' ? '>' : '#'} ${line.hex ? `[hex ${line.hex}]` : text}\n`);
    return line;
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
  }

  startLog(file: string): string {
    this.stopLog();
    mkdirSync(dirname(file), { recursive: true });
    this.log = { file, stream: createWriteStream(file, { flags: 'a' }) };
    return file;
  }

  stopLog(): void {
    this.log?.stream.end();
    this.log = null;
  }

  get logFile(): string | null {
    return this.log?.file ?? null;
  }
}
