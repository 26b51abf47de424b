import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type Harness } from '../support/engineHarness';
import { waitFor } from '../support/tools';

// The whole ingest path against the real embedded broker and a real DuckDB file.
describe('ingest through the embedded broker', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startEngine({ http: true });
  });
  afterAll(async () => h?.close());

  const rows = async (sql: string) => h.engine.db.query(sql);

  it("stores the original design's payload exactly as written", async () => {
    const payload = '{"device_id": "motor_01", "temperature": 72.4, "vibration": 0.034, "rpm": 1480, "timestamp": "2026-01-15T10:15:00Z"}';
    await h.publisher.publishAsync('factory/motor_01/telemetry', payload, { qos: 1 });
    await waitFor('the row', async () => {
      await h.engine.drain();
      return (await rows("SELECT * FROM telemetry WHERE device_id = 'motor_01'")).length === 1;
    });
    const [row] = await rows("SELECT temperature, vibration, rpm, strftime(ts, '%Y-%m-%dT%H:%M:%SZ') AS ts FROM telemetry WHERE device_id = 'motor_01'");
    expect(row).toEqual({ temperature: 72.4, vibration: 0.034, rpm: 1480, ts: '2026-01-15T10:15:00Z' });
    const twin = h.engine.twins.get('motor_01')!;
    expect(twin.readings.temperature?.value).toBe(72.4);
    expect(twin.connection).toBe('online');
  });

  it('rejects each kind of bad message with its reason and loses none of the good ones around it', async () => {
    const bad: Array<[string, string | Buffer, RegExp]> = [
      ['factory/m_bad/telemetry', 'not json at all', /not valid JSON/],
      ['factory/m_bad/telemetry', '{"device_id":"m_bad","temperature":"hot"}', /temperature/],
      ['factory/m_bad/telemetry', '{"device_id":"m_bad","temperature":NaN}', /NaN/],
      ['factory/m_bad/telemetry', '{"device_id":"m_bad","temperature":1e999}', /temperature/],
      ['factory/m_bad/telemetry', '{"temperature":50}', /device_id: is required/],
      ['factory/m_bad/telemetry', '{"device_id":"someone_else","temperature":50}', /does not match the topic/],
      ['factory/m_bad/telemetry', JSON.stringify({ device_id: 'm_bad', temperature: 1, pad: 'x'.repeat(70_000) }), /exceeds the 65536-byte limit/],
      ['factory/m_bad/telemetry', '{"device_id":"m_bad","temperature":50,"timestamp":"1970-01-01T00:00:00Z"}', /absurd/],
      ['factory/m_bad/telemetry', '{"device_id":"m_bad","temperature":50,"timestamp":"yesterday"}', /not an ISO 8601/],
      ['factory/m_bad/telemetry', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), /UTF-8/],
    ];
    const before = h.engine.pipeline.counters.rejected;
    let seq = 0;
    for (const [topic, payload] of bad) {
      await h.publisher.publishAsync('factory/m_good/telemetry', JSON.stringify({ device_id: 'm_good', seq: seq++, temperature: 40 + seq }), { qos: 1 });
      await h.publisher.publishAsync(topic, payload, { qos: 1 });
    }
    await h.publisher.publishAsync('factory/m_good/telemetry', JSON.stringify({ device_id: 'm_good', seq: seq++, temperature: 99 }), { qos: 1 });
    await waitFor('all rejections', () => h.engine.pipeline.counters.rejected - before === bad.length);
    await waitFor('all good rows', async () => {
      await h.engine.drain();
      return Number((await rows("SELECT count(*) AS n FROM telemetry WHERE device_id = 'm_good'"))[0].n) === seq;
    });
    const listed = h.engine.rejects.list(bad.length);
    for (const [, , reason] of bad) expect(listed.some((r) => reason.test(r.reason)), `a rejection matching ${reason}`).toBe(true);
    for (const r of listed) expect(r.payload.length).toBeLessThanOrEqual(600);
    expect(h.engine.twins.get('m_bad')).toBeUndefined();
    // The rejections are stored too, so they survive a restart.
    await h.engine.rejects.flush();
    expect(Number((await rows("SELECT count(*) AS n FROM rejected WHERE topic = 'factory/m_bad/telemetry'"))[0].n)).toBe(bad.length);
  });

  it('stores QoS 1 redeliveries and other duplicates once (same seq, or same device timestamp)', async () => {
    const msg = { device_id: 'm_dup', seq: 7, temperature: 50 };
    for (let i = 0; i < 3; i++) await h.publisher.publishAsync('factory/m_dup/telemetry', JSON.stringify(msg), { qos: 1 });
    const stamped = { device_id: 'm_dup', temperature: 51, timestamp: new Date(Date.now() - 1000).toISOString() };
    for (let i = 0; i < 2; i++) await h.publisher.publishAsync('factory/m_dup/telemetry', JSON.stringify(stamped), { qos: 1 });
    await h.publisher.publishAsync('factory/m_dup/telemetry', JSON.stringify({ ...msg, seq: 10 }), { qos: 1 });
    await waitFor('counts', () => h.engine.twins.get('m_dup')?.counts.received === 6);
    await h.engine.drain();
    expect(Number((await rows("SELECT count(*) AS n FROM telemetry WHERE device_id = 'm_dup'"))[0].n)).toBe(3);
    const t = h.engine.twins.get('m_dup')!;
    expect(t.counts.duplicates).toBe(3);
    expect(t.counts.missed).toBe(2); // seq 8 and 9 never came
  });

  it('tracks connection from retained status and the last will', async () => {
    await h.publisher.publishAsync('factory/m_status/status', JSON.stringify({ device_id: 'm_status', state: 'online', fw: '1.2.0', board: 'esp32', calibration_id: 'c-1' }), { qos: 1, retain: true });
    await waitFor('online', () => h.engine.twins.get('m_status')?.connection === 'online');
    expect(h.engine.twins.get('m_status')!.device).toEqual({ fw: '1.2.0', board: 'esp32', calibrationId: 'c-1' });
    await h.publisher.publishAsync('factory/m_status/status', 'offline', { qos: 1, retain: true });
    await waitFor('offline', () => h.engine.twins.get('m_status')?.connection === 'offline');
  });

  it('answers GET /api/health and GET /api/twins', async () => {
    const health = await (await fetch(`${h.server!.url}/api/health`)).json();
    expect(health.status).toBe('ok');
    expect(health.broker.mode).toBe('embedded');
    expect(health.ingest.stored).toBeGreaterThan(0);
    expect(typeof health.uptime_s).toBe('number');
    const twins = await (await fetch(`${h.server!.url}/api/twins`)).json();
    const m1 = twins.find((t: { id: string }) => t.id === 'motor_01');
    expect(m1.readings.temperature.value).toBe(72.4);
    expect(m1.connection).toBeDefined();
    expect(typeof m1.readings.temperature.ts).toBe('number');
    const notFound = await fetch(`${h.server!.url}/api/nothing`);
    expect(notFound.status).toBe(404);
  });

  it('exports a device and time range as Parquet and CSV over HTTP', async () => {
    const base = Date.now() - 3600_000;
    for (let i = 0; i < 20; i++) {
      await h.publisher.publishAsync('factory/m_exp/telemetry', JSON.stringify({ device_id: 'm_exp', seq: i, temperature: 30 + i, timestamp: new Date(base + i * 60_000).toISOString() }), { qos: 1 });
    }
    await waitFor('rows', () => h.engine.twins.get('m_exp')?.counts.received === 20);
    const q = new URLSearchParams({ device: 'm_exp', from: String(base), to: String(base + 10 * 60_000), format: 'parquet' });
    const res = await fetch(`${h.server!.url}/api/export?${q}`);
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 4).toString()).toBe('PAR1');
    const { writeFileSync } = await import('node:fs');
    const file = `${h.dataDir}/check.parquet`;
    writeFileSync(file, bytes);
    const back = await h.engine.db.query(`SELECT count(*) AS n, min(temperature) AS lo, max(temperature) AS hi FROM read_parquet('${file}')`);
    expect(back[0]).toEqual({ n: 10, lo: 30, hi: 39 });
    q.set('format', 'csv');
    const csv = await (await fetch(`${h.server!.url}/api/export?${q}`)).text();
    expect(csv.split('\n')[0]).toContain('device_id,ts,seq,temperature');
    expect(csv.trim().split('\n')).toHaveLength(11);
    const bad = await fetch(`${h.server!.url}/api/export?device=m_exp&from=5&to=1`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/to must be after from/);
  });
});
