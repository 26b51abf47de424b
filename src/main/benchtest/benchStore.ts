import type { DuckDBValue } from '@duckdb/node-api';
import { procedureSchema, type Procedure } from '../../shared/benchtestProcedure';
import type { BenchReportSummary, Verdict } from '../../shared/benchtestContract';
import type { MotorDatabase } from '../store/database';
import type { BenchBlock, BenchSample } from './criteria';
import type { RunRecord } from './runRecord';

// Bench runs in DuckDB: one row per run (its whole record as JSON), the readings and waveform results of
// the run tagged with its id, and users' own procedures. Readings are buffered and written in batches.

export class BenchStore {
  private pendingSamples: Array<BenchSample & { runId: string; ts: number }> = [];
  private pendingBlocks: Array<BenchBlock & { runId: string; ts: number }> = [];

  constructor(private readonly db: MotorDatabase) {}

  addSample(runId: string, ts: number, s: BenchSample): void {
    this.pendingSamples.push({ ...s, runId, ts });
  }

  addBlock(runId: string, ts: number, b: BenchBlock): void {
    this.pendingBlocks.push({ ...b, runId, ts });
  }

  async flush(): Promise<void> {
    const samples = this.pendingSamples.splice(0);
    const blocks = this.pendingBlocks.splice(0);
    if (samples.length) {
      const values: DuckDBValue[] = [];
      const rows = samples.map((s, i) => {
        values.push(s.runId, s.t, s.ts, s.step, s.attempt, s.temperature, s.rpm, s.vibVelocity, s.ambient);
        const b = i * 9;
        return `($${b + 1}, $${b + 2}, make_timestamp($${b + 3}::BIGINT * 1000), $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9})`;
      });
      await this.db.run(`INSERT INTO bench_samples VALUES ${rows.join(', ')}`, values);
    }
    if (blocks.length) {
      const values: DuckDBValue[] = [];
      const rows = blocks.map((s, i) => {
        values.push(s.runId, s.t, s.ts, s.step, s.attempt, s.velocityRmsMmS, s.oneXMmS, s.twoXMmS, s.bearingFault, s.bearingConfidence);
        const b = i * 10;
        return `($${b + 1}, $${b + 2}, make_timestamp($${b + 3}::BIGINT * 1000), $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9}, $${b + 10})`;
      });
      await this.db.run(`INSERT INTO bench_blocks VALUES ${rows.join(', ')}`, values);
    }
  }

  async saveRun(r: RunRecord): Promise<void> {
    await this.flush();
    await this.db.run('DELETE FROM bench_runs WHERE id = $1', [r.runId]);
    await this.db.run(
      'INSERT INTO bench_runs VALUES ($1, $2, $3, $4, $5, $6, $7, make_timestamp($8::BIGINT * 1000), CASE WHEN $9::BIGINT IS NULL THEN NULL ELSE make_timestamp($9::BIGINT * 1000) END, $10, $11::JSON)',
      [r.runId, r.serialNumber, r.nameplate.model, r.deviceId, r.procedure.name, r.procedure.version, r.operator, r.startedAt, r.endedAt, r.verdict, JSON.stringify(r)],
    );
  }

  async run(runId: string): Promise<RunRecord | null> {
    const rows = await this.db.query('SELECT record::VARCHAR AS r FROM bench_runs WHERE id = $1', [runId], this.db.writer);
    return rows.length ? (JSON.parse(String(rows[0].r)) as RunRecord) : null;
  }

  async samples(runId: string): Promise<BenchSample[]> {
    await this.flush();
    const rows = await this.db.query('SELECT t, step, attempt, temperature, rpm, vib_velocity, ambient FROM bench_samples WHERE run_id = $1 ORDER BY t', [runId], this.db.writer);
    return rows.map((r) => ({ t: Number(r.t), step: String(r.step), attempt: Number(r.attempt), temperature: num(r.temperature), rpm: num(r.rpm), vibVelocity: num(r.vib_velocity), ambient: num(r.ambient) }));
  }

  async blocks(runId: string): Promise<BenchBlock[]> {
    await this.flush();
    const rows = await this.db.query('SELECT * FROM bench_blocks WHERE run_id = $1 ORDER BY t', [runId], this.db.writer);
    return rows.map((r) => ({
      t: Number(r.t),
      step: String(r.step),
      attempt: Number(r.attempt),
      velocityRmsMmS: Number(r.velocity_rms_mm_s),
      oneXMmS: Number(r.one_x_mm_s),
      twoXMmS: Number(r.two_x_mm_s),
      bearingFault: r.bearing_fault === null ? null : String(r.bearing_fault),
      bearingConfidence: Number(r.bearing_confidence),
    }));
  }

  /** Finished runs, newest first; of one serial number, or of every motor of one model. */
  async list(filter: { serialNumber?: string; model?: string } = {}): Promise<BenchReportSummary[]> {
    const where = filter.serialNumber !== undefined ? 'WHERE serial_number = $1' : filter.model !== undefined ? 'WHERE model = $1' : '';
    const params = filter.serialNumber ?? filter.model;
    const rows = await this.db.query(
      `SELECT id, serial_number, model, device_id, procedure, procedure_version, operator, epoch_ms(started_at) AS s, epoch_ms(ended_at) AS e, verdict
       FROM bench_runs ${where} ORDER BY started_at DESC LIMIT 500`,
      params === undefined ? [] : [params],
      this.db.writer,
    );
    return rows.map(runSummaryOfRow);
  }

  async procedures(): Promise<Procedure[]> {
    const rows = await this.db.query('SELECT procedure::VARCHAR AS p FROM bench_procedures ORDER BY name', [], this.db.writer);
    return rows.map((r) => procedureSchema.parse(JSON.parse(String(r.p))));
  }

  async saveProcedure(p: Procedure): Promise<void> {
    await this.db.run('DELETE FROM bench_procedures WHERE name = $1', [p.name]);
    await this.db.run('INSERT INTO bench_procedures VALUES ($1, $2, $3::JSON, now()::TIMESTAMP)', [p.name, p.version, JSON.stringify(p)]);
  }
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** A bench_runs row (started and ended as ms in `s` and `e`) as a run's summary; the plant push reads the same. */
export function runSummaryOfRow(r: Record<string, unknown>): BenchReportSummary {
  return {
    runId: String(r.id),
    serialNumber: String(r.serial_number),
    model: r.model === null ? null : String(r.model),
    deviceId: String(r.device_id),
    procedure: String(r.procedure),
    procedureVersion: String(r.procedure_version),
    operator: String(r.operator),
    startedAt: Number(r.s),
    endedAt: r.e === null ? null : Number(r.e),
    verdict: String(r.verdict) as Verdict,
  };
}
