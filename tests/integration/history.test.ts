import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { MotorDatabase } from '../../src/main/store/database';
import { TelemetryWriter } from '../../src/main/store/telemetryWriter';
import { Rollups } from '../../src/main/store/rollups';
import { queryHistory } from '../../src/main/store/history';
import { tempDir } from '../support/tools';

// History and rollups on a real DuckDB file: the rollup answer must equal plain SQL over raw rows.
describe('history rollups', () => {
  let db: MotorDatabase;
  const start = Date.UTC(2026, 0, 1);
  beforeAll(async () => {
    db = await MotorDatabase.open(join(tempDir(), 'h.duckdb'));
    const rollups = new Rollups(db);
    const writer = new TelemetryWriter(db, { onFlush: (r) => r.earliestByDevice.forEach((ts, id) => rollups.markDirty(id, ts)) });
    // Three days at one reading per 10 s, a daily temperature cycle, some nulls.
    for (let i = 0; i < 3 * 8640; i++) {
      const ts = start + i * 10_000;
      const temperature = i % 97 === 0 ? null : 50 + 10 * Math.sin((2 * Math.PI * i) / 8640);
      writer.enqueue({ deviceId: 'm1', ts, receivedAt: ts, seq: i, tsSuspect: false, source: 'mqtt', values: { temperature, rpm: 1480 } });
    }
    await writer.flush();
    await rollups.run();
    // Late data for the first hour arrives after the rollups ran: they must be recomputed.
    writer.enqueue({ deviceId: 'm1', ts: start + 5_000, receivedAt: Date.now(), seq: null, tsSuspect: false, source: 'mqtt', values: { temperature: 99 } });
    await writer.flush();
    await rollups.run();
  });
  afterAll(() => db?.close());

  it('reads the coarse rollup for long ranges and agrees with plain SQL over raw rows', async () => {
    const to = start + 3 * 86_400_000;
    const h = await queryHistory(db, { id: 'm1', metrics: ['temperature'], from: start, to, maxPoints: 60 });
    expect(h.resolution).toBe('1h');
    expect(h.bucketMs).toBe(2 * 3600_000);
    expect(h.t.length).toBe(36);
    const plain = await db.query(
      `SELECT (floor(epoch_ms(ts) / 7200000) * 7200000)::DOUBLE AS t, min(temperature) AS lo, max(temperature) AS hi, avg(temperature) AS mean
       FROM telemetry WHERE device_id = 'm1' GROUP BY 1 ORDER BY 1`,
    );
    expect(h.t).toEqual(plain.map((r) => r.t));
    const s = h.series.temperature!;
    plain.forEach((r, i) => {
      expect(s.min[i]).toBeCloseTo(r.lo as number, 9);
      expect(s.max[i]).toBeCloseTo(r.hi as number, 9);
      expect(s.avg[i]).toBeCloseTo(r.mean as number, 9);
    });
    expect(s.max[0]).toBe(99); // the late row is in
  });

  it('picks 1-minute rollups for hours and raw rows for minutes', async () => {
    const hours = await queryHistory(db, { id: 'm1', metrics: ['temperature', 'rpm'], from: start, to: start + 6 * 3600_000, maxPoints: 100 });
    expect(hours.resolution).toBe('1m');
    expect(hours.series.rpm!.avg.every((v) => v === 1480)).toBe(true);
    const minutes = await queryHistory(db, { id: 'm1', metrics: ['temperature'], from: start, to: start + 10 * 60_000, maxPoints: 1000 });
    expect(minutes.resolution).toBe('raw');
    expect(minutes.t.length).toBe(61); // 60 rows at 10 s spacing plus the late one at +5 s
  });

  it('returns nothing for an unknown device rather than failing', async () => {
    const h = await queryHistory(db, { id: 'nobody', metrics: ['temperature'], from: start, to: start + 3600_000, maxPoints: 100 });
    expect(h.t).toEqual([]);
  });
});
