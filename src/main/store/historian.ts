import type { ExportRequest, HistoryQuery, HistoryResult } from '../../shared/contract';
import type { RowWatermark } from '../ingest/storedAcks';
import type { MotorDatabase } from './database';
import { exportHistory, type ExportResult } from './exporter';
import { queryHistory } from './history';
import { Rollups } from './rollups';
import { TelemetryWriter, type TelemetryRow, type WriterOptions } from './telemetryWriter';
import { TwinRepository, type LatestReadings, type RecentKey } from './twinRepository';

/**
 * Where telemetry goes: batched, committed in the background, held in memory while the store refuses. Its
 * watermark tells MQTT ingest when a message's row is stored, so its acknowledgement may go.
 */
export interface TelemetrySink extends RowWatermark {
  start(): void;
  enqueue(row: TelemetryRow): void;
  /** Resolves once everything enqueued before the call is committed (or the attempt failed). */
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Rows received but not yet committed. */
  readonly pendingRows: number;
  /** Why history is not being saved right now; null while it is. */
  readonly lastError: string | null;
  /** Rows given up on because more were held than the bound allows. */
  readonly dropped: number;
}

/** Keeps the 1-minute and 1-hour rollups in step with the raw rows (late rows included). */
export interface RollupRunner {
  start(): void;
  markDirty(deviceId: string, fromMs: number): void;
  run(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The history port: telemetry in, rollups, trend queries and exports out. Two adapters with the same
 * answers: the embedded DuckDB file (the default) and PostgreSQL (`--store postgres://…`, a plant server).
 */
export interface Historian {
  readonly kind: 'duckdb' | 'postgres';
  /** Where the history lives, for the status and messages (never with a password). */
  readonly location: string;
  telemetryWriter(options: WriterOptions): TelemetrySink;
  rollups(intervalMs?: number): RollupRunner;
  history(q: HistoryQuery): Promise<HistoryResult>;
  /** One device's raw rows in a time range, written to `file` as CSV or Parquet. */
  exportTo(req: ExportRequest, file: string): Promise<ExportResult>;
  /** The last stored row of every device, so the fleet shows last known values after a restart. */
  latestReadings(readingNames: readonly string[]): Promise<LatestReadings[]>;
  /** Recent (seq, timestamp) keys per device, to keep deduplicating across a restart. */
  recentKeys(sinceMs: number): Promise<RecentKey[]>;
  /** The times (ms) of one device's stored rows between two times, inclusive: what a push finds already there. */
  storedTimes(deviceId: string, fromMs: number, toMs: number): Promise<Set<number>>;
  close(): Promise<void>;
}

/** The history in the DuckDB file in --data-dir. Closing the file stays with its owner (the engine). */
export class DuckHistorian implements Historian {
  readonly kind = 'duckdb';
  private readonly twins: TwinRepository;

  constructor(private readonly db: MotorDatabase) {
    this.twins = new TwinRepository(db);
  }

  get location(): string {
    return this.db.path;
  }

  telemetryWriter(options: WriterOptions): TelemetrySink {
    return new TelemetryWriter(this.db, options);
  }

  rollups(intervalMs?: number): RollupRunner {
    return new Rollups(this.db, intervalMs);
  }

  history(q: HistoryQuery): Promise<HistoryResult> {
    return queryHistory(this.db, q);
  }

  exportTo(req: ExportRequest, file: string): Promise<ExportResult> {
    return exportHistory(this.db, req, file);
  }

  latestReadings(readingNames: readonly string[]): Promise<LatestReadings[]> {
    return this.twins.latestReadings(readingNames);
  }

  recentKeys(sinceMs: number) {
    return this.twins.recentKeys(sinceMs);
  }

  async storedTimes(deviceId: string, fromMs: number, toMs: number): Promise<Set<number>> {
    const rows = await this.db.query(
      'SELECT DISTINCT epoch_ms(ts) AS t FROM telemetry WHERE device_id = $1 AND ts BETWEEN make_timestamp($2::BIGINT * 1000) AND make_timestamp($3::BIGINT * 1000)',
      [deviceId, Math.floor(fromMs), Math.ceil(toMs)],
      this.db.writer,
    );
    return new Set(rows.map((r) => Number(r.t)));
  }

  async close(): Promise<void> {}
}
