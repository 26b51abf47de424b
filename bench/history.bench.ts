import { join } from 'node:path';
import { MotorDatabase } from '../src/main/store/database';
import { TelemetryWriter } from '../src/main/store/telemetryWriter';
import { Rollups } from '../src/main/store/rollups';
import { queryHistory } from '../src/main/store/history';
import { tempDir } from '../tests/support/tools';
import { median, round, type Figure } from './figure';

/**
 * 30 days of one motor at 1 Hz (2.6 M rows) among other motors' data, read back as at most 2,000
 * min/max/avg buckets, against the same aggregate written as plain SQL over the raw rows.
 */
export async function benchHistory(opts: { quick: boolean }): Promise<Figure[]> {
  const db = await MotorDatabase.open(join(tempDir('bench-history-'), 'h.duckdb'));
  try {
    const rollups = new Rollups(db);
    const writer = new TelemetryWriter(db, { flushRows: 1_000_000, onFlush: (r) => r.earliestByDevice.forEach((ts, id) => rollups.markDirty(id, ts)) });
    const days = 30;
    const to = Date.UTC(2026, 10, 1);
    const from = to - days * 86_400_000;
    const t0 = performance.now();
    for (let s = 0; s < days * 86_400; s++) {
      const ts = from + s * 1000;
      writer.enqueue({ deviceId: 'motor_30d', ts, receivedAt: ts, seq: s, tsSuspect: false, source: 'mqtt', values: { temperature: 60 + 8 * Math.sin(s / 13_751), vibration: 0.03, rpm: 1480 } });
      if (s % 200_000 === 0) await writer.flush();
    }
    await writer.flush();
    const loadS = (performance.now() - t0) / 1000;
    const r0 = performance.now();
    await rollups.run();
    const rollupS = (performance.now() - r0) / 1000;
    const q = { id: 'motor_30d', metrics: ['temperature' as const], from, to, maxPoints: 2000 };
    const runs = opts.quick ? 7 : 21;
    const ours: number[] = [];
    const plain: number[] = [];
    let buckets = 0;
    const plan = await queryHistory(db, q);
    const bucketMs = plan.bucketMs;
    const plainSql = `SELECT (floor(epoch_ms(ts) / ${bucketMs}) * ${bucketMs})::DOUBLE AS t, min(temperature), max(temperature), avg(temperature)
      FROM telemetry WHERE device_id = 'motor_30d' AND ts >= make_timestamp(${from}::BIGINT * 1000) AND ts < make_timestamp(${to}::BIGINT * 1000) GROUP BY 1 ORDER BY 1`;
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      buckets = (await queryHistory(db, q)).t.length;
      ours.push(performance.now() - t);
      t = performance.now();
      await db.reader.runAndReadAll(plainSql);
      plain.push(performance.now() - t);
    }
    const value = median(ours);
    const baseline = median(plain);
    process.stderr.write(`history: loaded ${days * 86_400} rows in ${round(loadS, 1)} s, rollups in ${round(rollupS, 1)} s, ${buckets} buckets\n`);
    return [
      {
        name: 'history_30d_1hz_query',
        value: round(value),
        unit: 'ms',
        baseline: round(baseline),
        baselineName: 'the same aggregate as plain SQL over raw rows',
        ratio: round(value / baseline),
        goal: `<= 100 ms, <= 1.5 x plain SQL, <= 2000 buckets (got ${buckets})`,
        pass: value <= 100 && value <= 1.5 * baseline && buckets <= 2000 && buckets > 0,
      },
    ];
  } finally {
    db.close();
  }
}
