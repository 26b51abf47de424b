import { listValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { READING_NAMES } from '../../shared/readings';
import type { PushedBenchRun, PushReceipt } from '../../shared/plantContract';
import type { Certificate } from '../../shared/serialContract';
import type { MotorDatabase } from '../store/database';

// What laptops push to a plant server, stored once whatever is re-sent: a bench run by its run id, a
// certificate by its id, a telemetry row by (device, timestamp). Each push is one transaction on a
// connection of its own, and pushes run one at a time, so a re-send racing the first sees what it stored
// and a push cut off halfway leaves nothing behind.

type PushedTelemetryRow = { ts: number; seq: number | null; values: Partial<Record<(typeof READING_NAMES)[number], number | null>> };

const ROWS_PER_INSERT = 500;
const ms = (n: number) => `make_timestamp(${'$'}${n}::BIGINT * 1000)`;

export class PushStore {
  private conn: Promise<DuckDBConnection> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: MotorDatabase,
    /** Told the earliest new reading per motor, so its rollups are recomputed from there. */
    private readonly onTelemetry: (deviceId: string, earliestMs: number) => void,
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

  telemetry(deviceId: string, rows: PushedTelemetryRow[]): Promise<PushReceipt> {
    return this.transaction(async (c) => {
      const from = Math.min(...rows.map((r) => r.ts));
      const to = Math.max(...rows.map((r) => r.ts));
      const held = await c.runAndReadAll(`SELECT DISTINCT epoch_ms(ts) AS t FROM telemetry WHERE device_id = $1 AND ts BETWEEN ${ms(2)} AND ${ms(3)}`, [deviceId, from, to]);
      const seen = new Set(held.getRowObjectsJS().map((r) => Number(r.t)));
      const fresh = rows.filter((r) => !seen.has(r.ts) && (seen.add(r.ts), true));
      const now = Date.now();
      await insertRows(
        c,
        `telemetry (device_id, ts, received_at, seq, ts_suspect, source, ${READING_NAMES.join(', ')})`,
        fresh,
        (r) => [deviceId, r.ts, now, r.seq, false, 'push', ...READING_NAMES.map((n) => r.values[n] ?? null)],
        [2, 3],
      );
      if (fresh.length) this.onTelemetry(deviceId, Math.min(...fresh.map((r) => r.ts)));
      return { stored: fresh.length, alreadyThere: rows.length - fresh.length };
    });
  }

  /** What the store holds, for a person checking (and the tests counting) that nothing came twice. */
  async counts(): Promise<{ benchRuns: number; certificates: number; pushedTelemetry: number }> {
    const [r] = await this.db.query(
      `SELECT (SELECT count(*) FROM bench_runs) AS b, (SELECT count(*) FROM calibration_certificates) AS c, (SELECT count(*) FROM telemetry WHERE source = 'push') AS t`,
    );
    return { benchRuns: Number(r.b), certificates: Number(r.c), pushedTelemetry: Number(r.t) };
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
    const run = this.queue.then(async () => {
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
