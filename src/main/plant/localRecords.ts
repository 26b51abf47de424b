import { READING_NAMES } from '../../shared/readings';
import type { PushedBenchRun } from '../../shared/plantContract';
import { certificateSchema, type Certificate } from '../../shared/serialContract';
import type { MotorDatabase } from '../store/database';
import { runSummaryOfRow } from '../benchtest/benchStore';

// What this laptop recorded, read from its own DuckDB in the shapes the plant server takes.

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Finished bench runs (a run still going is pushed once it ends), each with its readings. */
export async function localBenchRuns(db: MotorDatabase): Promise<PushedBenchRun[]> {
  const runs = await db.query(
    `SELECT id, serial_number, model, device_id, procedure, procedure_version, operator, epoch_ms(started_at) AS s, epoch_ms(ended_at) AS e, verdict, record::VARCHAR AS record
     FROM bench_runs WHERE ended_at IS NOT NULL ORDER BY started_at`,
  );
  const out: PushedBenchRun[] = [];
  for (const r of runs) {
    const id = String(r.id);
    const samples = await db.query('SELECT t, epoch_ms(ts) AS ts, step, attempt, temperature, rpm, vib_velocity, ambient FROM bench_samples WHERE run_id = $1 ORDER BY t', [id]);
    const blocks = await db.query(
      'SELECT t, epoch_ms(ts) AS ts, step, attempt, velocity_rms_mm_s, one_x_mm_s, two_x_mm_s, bearing_fault, bearing_confidence FROM bench_blocks WHERE run_id = $1 ORDER BY t',
      [id],
    );
    out.push({
      ...runSummaryOfRow(r),
      record: JSON.parse(String(r.record)) as Record<string, unknown>,
      samples: samples.map((s) => ({ t: Number(s.t), ts: Number(s.ts), step: String(s.step), attempt: Number(s.attempt), temperature: num(s.temperature), rpm: num(s.rpm), vibVelocity: num(s.vib_velocity), ambient: num(s.ambient) })),
      blocks: blocks.map((b) => ({
        t: Number(b.t),
        ts: Number(b.ts),
        step: String(b.step),
        attempt: Number(b.attempt),
        velocityRmsMmS: Number(b.velocity_rms_mm_s),
        oneXMmS: Number(b.one_x_mm_s),
        twoXMmS: Number(b.two_x_mm_s),
        bearingFault: b.bearing_fault === null ? null : String(b.bearing_fault),
        bearingConfidence: Number(b.bearing_confidence),
      })),
    });
  }
  return out;
}

export async function localCertificates(db: MotorDatabase): Promise<Certificate[]> {
  const rows = await db.query('SELECT certificate::VARCHAR AS c FROM calibration_certificates ORDER BY created_at');
  return rows.map((r) => certificateSchema.parse(JSON.parse(String(r.c))));
}

export interface LocalTelemetryRow {
  ts: number;
  seq: number | null;
  values: Partial<Record<(typeof READING_NAMES)[number], number | null>>;
}

/** One motor's stored telemetry in time order, `batch` rows at a time (keyset by timestamp). */
export async function* localTelemetry(db: MotorDatabase, deviceId: string, fromMs: number | undefined, batch: number): AsyncGenerator<LocalTelemetryRow[]> {
  let after = fromMs === undefined ? -1 : fromMs - 1;
  for (;;) {
    const rows = await db.query(
      `SELECT epoch_ms(ts) AS t, seq, ${READING_NAMES.join(', ')} FROM telemetry WHERE device_id = $1 AND epoch_ms(ts) > $2 ORDER BY ts LIMIT ${batch}`,
      [deviceId, after],
    );
    if (!rows.length) return;
    yield rows.map((r) => ({ ts: Number(r.t), seq: num(r.seq), values: Object.fromEntries(READING_NAMES.filter((n) => r[n] !== null).map((n) => [n, Number(r[n])])) }));
    after = Number(rows[rows.length - 1].t);
  }
}

/** Motors with stored telemetry, and how many bench runs and certificates there are to push. */
export async function pushable(db: MotorDatabase): Promise<{ motors: Array<{ deviceId: string; rows: number }>; benchRuns: number; certificates: number }> {
  const motors = await db.query('SELECT device_id, count(*) AS n FROM telemetry GROUP BY device_id ORDER BY device_id');
  const [c] = await db.query('SELECT (SELECT count(*) FROM bench_runs WHERE ended_at IS NOT NULL) AS b, (SELECT count(*) FROM calibration_certificates) AS c');
  return { motors: motors.map((m) => ({ deviceId: String(m.device_id), rows: Number(m.n) })), benchRuns: Number(c.b), certificates: Number(c.c) };
}
