import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MotorDatabase } from './database';
import { RejectedLog } from './rejectedLog';

const stored = async (db: MotorDatabase) => (await db.query('SELECT reason FROM rejected ORDER BY ts')).map((r) => r.reason);

describe('RejectedLog', () => {
  it('stores a burst of rejections in one batch within its period, with no flush called, and what is left on close', async () => {
    const db = await MotorDatabase.open(join(mkdtempSync(join(tmpdir(), 'rejected-')), 'motortwin.duckdb'));
    try {
      const log = new RejectedLog(db, (e) => {
        throw e;
      });
      const t0 = performance.now();
      for (let i = 0; i < 3; i++) log.add({ ts: Date.now(), deviceId: 'm1', source: 'mqtt', topic: 'factory/m1/telemetry', reason: `json: bad ${i}`, payload: '{' });
      while ((await stored(db)).length < 3) {
        expect(performance.now() - t0, 'stored by its own clock').toBeLessThan(10_000);
        await new Promise((r) => setTimeout(r, 50));
      }
      log.add({ ts: Date.now() + 1, deviceId: null, source: 'mqtt', topic: 'x', reason: 'json: last', payload: 'x' });
      await log.close();
      expect(await stored(db)).toEqual(['json: bad 0', 'json: bad 1', 'json: bad 2', 'json: last']);
      // Closed: a later rejection is kept in memory for the UI but schedules nothing.
      log.add({ ts: Date.now() + 2, deviceId: null, source: 'mqtt', topic: 'x', reason: 'json: after', payload: 'x' });
      expect(log.list(1)[0].reason).toBe('json: after');
    } finally {
      db.close();
    }
  });
});
