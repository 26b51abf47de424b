import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MotorDatabase } from './database';
import { Rollups } from './rollups';
import { TelemetryWriter, type TelemetryRow } from './telemetryWriter';

const T0 = Date.UTC(2026, 10, 27, 8, 0, 0);
const row = (deviceId: string, i: number): TelemetryRow => ({ deviceId, ts: T0 + i * 10_000, receivedAt: T0 + i * 10_000, seq: i, tsSuspect: false, source: 'mqtt', values: { temperature: 40 + i } });

async function store(db: MotorDatabase, rows: TelemetryRow[]) {
  const w = new TelemetryWriter(db);
  for (const r of rows) w.enqueue(r);
  await w.close();
}

const minutes = (db: MotorDatabase) => db.query('SELECT device_id, sum(n)::INTEGER AS n, count(*)::INTEGER AS buckets FROM telemetry_1m GROUP BY device_id ORDER BY device_id');

describe('Rollups', () => {
  it('recomputes a bucket that gained rows in place, and keeps every device pending when a refresh fails', async () => {
    const db = await MotorDatabase.open(join(mkdtempSync(join(tmpdir(), 'rollups-')), 'r.duckdb'));
    const rollups = new Rollups(db);
    await store(db, [0, 1, 2].map((i) => row('a', i)));
    rollups.markDirty('a', T0);
    await rollups.run();
    // Late rows in the same minute: the bucket is replaced, not added twice.
    await store(db, [3, 4].map((i) => row('a', i)));
    rollups.markDirty('a', T0 + 30_000);
    await rollups.run();
    expect(await minutes(db)).toEqual([{ device_id: 'a', n: 5, buckets: 1 }]);

    // The disk refuses the first device's rollup: the second must not be forgotten.
    await store(db, [row('b', 0), row('c', 0)]);
    rollups.markDirty('b', T0);
    rollups.markDirty('c', T0);
    const run = db.rollup.run.bind(db.rollup);
    db.rollup.run = (async (sql: string, ...rest: unknown[]) => {
      if (sql === 'COMMIT') throw new Error('IO Error: No space left on device');
      return (run as (s: string, ...r: unknown[]) => Promise<unknown>)(sql, ...rest);
    }) as typeof db.rollup.run;
    await expect(rollups.run()).rejects.toThrow(/No space left/);
    db.rollup.run = run;
    await rollups.run();
    expect(await minutes(db)).toEqual([
      { device_id: 'a', n: 5, buckets: 1 },
      { device_id: 'b', n: 1, buckets: 1 },
      { device_id: 'c', n: 1, buckets: 1 },
    ]);
    await rollups.close();
    db.close();
  });

  it('keeps a reading that only earlier rows of the hour carry, and gives one no row carries no aggregates', async () => {
    const db = await MotorDatabase.open(join(mkdtempSync(join(tmpdir(), 'rollups-')), 'r.duckdb'));
    const rollups = new Rollups(db);
    await store(db, [{ ...row('a', 0), values: { temperature: 40, ambient: 20 } }]);
    rollups.markDirty('a', T0);
    await rollups.run();
    // Five minutes later, without ambient: the hour is summed again from minutes that include the first.
    await store(db, [{ ...row('a', 30), values: { temperature: 50 } }]);
    rollups.markDirty('a', T0 + 300_000);
    await rollups.run();
    expect(await db.query('SELECT n, temperature_max, ambient_min, ambient_n, rpm_min, rpm_n FROM telemetry_1h')).toEqual([
      { n: 2, temperature_max: 50, ambient_min: 20, ambient_n: 1, rpm_min: null, rpm_n: 0 },
    ]);
    expect(await db.query('SELECT temperature_n, ambient_min, ambient_n FROM telemetry_1m ORDER BY bucket')).toEqual([
      { temperature_n: 1, ambient_min: 20, ambient_n: 1 },
      { temperature_n: 1, ambient_min: null, ambient_n: 0 },
    ]);
    await rollups.close();
    db.close();
  });
});
