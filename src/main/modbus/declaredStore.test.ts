import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MotorDatabase } from '../store/database';
import { DeclaredReadingsStore } from './declaredStore';

// A refused batch's appender, once garbage, could write the batch a second time: the test collects garbage itself.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const T0 = 1_790_000_000_000;
const poll = (deviceId: string, s: number, tcu: number | null) => ({
  deviceId,
  ts: T0 + s * 1000,
  readings: { thermal_capacity: { value: tcu, unit: '%' }, trip_count: { value: s, unit: 'trips' } },
});

async function open() {
  const db = await MotorDatabase.open(join(mkdtempSync(join(tmpdir(), 'declared-')), 'd.duckdb'));
  const errors: string[] = [];
  return { db, errors, store: new DeclaredReadingsStore(db, (e) => errors.push(e.message)) };
}

const rows = (db: MotorDatabase) =>
  db.query('SELECT device_id, epoch_ms(ts)::DOUBLE AS ts, name, value, unit FROM declared_readings ORDER BY device_id, ts, name');

describe('DeclaredReadingsStore', () => {
  it('stores every reading of every poll since the last flush, one row each, nulls kept', async () => {
    const { db, store } = await open();
    store.add(poll('relay_1', 0, 42.5));
    store.add(poll('relay_2', 0, null));
    store.add(poll('relay_1', 1, 43));
    await store.flush();
    expect(await rows(db)).toEqual([
      { device_id: 'relay_1', ts: T0, name: 'thermal_capacity', value: 42.5, unit: '%' },
      { device_id: 'relay_1', ts: T0, name: 'trip_count', value: 0, unit: 'trips' },
      { device_id: 'relay_1', ts: T0 + 1000, name: 'thermal_capacity', value: 43, unit: '%' },
      { device_id: 'relay_1', ts: T0 + 1000, name: 'trip_count', value: 1, unit: 'trips' },
      { device_id: 'relay_2', ts: T0, name: 'thermal_capacity', value: null, unit: '%' },
      { device_id: 'relay_2', ts: T0, name: 'trip_count', value: 0, unit: 'trips' },
    ]);
    expect(await store.latest('relay_1', 'thermal_capacity')).toEqual({ ts: T0 + 1000, value: 43 });
    // A flush with nothing new writes nothing.
    await store.flush();
    expect(await rows(db)).toHaveLength(6);
    await store.close();
    db.close();
  });

  it('keeps a batch the file refused, says why once per change, and stores it whole when the file takes it again', async () => {
    const { db, store, errors } = await open();
    store.add(poll('relay_1', 0, 40));
    await store.flush();
    // The table is gone (as a file that refuses writes would): the next batches fail and are kept.
    await db.run('ALTER TABLE declared_readings RENAME TO declared_aside');
    await db.run('DROP TABLE declared_aside');
    store.add(poll('relay_1', 1, 41));
    await store.flush();
    store.add(poll('relay_1', 2, 42));
    await store.flush();
    const said = errors.length;
    await store.flush();
    // Each failure is said when it changes (the open appender's, then the missing table's), not on every flush.
    expect(errors.length).toBe(said);
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e).toMatch(/declared_readings/);
    await db.run('CREATE TABLE declared_readings (device_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, name VARCHAR NOT NULL, value DOUBLE, unit VARCHAR NOT NULL)');
    await store.flush();
    collectGarbage();
    await new Promise((r) => setTimeout(r, 20));
    expect(store.lastError).toBeNull();
    expect((await rows(db)).filter((r) => r.name === 'thermal_capacity').map((r) => r.value)).toEqual([41, 42]);
    await store.close();
    db.close();
  });
});
