import { timestampValue } from '@duckdb/node-api';
import type { MotorDatabase } from '../store/database';

export interface DeclaredRow {
  deviceId: string;
  ts: number;
  name: string;
  value: number | null;
  unit: string;
}

/**
 * History of declared readings (those beyond the twin's list: thermal capacity used, phase currents…), one
 * row per reading, batched through the Appender like telemetry so a fleet of relays costs one write every few seconds.
 */
export class DeclaredReadingsStore {
  private pending: DeclaredRow[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;
  private flushing: Promise<void> = Promise.resolve();
  lastError: string | null = null;

  constructor(
    private readonly db: MotorDatabase,
    private readonly onError: (e: Error) => void,
  ) {}

  /**
   * Every 5 s: each flush is an appender and a commit on the file, on the event loop, whatever its size, and this
   * history is read only through `latest`, which flushes first. A crash costs at most the last 5 s of it.
   */
  start(flushMs = 5000): void {
    this.timer ??= setInterval(() => void this.flush(), flushMs);
  }

  add(rows: DeclaredRow[]): void {
    // A disk that refuses writes for long must not grow this without bound: the oldest go first.
    if (this.pending.length > 200_000) this.pending.splice(0, rows.length);
    for (const r of rows) this.pending.push(r);
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  async latest(deviceId: string, name: string): Promise<{ ts: number; value: number | null } | null> {
    await this.flush();
    const rows = await this.db.query('SELECT epoch_ms(ts)::DOUBLE AS ts, value FROM declared_readings WHERE device_id = $1 AND name = $2 ORDER BY ts DESC LIMIT 1', [deviceId, name]);
    return rows.length ? { ts: Number(rows[0].ts), value: rows[0].value === null ? null : Number(rows[0].value) } : null;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private async write(): Promise<void> {
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    try {
      const appender = await this.db.writer.createAppender('declared_readings');
      for (const r of batch) {
        appender.appendVarchar(r.deviceId);
        appender.appendTimestamp(timestampValue(BigInt(Math.round(r.ts)) * 1000n));
        appender.appendVarchar(r.name);
        if (r.value === null) appender.appendNull();
        else appender.appendDouble(r.value);
        appender.appendVarchar(r.unit);
        appender.endRow();
      }
      appender.flushSync();
      appender.closeSync();
      this.lastError = null;
    } catch (e) {
      // Kept for the next flush; the error goes to the log once per change.
      this.pending = batch.concat(this.pending);
      if (this.lastError !== (e as Error).message) this.onError(e as Error);
      this.lastError = (e as Error).message;
    }
  }
}
