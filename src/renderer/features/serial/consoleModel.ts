import type { ConsoleLine } from '../../../shared/serialContract';

/** Lines the view keeps per port (the engine keeps more, and the log file all). */
export const VIEW_CAPACITY = 100_000;

/**
 * The console's data, outside React: lines arrive in batches thousands of times faster than the screen
 * refreshes, so they are appended here and the view re-renders at most once per frame. Pausing freezes
 * what is shown while input keeps being collected; a search filters without copying every line each frame.
 */
export class ConsoleModel {
  private lines: ConsoleLine[] = [];
  private frozen: ConsoleLine[] | null = null;
  private filtered: { query: string; source: ConsoleLine[]; length: number; result: ConsoleLine[] } | null = null;
  version = 0;
  received = 0;

  append(batch: ConsoleLine[]): void {
    if (!batch.length) return;
    const last = this.lines.at(-1)?.seq ?? -1;
    const fresh = batch[0].seq > last ? batch : batch.filter((l) => l.seq > last);
    for (const l of fresh) this.lines.push(l);
    this.received += fresh.length;
    if (this.lines.length > VIEW_CAPACITY * 1.1) this.lines = this.lines.slice(-VIEW_CAPACITY);
    if (!this.frozen) this.version++;
  }

  get lastSeq(): number {
    return this.lines.at(-1)?.seq ?? -1;
  }

  get paused(): boolean {
    return this.frozen !== null;
  }

  /** Lines that arrived while paused. */
  get held(): number {
    return this.frozen ? this.lines.length - this.frozen.length : 0;
  }

  setPaused(paused: boolean): void {
    this.frozen = paused ? this.lines.slice() : null;
    this.version++;
  }

  clear(): void {
    this.lines = [];
    this.frozen = this.frozen ? [] : null;
    this.filtered = null;
    this.version++;
  }

  /** What the view shows: every line, or those containing the query (case-insensitive, also in hex). */
  visible(query: string): ConsoleLine[] {
    const source = this.frozen ?? this.lines;
    const q = query.trim().toLowerCase();
    if (!q) return source;
    const f = this.filtered;
    // Appending only: filter the new tail instead of everything again.
    if (f && f.query === q && f.source === source && source.length >= f.length) {
      for (let i = f.length; i < source.length; i++) if (matches(source[i], q)) f.result.push(source[i]);
      f.length = source.length;
      return f.result;
    }
    const result = source.filter((l) => matches(l, q));
    this.filtered = { query: q, source, length: source.length, result };
    return result;
  }
}

const matches = (l: ConsoleLine, q: string) => l.text.toLowerCase().includes(q) || (l.hex?.includes(q) ?? false);

/** A line's bytes as hex pairs: the raw bytes when the engine kept them, else the text's UTF-8. */
export function hexOf(l: ConsoleLine): string {
  const hex = l.hex ?? [...new TextEncoder().encode(l.text)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return hex.replace(/(..)(?!$)/g, '$1 ');
}

/** The rows of a fixed-height list that are on screen, plus a few either side. */
export function windowOf(total: number, scrollTop: number, viewHeight: number, rowHeight: number, overscan = 20): { start: number; end: number } {
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(total, Math.ceil((scrollTop + viewHeight) / rowHeight) + overscan);
  return { start, end };
}
