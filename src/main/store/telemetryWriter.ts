import { timestampValue, type DuckDBAppender } from '@duckdb/node-api';
import { READING_NAMES } from '../../shared/readings';
import type { ReadingMap } from '../../shared/twin';
import type { MotorDatabase } from './database';

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

/**
 * Batches telemetry into DuckDB through the Appender (never one INSERT per message). A row counts as
 * stored only once its flush committed; if the disk refuses, rows stay pending and the flush is retried,
 * so a full disk or read-only file pauses ingest with a visible error instead of losing or corrupting data.
 */
export class TelemetryWriter {
  private pending: TelemetryRow[] = [];
  private appender: DuckDBAppender | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private flushing = false;
  private failing = false;
  private readonly opts: Required<Omit<WriterOptions, 'onFlush' | 'onError'>> & WriterOptions;
  dropped = 0;
  lastError: string | null = null;

  constructor(
    private readonly db: MotorDatabase,
    options: WriterOptions = {},
  ) {
    this.opts = { flushIntervalMs: 200, flushRows: 4096, maxPendingRows: 500_000, ...options };
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.opts.flushIntervalMs);
  }

  get pendingRows(): number {
    return this.pending.length;
  }

  enqueue(row: TelemetryRow): void {
    this.pending.push(row);
    if (this.pending.length > this.opts.maxPendingRows) {
      this.dropped += this.pending.length - this.opts.maxPendingRows;
      this.pending.splice(0, this.pending.length - this.opts.maxPendingRows);
    }
    if (this.pending.length >= this.opts.flushRows && !this.failing) void this.flush();
  }

  /** Writes everything pending; resolves once it is committed (or the attempt failed). */
  async flush(): Promise<void> {
    if (this.flushing || this.pending.length === 0) return;
    this.flushing = true;
    const batch = this.pending;
    this.pending = [];
    try {
      const appender = (this.appender ??= await this.db.writer.createAppender('telemetry'));
      for (const row of batch) appendRow(appender, row);
      appender.flushSync();
      this.setError(null);
      this.opts.onFlush?.({ rows: batch, earliestByDevice: earliest(batch) });
    } catch (e) {
      // Nothing of a failed flush was committed: put the batch back in front and start a fresh appender.
      this.pending = batch.concat(this.pending);
      this.resetAppender();
      this.setError(`history is not being saved: ${(e as Error).message}`);
    } finally {
      this.flushing = false;
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    while (this.flushing) await new Promise((r) => setTimeout(r, 5));
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
