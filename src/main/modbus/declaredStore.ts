import { timestampValue, type DuckDBAppender } from '@duckdb/node-api';
import type { MotorDatabase } from '../store/database';
import { PacedFlush } from '../platform/pacedFlush';
import { discardAppender } from '../store/appender';

/** One poll's declared readings, as the twin got them: name to value and unit. */
export interface DeclaredPoll {
  deviceId: string;
  ts: number;
  readings: Readonly<Record<string, { value: number | null; unit: string }>>;
}

/** Polls kept while the disk refuses writes; beyond it the oldest go first (about 20 minutes of 50 relays at 1 Hz). */
const MAX_PENDING_POLLS = 60_000;

/**
 * History of declared readings (those beyond the twin's list: thermal capacity used, phase currents…), one
 * row per reading, through one Appender kept open for the store's life (creating one per flush blocked the
 * event loop for up to ~100 ms on a busy machine, besides its CPU).
 */
export class DeclaredReadingsStore {
  private pending: DeclaredPoll[] = [];
  private paced: PacedFlush | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private appender: DuckDBAppender | null = null;
  lastError: string | null = null;

  constructor(
    private readonly db: MotorDatabase,
    private readonly onError: (e: Error) => void,
  ) {}

  /**
   * Every 5 s: each flush is a commit on the file, and DuckDB's CPU goes mostly with commits, not rows (50 relays'
   * 350 rows/s cost about 65 ms of CPU a minute flushed every 5 s, 150 ms every second). This history is read only
   * through `latest`, which flushes first; a crash costs at most the last 5 s of it.
   */
  start(flushMs = 5000): void {
    // On a clock poked by add(): no wake-ups while no Modbus device reports.
    this.paced ??= new PacedFlush(flushMs, () => void this.flush());
  }

  /** Keeps a poll's readings for the next flush; the record is the one the twin got, not copied. */
  add(poll: DeclaredPoll): void {
    // A disk that refuses writes for long must not grow this without bound: the oldest go first.
    if (this.pending.length >= MAX_PENDING_POLLS) this.pending.splice(0, MAX_PENDING_POLLS / 10);
    this.pending.push(poll);
    this.paced?.poke();
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
    this.paced?.close();
    await this.flush();
    this.dropAppender();
  }

  private async write(): Promise<void> {
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    try {
      const a = (this.appender ??= await this.db.writer.createAppender('declared_readings'));
      for (const poll of batch) {
        const ts = timestampValue(BigInt(Math.round(poll.ts)) * 1000n);
        for (const name in poll.readings) {
          const r = poll.readings[name];
          a.appendVarchar(poll.deviceId);
          a.appendTimestamp(ts);
          a.appendVarchar(name);
          if (r.value === null) a.appendNull();
          else a.appendDouble(r.value);
          a.appendVarchar(r.unit);
          a.endRow();
        }
      }
      a.flushSync();
      this.lastError = null;
    } catch (e) {
      // DuckDB drops an appender's rows when its flush fails: the batch is kept for the next flush, on a new
      // appender; the error goes to the log once per change.
      this.dropAppender();
      this.pending = batch.concat(this.pending);
      if (this.lastError !== (e as Error).message) this.onError(e as Error);
      this.lastError = (e as Error).message;
    }
  }

  private dropAppender(): void {
    discardAppender(this.appender);
    this.appender = null;
  }
}
