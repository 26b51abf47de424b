import { sizeProblem } from './sources';
import { DomainError } from '../platform/domainError';

// Files dropped on the manuals page arrive in chunks (one RPC message each), in order; the last one
// completes the file. An upload left unfinished is dropped after a while.

const STALE_MS = 10 * 60_000;

export class UploadAssembler {
  private readonly uploads = new Map<string, { name: string; total: number; parts: Buffer[]; received: number; touched: number }>();

  /** Takes the chunk at `offset`; returns the whole file once the last chunk is in, else null. */
  put(uploadId: string, name: string, offset: number, total: number, data: Buffer): { received: number; file: Buffer | null } {
    const now = Date.now();
    for (const [id, u] of this.uploads) if (now - u.touched > STALE_MS) this.uploads.delete(id);
    if (offset === 0) {
      // Refused before a byte is kept, as `manuals add` refuses it before reading.
      const tooLarge = sizeProblem(total);
      if (tooLarge) throw new DomainError('too_large', `${name}: ${tooLarge}`);
      this.uploads.set(uploadId, { name, total, parts: [], received: 0, touched: now });
    }
    const u = this.uploads.get(uploadId);
    if (!u || u.name !== name || u.total !== total || u.received !== offset) {
      this.uploads.delete(uploadId);
      throw new DomainError('invalid', `upload of ${name} out of order at byte ${offset}: start again from 0`);
    }
    if (u.received + data.length > total) {
      this.uploads.delete(uploadId);
      throw new DomainError('invalid', `upload of ${name} is longer than the announced ${total} bytes`);
    }
    u.parts.push(data);
    u.received += data.length;
    u.touched = now;
    if (u.received < total) return { received: u.received, file: null };
    this.uploads.delete(uploadId);
    return { received: total, file: Buffer.concat(u.parts) };
  }
}
