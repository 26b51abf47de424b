import { timestampValue, type DuckDBAppender } from '@duckdb/node-api';
import { READING_NAMES } from '../../shared/readings';
import { discardAppender } from './appender';
import { STAGING, type MotorDatabase } from './database';
import { TelemetryQueue, type TelemetryRow, type WriterOptions } from './telemetryQueue';

export type { FlushResult, TelemetryRow, WriterOptions } from './telemetryQueue';

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
export class TelemetryWriter extends TelemetryQueue {
  /** Rows in the staging table, not yet committed to the file. */
  private staged: TelemetryRow[] = [];
  private appender: DuckDBAppender | null = null;
  private inflight: Promise<void> | null = null;
  private stagingUnknown = false;
  private movedSinceReclaim = 0;

  constructor(
    private readonly db: MotorDatabase,
    options: WriterOptions = {},
  ) {
    super(options);
  }

  start(): void {
    // From here the rows the file holds are the baseline: a loss is reported by the start that found it.
    this.db.journal?.save();
    this.startFlushTimer();
  }

  protected get heldRows(): number {
    return this.staged.length;
  }

  protected get writing(): boolean {
    return this.inflight !== null;
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
   * After a failure the staging table may hold rows we no longer account for (staged before a move
   * that failed): empty it and stage every uncommitted row again, so none is lost or moved twice.
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
    this.committed(rows);
  }

  async close(): Promise<void> {
    this.stopFlushTimer();
    await this.flush();
    this.resetAppender();
  }

  private resetAppender(): void {
    discardAppender(this.appender);
    this.appender = null;
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
