import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startEngine, type Harness } from '../support/engineHarness';
import { waitFor } from '../support/tools';
import { MotorDatabase } from '../../src/main/store/database';
import { createLog } from '../../src/main/platform/log';

// Issue 17, item 5: a one-word status message on a topic with a made-up id created a twin, saved it, and
// from then on blanked the fleet, survived restarts and drew commands to factory/<img …>/commands. Here the
// same messages go to the real embedded broker, and a bad twin row is written into the DuckDB file directly.

const BAD_IDS = ['<img src=x onerror=alert(1)>', '..', '=HYPERLINK("evil.example","x")', 'm'.repeat(3000)];

describe('device ids on every path that names a twin', () => {
  let h: Harness | undefined;
  afterAll(async () => h?.close());

  it('rejects bad-id status and telemetry from the broker, makes and stores no twin, and skips a bad stored twin at start', async () => {
    h = await startEngine();
    const { engine, publisher } = h;
    await publisher.publishAsync('factory/motor_01/telemetry', JSON.stringify({ device_id: 'motor_01', temperature: 41 }), { qos: 1 });
    const before = engine.pipeline.counters.rejected;
    let sent = 0;
    for (const id of BAD_IDS) {
      for (const [kind, payload] of [
        ['status', 'online'],
        ['status', JSON.stringify({ device_id: id, state: 'online', fw: '1.0' })],
        ['telemetry', JSON.stringify({ device_id: id, temperature: 99, vibration: 0.2 })],
        ['commands/ack', JSON.stringify({ id: 'c1', status: 'applied' })],
      ]) {
        await publisher.publishAsync(`factory/${id}/${kind}`, payload, { qos: 1 });
        sent++;
      }
    }
    // The issue's own spelling of a path. A formula with a URL in it has more topic levels than any device
    // topic: the ingest never subscribes to it.
    await publisher.publishAsync('factory/../status', 'online', { qos: 1 });
    sent++;
    await waitFor('every bad-id message rejected', () => engine.pipeline.counters.rejected - before === sent);

    expect(engine.twins.all().map((t) => t.id)).toEqual(['motor_01']);
    const reasons = engine.rejects.list(sent).map((r) => r.reason);
    for (const r of reasons) expect(r).toMatch(/^device_id: the topic's device id .* must be 1-64 letters/);
    await engine.drain();
    expect((await engine.db.query('SELECT id FROM twins ORDER BY id')).map((r) => r.id)).toEqual(['motor_01']);
    expect(Number((await engine.db.query("SELECT count(*) AS n FROM telemetry WHERE device_id <> 'motor_01'"))[0].n)).toBe(0);

    // A twin row from before the fix, written straight into the database file.
    const dataDir = h.dataDir;
    await h.close();
    h = undefined;
    const db = await MotorDatabase.open(join(dataDir, 'motortwin.duckdb'));
    await db.run(
      `INSERT INTO twins SELECT $1, $1, source, simulated, nameplate, limits, device, created_at, updated_at FROM twins WHERE id = 'motor_01'`,
      [BAD_IDS[0]],
    );
    db.close();

    const logged: string[] = [];
    const log = createLog({ format: 'json', to: { write: (l: string) => logged.push(l) } });
    h = await startEngine({ dataDir, log });
    expect(h.engine.twins.all().map((t) => t.id)).toEqual(['motor_01']);
    expect(h.engine.twins.get('motor_01')?.readings.temperature?.value).toBe(41);
    const skipped = /^stored twin "<img src=x onerror=alert\(1\)>" not loaded: id: device_id must be 1-64 letters/;
    const warnings = logged.map((l) => JSON.parse(l) as { level: number; part: string; msg: string }).filter((l) => l.level === 40);
    expect(warnings.some((l) => l.part === 'engine' && /^stored twin "<img/.test(l.msg))).toBe(true);
    expect(h.engine.rejects.list(10).some((r) => skipped.test(r.reason) && r.topic === 'twins')).toBe(true);
  });
});
