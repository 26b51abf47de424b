import { MotorDatabase } from '../src/main/store/database';
import { TelemetryWriter } from '../src/main/store/telemetryWriter';
import { RejectedLog } from '../src/main/store/rejectedLog';
import { TwinRegistry } from '../src/main/twin/twinRegistry';
import { IngestPipeline } from '../src/main/ingest/pipeline';
import { HealthService } from '../src/main/health/healthService';
import { median, round, type Figure } from './figure';

// What rules, alarms, the health index and anomaly scoring add to the ingest of one telemetry message:
// the same pipeline (decode, validate, dedupe, twin, queue for DuckDB) with and without the health evaluator,
// on the same pre-encoded messages, interleaved runs, median per-message cost. Every motor has its rules
// stepped and its anomaly baseline learned before timing; the health index is worked out once a second per
// motor, as in the engine.

const DEVICES = 50;
/** Readings (100 ms apart) each motor's anomaly baseline is learned from before timing: its window, by nameplate. */
const BASELINE_READINGS = 120;
const BASELINE_HOURS = (BASELINE_READINGS * 0.1) / 3600;

function messages(count: number, start: number): Array<{ id: string; raw: string }> {
  return Array.from({ length: count }, (_, i) => {
    const id = `motor_${i % DEVICES}`;
    const k = start + Math.floor(i / DEVICES);
    const payload = {
      device_id: id,
      seq: k,
      timestamp: new Date(Date.UTC(2026, 0, 1) + k * 100).toISOString(),
      temperature: 60 + 0.1 * Math.random(),
      ambient: 24,
      vibration: 0.013 + 0.001 * Math.random(),
      rpm: 1480 + Math.random(),
      vib_velocity: 0.8 + 0.02 * Math.random(),
      current: 12.1,
    };
    return { id, raw: JSON.stringify(payload) };
  });
}

async function pipelineFor(withHealth: boolean) {
  const db = await MotorDatabase.open(':memory:');
  const twins = new TwinRegistry();
  const writer = new TelemetryWriter(db, { flushRows: Number.MAX_SAFE_INTEGER, maxPendingRows: 10_000_000 });
  const pipeline = new IngestPipeline(twins, writer, new RejectedLog(null));
  const health = withHealth ? new HealthService(db, twins) : null;
  if (health) twins.addEvaluator(health);
  for (let d = 0; d < DEVICES; d++) {
    twins.ensure(`motor_${d}`, 'mqtt');
    twins.update({ id: `motor_${d}`, nameplate: { baselineHours: BASELINE_HOURS } });
  }
  return { db, pipeline, health, writer };
}

export async function benchHealth(opts: { quick: boolean }): Promise<Figure[]> {
  // Many short interleaved runs, judged by the median of adjacent pairs' ratios: robust to a machine whose
  // load drifts during the measurement.
  const perRun = 5000;
  const runs = opts.quick ? 16 : 40;
  const warm = messages(DEVICES * (BASELINE_READINGS + 20), 0);
  const plain = await pipelineFor(false);
  const judged = await pipelineFor(true);
  try {
    for (const p of [plain, judged]) {
      for (const m of warm) p.pipeline.ingest('telemetry', m.raw, m.id, 'mqtt', 'bench');
      await p.writer.flush();
    }
    const learned = judged.health!.health('motor_0').anomaly.phase;
    if (learned !== 'scoring') throw new Error(`anomaly baselines not learned during warm-up (${learned})`);
    const base: number[] = [];
    const withHealth: number[] = [];
    const ratios: number[] = [];
    let start = BASELINE_READINGS + 20;
    for (let r = 0; r < runs; r++) {
      const batch = messages(perRun, start);
      start += perRun / DEVICES;
      for (const [p, out] of r % 2 ? ([[judged, withHealth], [plain, base]] as const) : ([[plain, base], [judged, withHealth]] as const)) {
        const t = performance.now();
        for (const m of batch) p.pipeline.ingest('telemetry', m.raw, m.id, 'mqtt', 'bench');
        out.push(((performance.now() - t) * 1000) / perRun);
        // The rows go to DuckDB between runs, so neither side carries the other's backlog.
        await p.writer.flush();
      }
      ratios.push(withHealth[r] / base[r]);
    }
    if (judged.pipeline.counters.rejected || plain.pipeline.counters.rejected) throw new Error('bench messages were rejected');
    const value = median(withHealth);
    const baseline = median(base);
    const ratio = median(ratios);
    return [
      {
        name: 'health_overhead_per_telemetry_message',
        value: round(value, 2),
        unit: 'µs/msg',
        baseline: round(baseline, 2),
        baselineName: `the same ingest pipeline without rules, health and anomaly scoring (${DEVICES} motors, ${perRun} messages a run)`,
        ratio: round(ratio),
        goal: '<= 1.2 x ingest without them (median of paired runs)',
        pass: ratio <= 1.2,
      },
    ];
  } finally {
    await judged.health!.close();
    plain.db.close();
    judged.db.close();
  }
}
