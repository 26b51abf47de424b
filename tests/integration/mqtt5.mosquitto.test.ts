import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { methods } from '../../src/shared/contract';
import { handlers } from '../../src/main/rpc/handlers';
import { startEmbeddedBroker } from '../../src/main/broker/embeddedBroker';
import { startEngine, type Harness } from '../support/engineHarness';
import { startMosquitto, tempDir, waitFor, type Mosquitto } from '../support/tools';

// MQTT 5 against the real Mosquitto (Debian's 2.x): message expiry of commands, acknowledgements by
// response topic and correlation data, the engine's session expiry, user properties in the inspector, and
// the fallback to 3.1.1 on a broker that speaks nothing newer.

const opened: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
});

async function board(url: string, opts: IClientOptions = {}): Promise<MqttClient> {
  const c = await mqtt.connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0, ...opts });
  opened.push({ close: () => c.endAsync(true) });
  return c;
}

const telemetry = (id: string, temperature = 40) => JSON.stringify({ device_id: id, temperature });

describe('MQTT 5 with an external Mosquitto', () => {
  let broker: Mosquitto;
  let url: string;
  let h: Harness;
  beforeAll(async () => {
    broker = await startMosquitto();
    url = `mqtt://127.0.0.1:${broker.port}`;
    h = await startEngine({ broker: { mode: 'external', url, clientId: 'motortwin-mqtt5-test' } });
    await waitFor('engine connected', () => h.engine.ingest?.state.connected);
  });
  afterAll(async () => {
    await h?.close();
    await broker?.stop();
  });

  it('speaks MQTT 5 with the broker', () => {
    expect(h.engine.status().broker).toMatchObject({ connected: true, protocol: '5', note: null });
  });

  it('a command queued for an offline board is not delivered after its expiry; a fresh one is, with response topic and correlation data', async () => {
    const id = 'm_expiry';
    const session = { clientId: `board-${id}`, clean: false, properties: { sessionExpiryInterval: 3600 } };
    let b = await board(url, session);
    await b.subscribeAsync(`factory/${id}/commands`, { qos: 1 });
    await b.publishAsync(`factory/${id}/telemetry`, telemetry(id), { qos: 1 });
    await waitFor('the twin', () => h.engine.twins.get(id));
    await b.endAsync();

    // The board is away; Mosquitto queues both commands for its session.
    const policy = h.engine.commands.policy(id);
    h.engine.commands.setPolicy(id, { ...policy, ackTimeoutS: 1 }, 'test');
    const stale = h.engine.commands.create({ deviceId: id, action: 'IDENTIFY', reason: 'short-lived' }, { kind: 'person', name: 'ana' });
    await waitFor('stale sent', () => h.engine.commands.get(stale.id)?.status === 'sent');
    h.engine.commands.setPolicy(id, { ...policy, ackTimeoutS: 120 }, 'test');
    const fresh = h.engine.commands.create({ deviceId: id, action: 'SET_RATE', value: 2, reason: 'long-lived' }, { kind: 'person', name: 'ana' });
    await waitFor('fresh sent', () => h.engine.commands.get(fresh.id)?.status === 'sent');
    await waitFor('the stale command expired in the gate', () => h.engine.commands.get(stale.id)?.status === 'expired');
    await new Promise((r) => setTimeout(r, 1500));

    const seen: Array<{ id: string; packet: IPublishPacket }> = [];
    b = mqtt.connect(url, { protocolVersion: 5, reconnectPeriod: 0, ...session });
    opened.push({ close: () => b.endAsync(true) });
    b.on('message', (_t, p, packet) => seen.push({ id: JSON.parse(p.toString()).id, packet }));
    await waitFor('the fresh command delivered', () => seen.some((s) => s.id === fresh.id));
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.map((s) => s.id)).toEqual([fresh.id]);
    const props = seen[0].packet.properties!;
    expect(props.responseTopic).toBe(`factory/${id}/commands/ack`);
    expect(props.correlationData?.toString()).toBe(fresh.id);
    expect(props.messageExpiryInterval).toBeGreaterThan(100);
    expect(props.messageExpiryInterval).toBeLessThanOrEqual(120);
  });

  it('an acknowledgement on the response topic with correlation data and no id in its JSON is matched', async () => {
    const id = 'm_correlate';
    const b = await board(url, { clientId: `board-${id}` });
    await b.subscribeAsync(`factory/${id}/commands`, { qos: 1 });
    b.on('message', (_t, _p, packet) => {
      const { responseTopic, correlationData } = packet.properties ?? {};
      if (responseTopic) void b.publishAsync(responseTopic, JSON.stringify({ status: 'applied', detail: 'blinking' }), { qos: 1, properties: { correlationData } });
    });
    await b.publishAsync(`factory/${id}/telemetry`, telemetry(id), { qos: 1 });
    await waitFor('the twin', () => h.engine.twins.get(id));
    const c = h.engine.commands.create({ deviceId: id, action: 'IDENTIFY', reason: 'find it' }, { kind: 'person', name: 'ana' });
    await waitFor('applied through the correlation data', () => h.engine.commands.get(c.id)?.status === 'applied');
    expect(h.engine.commands.get(c.id)?.detail).toBe('blinking');
  });

  it('shows user properties, QoS and retain of received messages through the inspector RPC', async () => {
    const id = 'm_props';
    const b = await board(url, { clientId: `board-${id}` });
    await b.publishAsync(`factory/${id}/telemetry`, telemetry(id, 51), { qos: 1, retain: true, properties: { userProperties: { site: 'hall-3', line: ['a', 'b'] } } });
    await waitFor('the reading', () => h.engine.twins.get(id)?.readings.temperature?.value === 51);
    const listed = methods['twins.messages'].result.parse(await handlers['twins.messages'](h.engine, { id }));
    expect(listed[0]).toMatchObject({ topic: `factory/${id}/telemetry`, qos: 1, broker: `127.0.0.1:${broker.port}`, userProperties: { site: 'hall-3', line: ['a', 'b'] } });
    // Retained is what a new subscriber gets: the engine subscribed before, so it arrives live.
    expect(listed[0].retain).toBe(false);
    await b.publishAsync(`factory/${id}/telemetry`, '', { qos: 1, retain: true });
  });
});

describe('the engine session on an MQTT 5 broker', () => {
  it('outlives a disconnect for its session expiry, and not longer', async () => {
    const broker = await startMosquitto();
    opened.push({ close: () => broker.stop() });
    const url = `mqtt://127.0.0.1:${broker.port}`;
    const start = (clientId: string, sessionExpiryS: number, dataDir: string) => startEngine({ broker: { mode: 'external', url, clientId, sessionExpiryS }, dataDir });
    const dirs = { short: tempDir(), long: tempDir() };
    for (const h of [await start('motortwin-short', 1, dirs.short), await start('motortwin-long', 60, dirs.long)]) {
      await waitFor('connected', () => h.engine.ingest?.state.connected);
      await h.close();
    }
    await new Promise((r) => setTimeout(r, 3000));
    const b = await board(url, { clientId: 'board-m_away' });
    await b.publishAsync('factory/m_away/telemetry', telemetry('m_away', 33), { qos: 1 });

    const long = await start('motortwin-long', 60, dirs.long);
    opened.push({ close: () => long.close() });
    await waitFor('kept for the 60 s session', () => long.engine.twins.get('m_away')?.readings.temperature?.value === 33);
    const short = await start('motortwin-short', 1, dirs.short);
    opened.push({ close: () => short.close() });
    await waitFor('connected', () => short.engine.ingest?.state.connected);
    await new Promise((r) => setTimeout(r, 1000));
    expect(short.engine.twins.get('m_away')?.readings.temperature?.value).toBeUndefined();
  }, 60_000);
});

describe('an external broker that speaks MQTT 3.1.1 only', () => {
  it('is used with 3.1.1, and the status says what that costs', async () => {
    const aedes = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
    opened.push(aedes);
    const h = await startEngine({ broker: { mode: 'external', url: aedes.url, clientId: 'motortwin-311' } });
    opened.push(h);
    await waitFor('connected', () => h.engine.status().broker.connected);
    expect(h.engine.status().broker).toMatchObject({ protocol: '3.1.1', note: expect.stringMatching(/speaks MQTT 3\.1\.1 only: connected with 3\.1\.1, so commands carry no message expiry/) });
    await h.publisher.publishAsync('factory/m_311/telemetry', telemetry('m_311', 44), { qos: 1 });
    await waitFor('ingested over 3.1.1', () => h.engine.twins.get('m_311')?.readings.temperature?.value === 44);
  });
});

describe('the embedded broker and an MQTT 5 board', () => {
  it('refuses it with the reason in the log, the Rejected list and the status, not a silent disconnect', async () => {
    const h = await startEngine();
    opened.push(h);
    await expect(mqtt.connectAsync(h.brokerUrl, { protocolVersion: 5, reconnectPeriod: 0, clientId: 'board-v5' })).rejects.toThrow(/Unacceptable protocol version/i);
    const reason = /board at 127\.0\.0\.1 tried MQTT 5; the embedded broker speaks 3\.1\.1: set the board to 3\.1\.1 or use --mqtt with Mosquitto/;
    await waitFor('the rejected entry', () => h.engine.rejects.list(50).find((r) => reason.test(r.reason)));
    expect(h.engine.status().broker.note).toMatch(reason);
  });
});
