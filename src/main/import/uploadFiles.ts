import { appendFileSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { MAX_IMPORT_BYTES } from '../../shared/importContract';
import { DomainError } from '../platform/domainError';

// A trend export dropped on a motor page arrives in chunks, in order, and goes straight to a file in the data
// folder (a file of gigabytes is never held in memory). An upload left unfinished is removed after a while.

const STALE_MS = 60 * 60_000;
const KNOWN = /\.(csv|txt|tsv|parquet|parq)$/i;

interface Upload {
  name: string;
  total: number;
  received: number;
  path: string;
  touched: number;
}

export class UploadFiles {
  private readonly uploads = new Map<string, Upload>();

  constructor(private readonly dir: string) {}

  put(uploadId: string, name: string, offset: number, total: number, data: Buffer): { received: number; complete: boolean } {
    this.sweep();
    if (offset === 0) {
      if (!KNOWN.test(name)) throw new DomainError('invalid', `${name}: import takes CSV (.csv, .txt, .tsv) or Parquet (.parquet) trend exports`);
      if (total > MAX_IMPORT_BYTES) throw new DomainError('too_large', `${name}: ${total} bytes is more than the ${MAX_IMPORT_BYTES} an import takes`);
      mkdirSync(this.dir, { recursive: true });
      const path = join(this.dir, `${uploadId}${extname(name).toLowerCase()}`);
      writeFileSync(path, '');
      this.uploads.set(uploadId, { name, total, received: 0, path, touched: Date.now() });
    }
    const u = this.uploads.get(uploadId);
    if (!u || u.name !== name || u.total !== total || u.received !== offset) {
      this.drop(uploadId);
      throw new DomainError('invalid', `upload of ${name} out of order at byte ${offset}: start again from 0`);
    }
    if (u.received + data.length > total) {
      this.drop(uploadId);
      throw new DomainError('invalid', `upload of ${name} is longer than the announced ${total} bytes`);
    }
    appendFileSync(u.path, data);
    u.received += data.length;
    u.touched = Date.now();
    return { received: u.received, complete: u.received === total };
  }

  /** The file of a complete upload. */
  file(uploadId: string): { name: string; path: string } {
    const u = this.uploads.get(uploadId);
    if (!u || u.received !== u.total) throw new DomainError('not_found', `no complete upload "${uploadId}": upload the file first`);
    return { name: u.name, path: u.path };
  }

  drop(uploadId: string): void {
    const u = this.uploads.get(uploadId);
    this.uploads.delete(uploadId);
    if (u) rmSync(u.path, { force: true });
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, u] of this.uploads) if (now - u.touched > STALE_MS) this.drop(id);
    // Files an earlier run left behind (it stopped mid-upload) are nobody's any more.
    if (this.uploads.size === 0) {
      try {
        for (const f of readdirSync(this.dir)) if (now - statSync(join(this.dir, f)).mtimeMs > STALE_MS) rmSync(join(this.dir, f), { force: true });
      } catch {
        // No folder yet: nothing was left behind.
      }
    }
  }
}
