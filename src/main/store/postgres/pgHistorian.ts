import type { ExportRequest, HistoryQuery, HistoryResult } from '../../../shared/contract';
import type { Historian, RollupRunner, TelemetrySink } from '../historian';
import type { ExportResult } from '../exporter';
import { eachDevice, RollupScheduler } from '../rollups';
import type { WriterOptions } from '../telemetryWriter';
import { recentKeyOfRow, type LatestReadings } from '../twinRepository';
import { exportHistoryPg, queryHistoryPg } from './pgHistory';
import { pgRecompute } from './pgRollups';
import type { PgStore } from './pgStore';
import { PgTelemetryWriter } from './pgTelemetryWriter';

const ms = (c: string) => `(extract(epoch FROM ${c}) * 1000)::DOUBLE PRECISION`;

/** The history in PostgreSQL (`--store postgres://…`). Closing ends the pool it shares with the other stores. */
export class PgHistorian implements Historian {
  readonly kind = 'postgres';

  constructor(readonly store: PgStore) {}

  get location(): string {
    return this.store.location;
  }

  telemetryWriter(options: WriterOptions): TelemetrySink {
    return new PgTelemetryWriter(this.store, options);
  }

  rollups(intervalMs?: number): RollupRunner {
    return new RollupScheduler(eachDevice(pgRecompute(this.store)), intervalMs);
  }

  history(q: HistoryQuery): Promise<HistoryResult> {
    return queryHistoryPg(this.store, q);
  }

  exportTo(req: ExportRequest, file: string): Promise<ExportResult> {
    return exportHistoryPg(this.store, req, file);
  }

  async latestReadings(readingNames: readonly string[]): Promise<LatestReadings[]> {
    // The devices by a skip scan of the (device, time) index and the newest row of each by one probe: a few
    // index reads per device, never a scan of years of history.
    const { rows } = await this.store.pool.query(
      `WITH RECURSIVE d AS (
         (SELECT device_id FROM telemetry ORDER BY device_id LIMIT 1)
         UNION ALL
         SELECT (SELECT t.device_id FROM telemetry t WHERE t.device_id > d.device_id ORDER BY t.device_id LIMIT 1) FROM d WHERE d.device_id IS NOT NULL)
       SELECT d.device_id, ${ms('l.ts')} AS ts, ${readingNames.map((n) => `l.${n}`).join(', ')}
       FROM d CROSS JOIN LATERAL (SELECT * FROM telemetry t WHERE t.device_id = d.device_id ORDER BY ts DESC LIMIT 1) l`,
    );
    return rows.map((r) => ({
      deviceId: String(r.device_id),
      ts: Number(r.ts),
      values: Object.fromEntries(readingNames.map((n) => [n, r[n] === null || r[n] === undefined ? null : Number(r[n])])),
    }));
  }

  async recentKeys(sinceMs: number) {
    const { rows } = await this.store.pool.query(
      `SELECT device_id, seq, ${ms('ts')} AS ts, uptime_s, ts = received_at AS host_stamped FROM telemetry
       WHERE ts >= to_timestamp($1::DOUBLE PRECISION / 1000) - INTERVAL '1 day' AND received_at >= to_timestamp($1::DOUBLE PRECISION / 1000) ORDER BY received_at`,
      [Math.floor(sinceMs)],
    );
    return rows.map(recentKeyOfRow);
  }

  async storedTimes(deviceId: string, fromMs: number, toMs: number): Promise<Set<number>> {
    const { rows } = await this.store.pool.query(
      `SELECT DISTINCT floor(${ms('ts')}) AS t FROM telemetry WHERE device_id = $1 AND ts BETWEEN to_timestamp($2::DOUBLE PRECISION / 1000) AND to_timestamp($3::DOUBLE PRECISION / 1000)`,
      [deviceId, Math.floor(fromMs), Math.ceil(toMs)],
    );
    return new Set(rows.map((r) => Number(r.t)));
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
