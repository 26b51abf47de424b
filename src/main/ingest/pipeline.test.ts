import { describe, expect, it } from 'vitest';
import { TwinRegistry } from '../twin/twinRegistry';
import { RejectedLog } from '../store/rejectedLog';
import type { TelemetryRow, TelemetryWriter } from '../store/telemetryWriter';
import { IngestPipeline } from './pipeline';
import { routeDeviceMessage } from './mqttIngest';
import type { PlausibleRanges } from '../../shared/plausibility';

function setup(plausibility?: PlausibleRanges) {
  const twins = new TwinRegistry();
  const rows: TelemetryRow[] = [];
  const writer = { enqueue: (r: TelemetryRow) => rows.push(r) } as unknown as TelemetryWriter;
  const rejects = new RejectedLog(null);
  const pipeline = new IngestPipeline(twins, writer, rejects, { plausibility });
  const published: unknown[] = [];
  pipeline.on('telemetry', (p) => published.push(p));
  const send = (topic: string, payload: unknown) => routeDeviceMessage(pipeline, topic, Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)));
  return { twins, rows, rejects, pipeline, published, send };
}

describe('IngestPipeline: device ids on topics', () => {
  it.each(['<img src=x onerror=alert(1)>', '..', '=HYPERLINK("evil.example","x")', 'm'.repeat(3000)])('rejects every topic kind of %s and makes no twin', (id) => {
    const { twins, rows, rejects, pipeline, send } = setup();
    send(`factory/${id}/status`, 'online');
    send(`factory/${id}/status`, { device_id: id, state: 'online' });
    send(`factory/${id}/telemetry`, { device_id: id, temperature: 40 });
    send(`factory/${id}/telemetry`, { temperature: 40 });
    send(`factory/${id}/waveform`, { device_id: id });
    send(`factory/${id}/commands/ack`, { id: 'c1', status: 'applied' });
    expect(twins.size).toBe(0);
    expect(rows).toEqual([]);
    expect(pipeline.counters).toMatchObject({ received: 6, rejected: 6, accepted: 0 });
    const listed = rejects.list(10);
    expect(listed).toHaveLength(6);
    for (const r of listed) {
      expect(r.reason).toMatch(/^device_id: the topic's device id .* must be 1-64 letters/);
      expect(r.deviceId).toBeNull();
    }
    // The shedder keeps no bucket for a made-up id.
    expect(pipeline.shedder.shedding()).toEqual([]);
  });
});

describe('IngestPipeline: physically impossible readings', () => {
  it.each([
    ['temperature', 1e308, /temperature: 1e\+308 °C is outside the plausible range -60 to 400 °C/],
    ['temperature', -1e308, /temperature: -1e\+308 °C is outside the plausible range/],
    ['vibration', 1e308, /vibration: 1e\+308 g is outside the plausible range 0 to 100 g/],
    ['vibration', -0.2, /vibration: -0.2 g is outside/],
    ['rpm', 1e308, /rpm: 1e\+308 rpm is outside the plausible range 0 to 100000 rpm/],
    ['rpm', -5, /rpm: -5 rpm is outside/],
  ])('rejects %s %s with a reason naming reading, value and range, and it reaches neither store, twin nor alarms', (name, value, reason) => {
    const { twins, rows, rejects, published, send } = setup();
    send('factory/motor_01/telemetry', { device_id: 'motor_01', seq: 1, temperature: 50 });
    send('factory/motor_01/telemetry', { device_id: 'motor_01', seq: 2, temperature: 50, [name]: value });
    expect(rows).toHaveLength(1);
    expect(published).toHaveLength(1);
    const twin = twins.get('motor_01')!;
    expect(twin.readings.temperature?.value).toBe(50);
    expect(twin.statusReasons).toEqual([]);
    expect(twin.counts.rejected).toBe(1);
    expect(rejects.list(1)[0].reason).toMatch(new RegExp(`^range: ${reason.source}`));
    // The sequence number of a rejected message does not count as received: the next one is no gap.
    send('factory/motor_01/telemetry', { device_id: 'motor_01', seq: 3, temperature: 51 });
    expect(rows).toHaveLength(2);
  });

  it('makes no twin from a first message that is implausible', () => {
    const { twins, send } = setup();
    send('factory/motor_02/telemetry', { device_id: 'motor_02', rpm: 1e308 });
    expect(twins.get('motor_02')).toBeUndefined();
  });

  it('accepts the edges of the default ranges and a null reading', () => {
    const { rows, send } = setup();
    send('factory/motor_01/telemetry', { device_id: 'motor_01', temperature: 400, vibration: 0, rpm: 100_000, ambient: -60, current: null });
    expect(rows).toHaveLength(1);
  });

  it('takes ranges from the engine configuration, over the defaults', () => {
    // A motor in a furnace line: frame sensors rated to 600 °C.
    const { rows, rejects, send } = setup({ temperature: { min: -60, max: 600 } });
    send('factory/motor_01/telemetry', { device_id: 'motor_01', temperature: 550 });
    send('factory/motor_01/telemetry', { device_id: 'motor_01', temperature: 650 });
    send('factory/motor_01/telemetry', { device_id: 'motor_01', rpm: 1e6 });
    expect(rows).toHaveLength(1);
    expect(rejects.list(2).map((r) => r.reason)).toEqual([
      expect.stringMatching(/rpm: 1000000 rpm is outside the plausible range 0 to 100000 rpm/),
      expect.stringMatching(/temperature: 650 °C is outside the plausible range -60 to 600 °C/),
    ]);
  });

  it('refuses a configured range that is not a range', () => {
    const twins = new TwinRegistry();
    const make = (plausibility: unknown) => () => new IngestPipeline(twins, {} as TelemetryWriter, new RejectedLog(null), { plausibility: plausibility as PlausibleRanges });
    expect(make({ temperature: { min: 10, max: 0 } })).toThrow(/temperature: min must be below max/);
    expect(make({ torque: { min: 0, max: 1 } })).toThrow(/torque/);
  });
});
