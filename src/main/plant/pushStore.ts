import { listValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { ReadingName } from '../../shared/readings';
import type { PushedBenchRun, PushReceipt } from '../../shared/plantContract';
import type { Certificate } from '../../shared/serialContract';
import type { MotorDatabase } from '../store/database';
import type { Historian, TelemetrySink } from '../store/historian';
import { DomainError } from '../platform/domainError';

// What laptops push to a plant server, stored once whatever is re-sent: a bench run by its run id, a
// certificate by its id, a telemetry row by (device, timestamp). A run or certificate push is one transaction
// on a connection of its own, and pushes run one at a time, so a re-send racing the first sees what it stored
// and a push cut off halfway leaves nothing behind.

type PushedTelemetryRow = { ts: number; seq: number | null; values: Partial<Record<ReadingName, number | null>> };

/** The history refuses writes (disk full, PostgreSQL away): the push is to be sent again later. */
export class HistoryUnavailable extends DomainError {
  constructor(reason: string) {
    super('unavailable', `the plant server cannot store history right now (${reason}); push again later`);
  }
}

const ROWS_PER_INSERT = 500;
const ms = (n: number) => `make_timestamp(${'$'}${n}::BIGINT * 1000)`;

export class PushStore {
  private conn: Promise<DuckDBConnection> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    /** Bench runs and certificates live in the engine's DuckDB file. */
    private readonly db: MotorDatabase,
    /** Telemetry lives wherever the engine keeps its history; its writer also keeps the rollups in step. */
    private readonly history: Pick<Historian, 'storedTimes'>,
    private readonly writer: Pick<TelemetrySink, 'enqueue' | 'flush' | 'lastError'>,
    /** Lists a motor whose readings were pushed here, so the plant's fleet shows it beside its own. */
    private readonly motors: { ensure(deviceId: string): void },
  ) {}

  benchRuns(runs: PushedBenchRun[]): Promise<PushReceipt> {
    return this.transaction(async (c) => {
      const ids = runs.map((r) => r.runId);
      const existing = await this.existing(c, 'SELECT id FROM bench_runs WHERE id IN', ids);
      let stored = 0;
      for (const r of runs) {
        if (existing.has(r.runId)) continue;
        existing.add(r.runId);
        await insertRows(c, 'bench_samples', r.samples, (s) => [r.runId, s.t, s.ts, s.step, s.attempt, s.temperature, s.rpm, s.vibVelocity, s.ambient], [3]);
        await insertRows(c, 'bench_blocks', r.blocks, (b) => [r.runId, b.t, b.ts, b.step, b.attempt, b.velocityRmsMmS, b.oneXMmS, b.twoXMmS, b.bearingFault, b.bearingConfidence], [3]);
        await c.run(
          `INSERT INTO bench_runs VALUES ($1, $2, $3, $4, $5, $6, $7, ${ms(8)}, CASE WHEN $9::BIGINT IS NULL THEN NULL ELSE make_timestamp($9::BIGINT * 1000) END, $10, $11::JSON)`,
          [r.runId, r.serialNumber, r.model, r.deviceId, r.procedure, r.procedureVersion, r.operator, r.startedAt, r.endedAt, r.verdict, JSON.stringify(r.record)],
        );
        stored++;
      }
      return { stored, alreadyThere: runs.length - stored };
    });
  }

  certificates(certs: Certificate[]): Promise<PushReceipt> {
    return this.transaction(async (c) => {
      const existing = await this.existing(c, 'SELECT id FROM calibration_certificates WHERE id IN', certs.map((x) => x.id));
      let stored = 0;
      for (const x of certs) {
        if (existing.has(x.id)) continue;
        existing.add(x.id);
        await c.run(`INSERT INTO calibration_certificates VALUES ($1, $2, $3, ${ms(4)}, $5, $6::JSON)`, [x.id, x.deviceId, x.sensor, x.createdAt, x.calibrationId, JSON.stringify(x)]);
        stored++;
      }
      return { stored, alreadyThere: certs.length - stored };
    });
  }

  /**
   * Readings go through the engine's own writer (the DuckDB file or PostgreSQL, whichever holds the history),
   * after leaving out the times the history already holds for that motor; answered once they are committed.
   */
  telemetry(deviceId: string, rows: PushedTelemetryRow[]): Promise<PushReceipt> {
    return this.serialized(async () => {
      const held = await this.history.storedTimes(deviceId, Math.min(...rows.map((r) => r.ts)), Math.max(...rows.map((r) => r.ts)));
      const fresh = rows.filter((r) => !held.has(r.ts) && (held.add(r.ts), true));
      const receivedAt = Date.now();
      for (const r of fresh) this.writer.enqueue({ deviceId, ts: r.ts, receivedAt, seq: r.seq, tsSuspect: false, source: 'push', values: r.values });
      await this.writer.flush();
      if (this.writer.lastError) throw new HistoryUnavailable(this.writer.lastError);
      this.motors.ensure(deviceId);
      return { stored: fresh.length, alreadyThere: rows.length - fresh.length };
    });
  }

  async close(): Promise<void> {
    await this.queue;
    if (this.conn) (await this.conn).closeSync();
    this.conn = null;
  }

  private async existing(c: DuckDBConnection, sql: string, ids: string[]): Promise<Set<string>> {
    const r = await c.runAndReadAll(`${sql} (SELECT unnest($1::VARCHAR[]))`, [listValue(ids)]);
    return new Set(r.getRowObjectsJS().map((x) => String(x.id)));
  }

  private transaction<T>(work: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.serialized(async () => {
      this.conn ??= this.db.connect();
      const c = await this.conn;
      await c.run('BEGIN TRANSACTION');
      try {
        const result = await work(c);
        await c.run('COMMIT');
        return result;
      } catch (e) {
        await c.run('ROLLBACK');
        throw e;
      }
    });
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    // The next push waits for this one whatever its outcome; its caller hears the outcome.
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Multi-row INSERTs of ROWS_PER_INSERT rows; the columns at `timeColumns` (1-based) are epoch ms. */
async function insertRows<T>(c: DuckDBConnection, table: string, rows: T[], values: (row: T) => DuckDBValue[], timeColumns: number[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const params: DuckDBValue[] = [];
    const tuples = rows.slice(i, i + ROWS_PER_INSERT).map((row) => {
      const v = values(row);
      const base = params.length;
      params.push(...v);
      return `(${v.map((_, k) => (timeColumns.includes(k + 1) && typeof v[k] === 'number' ? ms(base + k + 1) : `$${base + k + 1}`)).join(', ')})`;
    });
    await c.run(`INSERT INTO ${table} VALUES ${tuples.join(', ')}`, params);
  }
}
