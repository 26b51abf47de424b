import type { RowWatermark } from '../ingest/storedAcks';
import type { ReadingMap } from '../../shared/twin';
import type { Log } from '../platform/log';
import { DemandClock } from '../platform/demandClock';

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
  /** Where a failure outside the store's own (reported through onError) is logged. */
  log?: Log;
}

/**
 * The bookkeeping every telemetry writer shares, whatever it writes to (telemetryWriter.ts: the DuckDB file,
 * postgres/pgTelemetryWriter.ts: PostgreSQL): rows pending in memory up to a bound past which the oldest are
 * dropped and counted, the watermark of settled rows that MQTT acknowledgements wait on, the error shown
 * while the store refuses, and the flush timer. A writer says how many rows it has taken out of `pending`
 * for a write not yet committed, whether a write is under way, and how to flush.
 */
export abstract class TelemetryQueue implements RowWatermark {
  protected pending: TelemetryRow[] = [];
  protected readonly opts: Required<Omit<WriterOptions, 'onFlush' | 'onError' | 'log'>> & WriterOptions;
  /** While true, a full queue waits for the timer instead of flushing at once (the store just refused). */
  protected failing = false;
  /** The flush clock runs while rows are pending or being written (retrying while the store refuses), and
   * stops when everything is committed: an engine that hears nothing is not woken every second. */
  private readonly clock: DemandClock;
  private readonly settledListeners = new Set<() => void>();
  dropped = 0;
  lastError: string | null = null;
  /** Rows ever queued; those not pending any more are settled (see RowWatermark). */
  queuedRows = 0;

  constructor(options: WriterOptions) {
    // `?? ` per field: an option passed as undefined (the engine's config unset) must not erase the default;
    // a spread did, and an undefined interval made the flush timer fire every millisecond. One commit a
    // second: each costs the store far more than its rows (at 50 motors x 10 Hz, 5 commits a second were
    // about 4 % of a core), the live UI never waits on it (the pipeline sends readings as they arrive), and
    // a read of the history flushes first.
    this.opts = { ...options, flushIntervalMs: options.flushIntervalMs ?? 1000, flushRows: options.flushRows ?? 4096, maxPendingRows: options.maxPendingRows ?? 500_000 };
    this.clock = new DemandClock(
      this.opts.flushIntervalMs,
      () => {
        if (!this.writing && this.pendingRows > 0) void this.flush();
      },
      () => this.writing || this.pendingRows > 0,
    );
  }

  /** Rows taken out of `pending` for a write that has not committed yet. */
  protected abstract get heldRows(): number;
  /** Whether a write is under way. */
  protected abstract get writing(): boolean;
  /** Writes everything pending at the time of the call; resolves once committed (or the attempt failed). */
  abstract flush(): Promise<void>;

  /** Whether the flush clock runs now (it runs only while rows wait or are being written). */
  get flushClockRunning(): boolean {
    return this.clock.running;
  }

  /** Rows received but not yet committed. */
  get pendingRows(): number {
    return this.pending.length + this.heldRows;
  }

  /** Rows dropped for lack of room count as settled (they are lost either way), so a drop may settle held rows early. */
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
    if (!this.clock.running) this.clock.wake();
    if (this.pendingRows > this.opts.maxPendingRows) {
      // The oldest pending rows go; rows already in a write stay, as that write may yet commit them.
      const excess = Math.min(this.pending.length, this.pendingRows - this.opts.maxPendingRows);
      this.pending.splice(0, excess);
      this.dropped += excess;
      this.settled();
    }
    if (this.pending.length >= this.opts.flushRows && !this.failing && !this.writing) void this.flush();
  }

  /** Flushes every interval while rows wait, unless a write is still under way (it flushes what piled up when it ends). */
  protected startFlushTimer(): void {
    this.clock.start();
  }

  protected stopFlushTimer(): void {
    this.clock.stop();
  }

  /** `rows` are committed: clears the error, tells onFlush where rollups must be recomputed from, settles them. */
  protected committed(rows: TelemetryRow[]): void {
    this.setError(null);
    this.opts.onFlush?.({ rows, earliestByDevice: earliestByDevice(rows) });
    this.settled();
  }

  protected settled(): void {
    for (const l of this.settledListeners) l();
  }

  protected setError(error: string | null): void {
    this.failing = error !== null;
    if (error === this.lastError) return;
    this.lastError = error;
    this.opts.onError?.(error);
  }
}

/** The earliest timestamp per device among `rows`. */
function earliestByDevice(rows: TelemetryRow[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) {
    const cur = m.get(r.deviceId);
    if (cur === undefined || r.ts < cur) m.set(r.deviceId, r.ts);
  }
  return m;
}
