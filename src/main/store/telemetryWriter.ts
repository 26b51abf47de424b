import { timestampValue, type DuckDBAppender } from '@duckdb/node-api';
import { READING_NAMES } from '../../shared/readings';
import type { ReadingMap } from '../../shared/twin';
import { STAGING, type MotorDatabase } from './database';
import type { RowWatermark } from '../ingest/storedAcks';

export interface TelemetryRow {
  deviceId: string;
  ts: number;
  receivedAt: number;
  seq: number | null;
  tsSuspect: boolean;
  source: string;
  values: ReadingMap;
}

export interface FlushResult {
  rows: TelemetryRow[];
  /** Earliest timestamp per device in this flush: where rollups must be recomputed from. */
  earliestByDevice: Map<string, number>;
}

export interface WriterOptions {
  flushIntervalMs?: number;
  flushRows?: number;
  /** Rows held while the disk refuses writes; beyond this the oldest are dropped and counted. */
  maxPendingRows?: number;
  onFlush?: (result: FlushResult) => void;
  onError?: (error: string | null) => void;
}

const micros = (ms: number) => timestampValue(BigInt(Math.round(ms * 1000)));

// Two statements, because a DuckDB transaction writes to one attached database only. Flushes never
// overlap, so nothing is staged between them; the staging table lives in memory, so a crash between
// them cannot bring the rows back twice.
const MOVE_TO_FILE = `INSERT INTO main.telemetry SELECT * FROM ${STAGING}.telemetry`;
const CLEAR_STAGING = `DELETE FROM ${STAGING}.telemetry`;
// DuckDB keeps deleted rows' memory in an in-memory table until it is checkpointed: without this the
// staging table grew by ~10 MB a minute at 500 messages/s. Every so many rows moved, not every commit.
const RECLAIM_STAGING = `CHECKPOINT ${STAGING}`;
const RECLAIM_EVERY_ROWS = 50_000;

/**
 * Batches telemetry into DuckDB through the Appender (never one INSERT per message). The Appender writes
 * to an in-memory staging table (its flush is synchronous, so it must be cheap); one async transaction
 * then moves the staged rows into the file, off the event loop, so the broker and the UI never wait on
 * the disk. A row counts as stored only once that transaction committed; if the disk refuses, the rows
 * stay staged and the move is retried, so a full disk or read-only file pauses ingest with a visible
 * error instead of losing or corrupting data.
 */
export class TelemetryWriter implements RowWatermark {
  private pending: TelemetryRow[] = [];
  /** Rows in the staging table, not yet committed to the file. */
  private staged: TelemetryRow[] = [];
  private appender: DuckDBAppender | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private inflight: Promise<void> | null = null;
  private stagingUnknown = false;
  private failing = false;
  private movedSinceReclaim = 0;
  private readonly opts: Required<Omit<WriterOptions, 'onFlush' | 'onError'>> & WriterOptions;
  dropped = 0;
  lastError: string | null = null;
  /** Rows ever queued; those not pending any more are settled (see RowWatermark). */
  queuedRows = 0;
  private readonly settledListeners = new Set<() => void>();

  constructor(
    private readonly db: MotorDatabase,
    options: WriterOptions = {},
  ) {
    // `?? ` per field: an option passed as undefined (the engine's config unset) must not erase the default;
    // a spread did, and an undefined interval made the flush timer fire every millisecond.
    this.opts = { ...options, flushIntervalMs: options.flushIntervalMs ?? 200, flushRows: options.flushRows ?? 4096, maxPendingRows: options.maxPendingRows ?? 500_000 };
  }

  start(): void {
    // From here the rows the file holds are the baseline: a loss is reported by the start that found it.
    this.db.journal?.save();
    this.timer ??= setInterval(() => void this.flush(), this.opts.flushIntervalMs);
  }

  get pendingRows(): number {
    return this.pending.length + this.staged.length;
  }

  /** Rows dropped for lack of room count as settled (they are lost either way), so a drop may settle staged rows early. */
  get settledRows(): number {
    return this.queuedRows - this.pendingRows;
  }

  onSettled(listener: () => void): () => void {
    this.settledListeners.add(listener);
    return () => this.settledListeners.delete(listener);
  }

  enqueue(row: TelemetryRow): void {
    this.pending.push(row);
    this.queuedRows++;
    if (this.pending.length + this.staged.length > this.opts.maxPendingRows) {
      const excess = Math.min(this.pending.length, this.pending.length + this.staged.length - this.opts.maxPendingRows);
      this.dropped += excess;
      this.pending.splice(0, excess);
      this.settled();
    }
    if (this.pending.length >= this.opts.flushRows && !this.failing && !this.inflight) void this.flush();
  }

  /**
   * Writes everything pending at the time of the call; resolves once it is committed to the file (or
   * the attempt failed). Flushes never overlap: a call during one waits for it, then flushes what is left.
   */
  async flush(): Promise<void> {
    while (this.inflight) await this.inflight;
    if (this.pending.length === 0 && this.staged.length === 0) return;
    this.inflight = this.stageAndCommit().finally(() => {
      this.inflight = null;
      // Rows that piled up during a slow commit go at once rather than at the next tick.
      if (this.pending.length >= this.opts.flushRows && !this.failing) void this.flush();
    });
    return this.inflight;
  }

  private async stageAndCommit(): Promise<void> {
    try {
      if (this.stagingUnknown) await this.resetStaging();
      if (this.pending.length && !(await this.stage())) return;
      await this.commitStaged();
    } catch (e) {
      this.stagingUnknown = true;
      this.setError(`history is not being saved: ${(e as Error).message}`);
    }
  }

  /**
   * After a failure the staging table may hold rows we no longer account for (an appender flushes on
   * close): empty it and stage every uncommitted row again, so none is lost or moved twice.
   */
  private async resetStaging(): Promise<void> {
    this.resetAppender();
    await this.db.ingest.run(CLEAR_STAGING);
    this.pending = this.staged.concat(this.pending);
    this.staged = [];
    this.stagingUnknown = false;
  }

  /** Appends the pending rows to the staging table; false (rows kept pending) when that fails. */
  private async stage(): Promise<boolean> {
    const batch = this.pending;
    this.pending = [];
    try {
      const appender = (this.appender ??= await this.db.ingest.createAppender('telemetry', 'main', STAGING));
      for (const row of batch) appendRow(appender, row);
      appender.flushSync();
      this.staged = this.staged.concat(batch);
      return true;
    } catch (e) {
      // Nothing of a failed flush reached the table: put the batch back in front and start a fresh appender.
      this.pending = batch.concat(this.pending);
      this.stagingUnknown = true;
      this.setError(`history is not being saved: ${(e as Error).message}`);
      return false;
    }
  }

  private async commitStaged(): Promise<void> {
    try {
      await this.db.ingest.run(MOVE_TO_FILE);
    } catch (e) {
      this.setError(`history is not being saved: ${(e as Error).message}`);
      return;
    }
    // The rows are in the file now: account for them even if clearing the staging table fails.
    const rows = this.staged;
    this.staged = [];
    this.db.journal?.committed(rows.length);
    // Remembered, not lost: stagingUnknown makes the next flush clear the table before staging again.
    await this.db.ingest.run(CLEAR_STAGING).catch(() => (this.stagingUnknown = true));
    this.movedSinceReclaim += rows.length;
    if (this.movedSinceReclaim >= RECLAIM_EVERY_ROWS && !this.stagingUnknown) {
      this.movedSinceReclaim = 0;
      // Only memory is at stake: a failed checkpoint is retried after the next batch of rows.
      await this.db.ingest.run(RECLAIM_STAGING).catch(() => undefined);
    }
    this.setError(null);
    this.opts.onFlush?.({ rows, earliestByDevice: earliest(rows) });
    this.settled();
  }

  private settled(): void {
    for (const l of this.settledListeners) l();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
    this.resetAppender();
  }

  private resetAppender(): void {
    try {
      this.appender?.closeSync();
    } catch {
      // The appender is already broken; closing it only reports the same failure again.
    }
    this.appender = null;
  }

  private setError(error: string | null): void {
    this.failing = error !== null;
    if (error === this.lastError) return;
    this.lastError = error;
    this.opts.onError?.(error);
  }
}

function appendRow(a: DuckDBAppender, row: TelemetryRow): void {
  a.appendVarchar(row.deviceId);
  a.appendTimestamp(micros(row.ts));
  a.appendTimestamp(micros(row.receivedAt));
  if (row.seq === null) a.appendNull();
  else a.appendBigInt(BigInt(row.seq));
  a.appendBoolean(row.tsSuspect);
  a.appendVarchar(row.source);
  for (const name of READING_NAMES) {
    const v = row.values[name];
    if (v === null || v === undefined) a.appendNull();
    else a.appendDouble(v);
  }
  a.endRow();
}

function earliest(rows: TelemetryRow[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) {
    const cur = m.get(r.deviceId);
    if (cur === undefined || r.ts < cur) m.set(r.deviceId, r.ts);
  }
  return m;
}
