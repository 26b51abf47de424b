import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { readFile, stat } from 'node:fs/promises';
import type { FlashJob } from '../../shared/serialContract';
import type { SerialManager } from '../serial/serialManager';
import type { SerialBoard } from '../serial/serialBoard';
import { recogniseBridge, usbIds } from '../serial/bridges';
import { MAX_IMAGE_BYTES } from './image';
import type { flashImage } from './flasher';
import { DomainError } from '../platform/domainError';

const UPLOAD_TTL_MS = 10 * 60_000;
const CONFIRM_TIMEOUT_MS = 15_000;

export interface FlashServiceEvents {
  progress: [FlashJob];
}

/** Loads the flasher (flasher.ts's flashImage) when a flash starts. */
export type LoadFlasher = () => Promise<typeof flashImage>;

/**
 * Flash jobs for the UI: images arrive in chunks over the contract (or as a file on this computer),
 * the console lends its port for the flash, and afterwards the board's status confirms the new version.
 */
export class FlashService extends EventEmitter<FlashServiceEvents> {
  private uploads = new Map<string, { chunks: Buffer[]; bytes: number; done: boolean; at: number }>();
  private readonly jobs = new Map<string, FlashJob>();
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly serial: SerialManager,
    /** esptool-js and pako: loaded with the first flash, not by every engine that never flashes. */
    private readonly loadFlasher: LoadFlasher,
  ) {
    super();
  }

  upload(uploadId: string | undefined, base64: string, final: boolean): { uploadId: string; bytes: number } {
    this.expireUploads();
    const id = uploadId ?? randomUUID();
    const u = this.uploads.get(id) ?? { chunks: [], bytes: 0, done: false, at: Date.now() };
    if (uploadId && !this.uploads.has(uploadId)) throw new DomainError('not_found', `no upload "${uploadId}" (uploads expire after 10 minutes): send the image again`);
    if (u.done) throw new DomainError('conflict', 'this upload is complete: start a new one');
    const chunk = Buffer.from(base64, 'base64');
    if (u.bytes + chunk.length > MAX_IMAGE_BYTES) throw new DomainError('too_large', 'the image is larger than any ESP32 flash (16 MiB)');
    u.chunks.push(chunk);
    u.bytes += chunk.length;
    u.done = final;
    u.at = Date.now();
    this.uploads.set(id, u);
    return { uploadId: id, bytes: u.bytes };
  }

  private expireUploads(): void {
    for (const [id, u] of this.uploads) if (Date.now() - u.at > UPLOAD_TTL_MS) this.uploads.delete(id);
  }

  list(): FlashJob[] {
    return [...this.jobs.values()].sort((a, b) => b.startedAt - a.startedAt).slice(0, 20);
  }

  async start(req: { path: string; uploadId?: string; file?: string; offset: number; baud: number }): Promise<FlashJob> {
    if ([...this.jobs.values()].some((j) => j.path === req.path && this.running.has(j.jobId))) throw new DomainError('busy', `a flash of ${req.path} is already running`);
    const image = await this.imageFor(req);
    const job: FlashJob = {
      jobId: randomUUID().slice(0, 8),
      path: req.path,
      phase: 'queued',
      written: 0,
      total: image.length,
      percent: 0,
      chip: null,
      md5: null,
      confirmedVersion: null,
      expectedVersion: null,
      message: 'starting',
      error: null,
      startedAt: Date.now(),
      finishedAt: null,
    };
    this.jobs.set(job.jobId, job);
    const abort = new AbortController();
    this.running.set(job.jobId, abort);
    void this.run(job, image, req, abort.signal).finally(() => this.running.delete(job.jobId));
    return { ...job };
  }

  cancel(jobId: string): boolean {
    const a = this.running.get(jobId);
    a?.abort();
    return Boolean(a);
  }

  private async imageFor(req: { uploadId?: string; file?: string }): Promise<Uint8Array> {
    if (req.uploadId) {
      const u = this.uploads.get(req.uploadId);
      if (!u?.done) throw new DomainError('not_found', `no complete upload "${req.uploadId}": send the image again`);
      this.uploads.delete(req.uploadId);
      return new Uint8Array(Buffer.concat(u.chunks));
    }
    const file = req.file!;
    const s = await stat(file).catch(() => null);
    if (!s?.isFile()) throw new DomainError('not_found', `no image file ${file}`);
    if (s.size > MAX_IMAGE_BYTES) throw new DomainError('too_large', `${file} is larger than any ESP32 flash (16 MiB)`);
    return new Uint8Array(await readFile(file));
  }

  private update(job: FlashJob, patch: Partial<FlashJob>): void {
    Object.assign(job, patch);
    job.percent = job.total ? Math.round((job.written / job.total) * 1000) / 10 : 0;
    this.emit('progress', { ...job });
  }

  private async run(job: FlashJob, image: Uint8Array, req: { path: string; offset: number; baud: number }, signal: AbortSignal): Promise<void> {
    const listed = this.serial.list().find((p) => p.path === req.path);
    const restore = await this.serial.release(req.path);
    const board = this.serial.board(req.path);
    const log = (line: string) => board?.console.add('info', `flash: ${line}`);
    let lastEmit = 0;
    try {
      const flash = await this.loadFlasher();
      const result = await flash({
        path: req.path,
        image,
        offset: req.offset,
        baud: req.baud,
        usb: usbIds(listed?.vid ?? null, listed?.pid ?? null),
        nativeUsb: recogniseBridge(listed?.vid, listed?.pid)?.nativeUsb ?? false,
        signal,
        onLog: log,
        onProgress: (p) => {
          // Progress comes per 16 KiB block: a few updates a second are plenty for a progress bar.
          const now = Date.now();
          if (p.phase === job.phase && now - lastEmit < 100 && p.written < p.total) {
            Object.assign(job, { written: p.written, message: p.message });
            return;
          }
          lastEmit = now;
          this.update(job, { phase: p.phase, written: p.written, total: p.total, message: p.message, chip: p.chip ?? job.chip });
        },
      });
      this.update(job, {
        md5: result.md5,
        expectedVersion: result.image.version,
        written: job.total,
        phase: 'confirming',
        message: result.resetUnsupported ? 'written and verified; this port cannot reset the board: press EN (RST) to start the new firmware' : 'written and verified; waiting for the new firmware',
      });
      await restore();
      const confirmed = await this.confirm(this.serial.board(req.path), result.image.version);
      this.update(job, {
        phase: 'done',
        confirmedVersion: confirmed,
        finishedAt: Date.now(),
        message: confirmed
          ? `done: MD5 verified, the board runs ${confirmed}`
          : `done: MD5 verified${result.image.version ? `, but the board has not reported version ${result.image.version} yet (press EN if it is still in the bootloader)` : ''}`,
      });
    } catch (e) {
      const msg = (e as Error).message;
      const cancelled = msg === 'cancelled';
      // The console reopening the port reports its own failure on the port; the job reports the flash's.
      await restore().catch(() => undefined);
      this.update(job, { phase: cancelled ? 'cancelled' : 'failed', error: cancelled ? null : msg, message: cancelled ? 'cancelled: the board may hold a partial image; flash again before using it' : msg, finishedAt: Date.now() });
    }
  }

  /** Waits for the reopened console to show a status message naming the new version. */
  private async confirm(board: SerialBoard | undefined, version: string | null): Promise<string | null> {
    if (!board || !version) return null;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        board.off('status', onStatus);
        resolve(null);
      }, CONFIRM_TIMEOUT_MS);
      const onStatus = (fw: string | undefined) => {
        if (fw !== version) return;
        clearTimeout(timer);
        board.off('status', onStatus);
        resolve(fw);
      };
      board.on('status', onStatus);
    });
  }

  cancelAll(): void {
    for (const a of this.running.values()) a.abort();
  }
}
