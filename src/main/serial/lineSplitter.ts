/** A line longer than this is cut (a board printing without newlines must not grow memory forever). */
export const MAX_LINE_BYTES = 64 * 1024;

/**
 * Cuts a byte stream into lines at "\n" (a trailing "\r" is kept for the decoder to strip). Works on
 * bytes, not text, so a multi-byte character split across two reads is reassembled intact.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLine = MAX_LINE_BYTES) {}

  push(chunk: Buffer): Buffer[] {
    const lines: Buffer[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      lines.push(this.pendingBytes ? Buffer.concat([...this.pending, piece]) : piece);
      this.pending = [];
      this.pendingBytes = 0;
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.pending.push(Buffer.from(rest));
      this.pendingBytes += rest.length;
      if (this.pendingBytes >= this.maxLine) {
        lines.push(Buffer.concat(this.pending));
        this.pending = [];
        this.pendingBytes = 0;
      }
    }
    return lines;
  }
}
