import { afterEach, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/main/broker/embeddedBroker';
import { MqttIngest } from '../../src/main/ingest/mqttIngest';
import { createEngine } from '../../src/main/engine';
import type { IngestPipeline } from '../../src/main/ingest/pipeline';
import { selfSignedCert } from '../support/selfSignedCert';
import { tempDir, waitFor } from '../support/tools';
import { runCli } from '../support/cli';

// The embedded broker with authentication on, its TLS, and TLS to an external broker: who gets in, who may
// publish where, and which certificates are believed.

const ENGINE = { username: 'motortwin', password: 'engine-password-4d1f' };
const DEVICES = { motor_01: 'board-one-password', motor_02: 'board-two-password' };

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
});

async function broker(opts: Partial<Parameters<typeof startEmbeddedBroker>[0]> = {}): Promise<EmbeddedBroker> {
  const b = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, ...ENGINE, devices: DEVICES, ...opts });
  opened.push(b);
  return b;
}

function client(url: string, opts: mqtt.IClientOptions): Promise<MqttClient> {
  return mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5_000, ...opts }).then((c) => {
    opened.push({ close: () => c.endAsync(true) });
    return c;
  });
}

/** Everything published on the broker, as the engine sees it (in process). */
async function heard(b: EmbeddedBroker): Promise<string[]> {
  const topics: string[] = [];
  await b.subscribe(['factory/#'], (m) => topics.push(m.topic));
  return topics;
}

describe('embedded broker with authentication', () => {
  it('refuses an anonymous client, a wrong password and an unknown board', async () => {
    const b = await broker();
    await expect(client(b.url, { clientId: 'anon' })).rejects.toThrow(/Bad username or password|Not authorized/i);
    await expect(client(b.url, { clientId: 'bad', username: 'motor_01', password: 'board-two-password' })).rejects.toThrow(/Bad username or password/i);
    await expect(client(b.url, { clientId: 'who', username: 'motor_99', password: 'board-one-password' })).rejects.toThrow(/Bad username or password/i);
    await expect(client(b.url, { clientId: 'eng', username: ENGINE.username, password: 'engine-password-XXXX' })).rejects.toThrow(/Bad username or password/i);
    const ok = await client(b.url, { clientId: 'eng', ...ENGINE });
    expect(ok.connected).toBe(true);
  });

  it('refuses an address outright after 5 wrong logins in a minute, even with the right password', async () => {
    const b = await broker();
    for (let i = 0; i < 5; i++) await expect(client(b.url, { clientId: `guess-${i}`, username: 'motor_01', password: `guess-${i}` })).rejects.toThrow(/Bad username or password/i);
    await expect(client(b.url, { clientId: 'board-1', username: 'motor_01', password: DEVICES.motor_01 })).rejects.toThrow(/Bad username or password/i);
  });

  it('lets a board publish under its own factory/<id>/ only: another motor topic is refused and the board cut off', async () => {
    const b = await broker();
    const topics = await heard(b);
    const board = await client(b.url, { clientId: 'board-1', username: 'motor_01', password: DEVICES.motor_01 });
    await board.publishAsync('factory/motor_01/telemetry', '{"device_id":"motor_01","temperature":40}', { qos: 1 });
    await waitFor('its own reading', () => topics.includes('factory/motor_01/telemetry'));
    board.publish('factory/motor_02/telemetry', '{"device_id":"motor_02","temperature":99}', { qos: 0 });
    await waitFor('the board cut off for publishing as motor_02', () => !board.connected, 15_000);
    // The engine's own account may still publish anywhere, and what it sends after arrives: the refused one never did.
    const engine = await client(b.url, { clientId: 'eng', ...ENGINE });
    await engine.publishAsync('factory/motor_02/status', '{"device_id":"motor_02","state":"online"}', { qos: 1 });
    await waitFor('the engine account publish', () => topics.includes('factory/motor_02/status'));
    expect(topics).not.toContain('factory/motor_02/telemetry');
  });

  it('lets a board subscribe to its own commands only', async () => {
    const b = await broker();
    const board = await client(b.url, { clientId: 'board-2', username: 'motor_02', password: DEVICES.motor_02 });
    const got: string[] = [];
    board.on('message', (topic) => got.push(topic));
    expect((await board.subscribeAsync('factory/motor_02/commands', { qos: 1 })).map((g) => g.qos)).toEqual([1]);
    for (const other of ['factory/motor_01/commands', 'factory/#', '#']) await expect(board.subscribeAsync(other, { qos: 1 }), other).rejects.toThrow(/Subscribe error/);
    await b.publish('factory/motor_01/commands', '{"action":"STOP"}', 1);
    await b.publish('factory/motor_02/commands', '{"action":"STOP"}', 1);
    await waitFor('its own command', () => got.includes('factory/motor_02/commands'));
    expect(got).toEqual(['factory/motor_02/commands']);
  });

  it('refuses to listen beyond loopback without credentials, and with them still refuses anonymous clients', async () => {
    await expect(startEmbeddedBroker({ host: '0.0.0.0', port: 0 })).rejects.toThrow(/--mqtt-username.*--mqtt-devices/);
    await expect(startEmbeddedBroker({ host: '0.0.0.0', port: 0, username: 'only-a-name' })).rejects.toThrow(/username and password/);
    const b = await broker({ host: '0.0.0.0' });
    const url = `mqtt://127.0.0.1:${b.port}`;
    await expect(client(url, { clientId: 'anon' })).rejects.toThrow(/Bad username or password|Not authorized/i);
    expect((await client(url, { clientId: 'board', username: 'motor_01', password: DEVICES.motor_01 })).connected).toBe(true);
  });
});

describe('a broker that cannot listen', () => {
  // A taken port is no longer such a case: the broker moves (tests/integration/brokers.multi.test.ts).
  it('gives up cleanly: serve exits with the reason instead of hanging on the broker it made', async () => {
    const r = await runCli(['serve', '--port', '0', '--no-sim', '--data-dir', tempDir(), '--mqtt-host', '192.0.2.1', '--mqtt-username', 'engine', '--mqtt-password', 'a-long-enough-password'], 60_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/EADDRNOTAVAIL/);
  });
});

describe('TLS', () => {
  const cert = selfSignedCert();

  it('the embedded broker speaks TLS with the given certificate; a client that does not trust it is refused', async () => {
    const b = await broker({ tls: { cert: cert.cert, key: cert.key } });
    expect(b.url).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
    await expect(client(b.url, { clientId: 'untrusting', ...ENGINE })).rejects.toThrow(/self[- ]signed certificate/i);
    expect((await client(b.url, { clientId: 'trusting', ...ENGINE, ca: cert.cert })).connected).toBe(true);
  });

  it('ingest from an external broker verifies its certificate unless turned off for that connection', async () => {
    const b = await broker({ tls: { cert: cert.cert, key: cert.key }, devices: {} });
    const pipeline = { ingest: () => undefined, reject: () => undefined } as unknown as IngestPipeline;
    const ingest = (extra: object) => {
      const i = new MqttIngest({ url: b.url, clientId: `ingest-${Math.random().toString(16).slice(2)}`, ...ENGINE, ...extra }, pipeline);
      opened.push({ close: () => i.stop() });
      return i;
    };
    const verifying = ingest({});
    void verifying.start();
    await waitFor('the refused certificate', () => verifying.state.error);
    expect(verifying.state.error).toMatch(/self[- ]signed certificate/i);
    expect(verifying.state.connected).toBe(false);
    expect(b.clients()).toBe(0);

    const withCa = ingest({ caFile: cert.certFile });
    await withCa.start();
    expect(withCa.state).toMatchObject({ connected: true, error: null });

    const insecure = ingest({ rejectUnauthorized: false });
    await insecure.start();
    expect(insecure.state.connected).toBe(true);
  });

  it('the engine says when the person turned certificate checks off, and never shows the broker password', async () => {
    const b = await broker({ tls: { cert: cert.cert, key: cert.key }, devices: {} });
    const url = b.url.replace('mqtts://', `mqtts://${ENGINE.username}:${ENGINE.password}@`);
    const insecure = await createEngine({ dataDir: tempDir(), broker: { mode: 'external', url, rejectUnauthorized: false } });
    opened.push(insecure);
    await waitFor('connected', () => insecure.status().broker.connected);
    expect(insecure.status().broker).toMatchObject({ tlsUnverified: true, url: b.url });
    expect(JSON.stringify(insecure.status())).not.toContain(ENGINE.password);
    const verified = await createEngine({ dataDir: tempDir(), broker: { mode: 'external', url: b.url, ...ENGINE, caFile: cert.certFile } });
    opened.push(verified);
    await waitFor('connected', () => verified.status().broker.connected);
    expect(verified.status().broker.tlsUnverified).toBe(false);
  });
});
