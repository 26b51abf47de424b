import { afterEach, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { startEmbeddedBroker, type EmbeddedBroker } from './embeddedBroker';

// The engine's simulated boards log in to a broker that has only board accounts (--mqtt-devices) with a
// per-run account of their own, limited like a board's to factory/<id>/.

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
});

async function broker(): Promise<EmbeddedBroker> {
  const b = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, devices: { board_7: 'board-7-password' } });
  opened.push(b);
  return b;
}

async function client(url: string, opts: mqtt.IClientOptions): Promise<MqttClient> {
  const c = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5_000, ...opts });
  opened.push({ close: () => c.endAsync(true) });
  return c;
}

describe('internal accounts of the embedded broker', () => {
  it('let the simulated motor in, even after a stranger was locked out of loopback, to its own topics only', async () => {
    const b = await broker();
    const account = b.internalAccount('motor_01')!;
    expect(b.internalAccount('motor_01')).toEqual(account);
    for (let i = 0; i < 5; i++) await expect(client(b.url, { clientId: `guess-${i}`, username: 'board_7', password: `guess-${i}` })).rejects.toThrow(/Bad username or password/);
    await expect(client(b.url, { clientId: 'thief', username: account.username, password: 'not-the-password' })).rejects.toThrow(/Bad username or password/);

    const sim = await client(b.url, { clientId: 'motortwin-sim-motor_01', ...account });
    const heard: string[] = [];
    await b.subscribe(['factory/#'], (m) => heard.push(m.topic));
    await sim.publishAsync('factory/motor_01/telemetry', '{}', { qos: 1 });
    await expect(sim.subscribeAsync('factory/board_7/commands', { qos: 1 })).rejects.toThrow(/Subscribe error/);
    expect(heard).toEqual(['factory/motor_01/telemetry']);
  });

  it('are not needed when the broker takes anyone', async () => {
    const b = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
    opened.push(b);
    expect(b.internalAccount('motor_01')).toBeNull();
  });
});
