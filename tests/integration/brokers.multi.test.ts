import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import { createEngine, type Engine, type BrokerConfig } from '../../src/main/engine';
import { brokerChoiceFile } from '../../src/main/broker/foundBroker';
import { handlers } from '../../src/main/rpc/handlers';
import { freePort, startMosquitto, stopProcess, tempDir, waitFor, type Mosquitto } from '../support/tools';
import { startCli } from '../support/cli';
import { TestEdgeNode } from '../support/sparkplugNode';

// More than one broker at once (the embedded one and a real Mosquitto), and the embedded broker's port
// already taken by another broker, as on an engineer's laptop that runs Mosquitto on 1883.

const opened: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
});

async function engine(broker: BrokerConfig | BrokerConfig[], dataDir = tempDir()): Promise<Engine> {
  const e = await createEngine({ dataDir, broker, flushIntervalMs: 50, agent: { env: {} } });
  opened.push(e);
  return e;
}
async function mosquitto(): Promise<Mosquitto> {
  const m = await startMosquitto();
  opened.push({ close: () => m.stop() });
  return m;
}
async function client(url: string, id: string): Promise<MqttClient> {
  const c = await mqtt.connectAsync(url, { clientId: id, reconnectPeriod: 0 });
  opened.push({ close: () => c.endAsync(true) });
  return c;
}
/** A board: publishes a reading, answers every command with "applied", and counts the commands it got. */
async function boardOn(url: string, id: string): Promise<string[]> {
  const c = await client(url, `board-${id}`);
  const got: string[] = [];
  c.on('message', (_t, p) => {
    const cmd = JSON.parse(p.toString());
    got.push(cmd.id);
    void c.publishAsync(`factory/${id}/commands/ack`, JSON.stringify({ id: cmd.id, status: 'applied' }), { qos: 1 });
  });
  await c.subscribeAsync(`factory/${id}/commands`, { qos: 1 });
  await c.publishAsync(`factory/${id}/telemetry`, JSON.stringify({ device_id: id, temperature: 40 }), { qos: 1 });
  return got;
}

describe('two brokers at once: the embedded one and a Mosquitto', () => {
  it('makes twins from both, sends each command back over its own broker, and lists both in the status', async () => {
    const m = await mosquitto();
    const plantUrl = `mqtt://127.0.0.1:${m.port}`;
    const e = await engine([
      { mode: 'external', url: plantUrl, clientId: 'motortwin-multi' },
      { mode: 'embedded', host: '127.0.0.1', port: 0 },
    ]);
    await waitFor('both connected', () => e.status().brokers.every((b) => b.connected));
    const benchUrl = e.broker!.url;
    const onPlant = await boardOn(plantUrl, 'm_plant');
    const onBench = await boardOn(benchUrl, 'm_bench');
    await waitFor('both twins', () => e.twins.get('m_plant') && e.twins.get('m_bench'));

    const toPlant = e.commands.create({ deviceId: 'm_plant', action: 'IDENTIFY', reason: 'which one' }, { kind: 'person', name: 'ana' });
    const toBench = e.commands.create({ deviceId: 'm_bench', action: 'IDENTIFY', reason: 'which one' }, { kind: 'person', name: 'ana' });
    await waitFor('both applied', () => e.commands.get(toPlant.id)?.status === 'applied' && e.commands.get(toBench.id)?.status === 'applied');
    expect(onPlant).toEqual([toPlant.id]);
    expect(onBench).toEqual([toBench.id]);

    const s = e.status();
    expect(s.brokers).toMatchObject([
      { id: `127.0.0.1:${m.port}`, mode: 'external', url: plantUrl, connected: true, protocol: '5' },
      { id: 'embedded', mode: 'embedded', url: benchUrl, connected: true, protocol: '3.1.1' },
    ]);
    expect(s.broker).toEqual(s.brokers[0]);
    expect((await handlers['twins.messages'](e, { id: 'm_bench' })).find((x) => x.topic === 'factory/m_bench/telemetry')).toMatchObject({ broker: 'embedded', qos: 1 });

    // The same id live on the other broker is a second board claiming the motor: refused, named.
    const impostor = await client(benchUrl, 'impostor');
    await impostor.publishAsync('factory/m_plant/telemetry', JSON.stringify({ device_id: 'm_plant', temperature: 99 }), { qos: 1 });
    await waitFor('the refusal', () => e.rejects.list(20).find((r) => /m_plant is live on 127\.0\.0\.1:\d+; the same id on embedded is refused/.test(r.reason)));
    expect(e.twins.get('m_plant')?.readings.temperature?.value).toBe(40);
  });

  it('a command to a motor not heard on any broker since the start fails with the reason instead of guessing', async () => {
    const m = await mosquitto();
    const e = await engine([
      { mode: 'external', url: `mqtt://127.0.0.1:${m.port}`, clientId: 'motortwin-unheard' },
      { mode: 'embedded', host: '127.0.0.1', port: 0 },
    ]);
    e.twins.ensure('m_unheard', 'mqtt');
    const c = e.commands.create({ deviceId: 'm_unheard', action: 'IDENTIFY', reason: 'where are you' }, { kind: 'person', name: 'ana' });
    await waitFor('failed', () => e.commands.get(c.id)?.status === 'failed');
    expect(e.commands.get(c.id)?.detail).toMatch(/m_unheard has not been heard on any of the 2 brokers since the engine started/);
  });

  it('a command is not queued inside the engine while its broker is down: it fails at once with the reason', async () => {
    const m = await mosquitto();
    const e = await engine({ mode: 'external', url: `mqtt://127.0.0.1:${m.port}`, clientId: 'motortwin-down' });
    await boardOn(`mqtt://127.0.0.1:${m.port}`, 'm_down');
    await waitFor('the twin', () => e.twins.get('m_down'));
    await m.stop();
    await waitFor('the broker gone', () => !e.status().broker.connected);
    const c = e.commands.create({ deviceId: 'm_down', action: 'IDENTIFY', reason: 'now or never' }, { kind: 'person', name: 'ana' });
    await waitFor('failed', () => e.commands.get(c.id)?.status === 'failed');
    expect(e.commands.get(c.id)?.detail).toMatch(new RegExp(`could not send: not connected to 127\\.0\\.0\\.1:${m.port}`));
  });
});

describe('Sparkplug edge nodes on different brokers', () => {
  it('asks a node to rebirth over the broker it is heard on, not over the first one', async () => {
    const first = await mosquitto();
    const second = await mosquitto();
    const firstUrl = `mqtt://127.0.0.1:${first.port}`;
    const e = await engine([
      { mode: 'external', url: firstUrl, clientId: 'motortwin-sp-1' },
      { mode: 'external', url: `mqtt://127.0.0.1:${second.port}`, clientId: 'motortwin-sp-2' },
    ]);
    await waitFor('both connected', () => e.status().brokers.every((b) => b.connected));
    const onFirst: string[] = [];
    const watcher = await client(firstUrl, 'ncmd-watcher');
    watcher.on('message', (topic) => onFirst.push(topic));
    await watcher.subscribeAsync('spBv1.0/+/NCMD/#', { qos: 0 });
    const node = new TestEdgeNode(`mqtt://127.0.0.1:${second.port}`, 'plant', 'line9');
    opened.push(node);
    await node.connect();
    await node.nbirth([{ name: 'Temperature', alias: 1, type: 'Float', value: 40 }]);
    await waitFor('node twin', () => e.twins.get('line9')?.readings.temperature?.value === 40);
    node.skip(2);
    await node.ndata([{ alias: 1, type: 'Float', value: 41 }]);
    await waitFor('a rebirth request on the second broker', () => node.rebirthRequests.length === 1);
    // A QoS 0 publish on the first broker would have reached the watcher long before the node's own answer.
    await watcher.publishAsync('spBv1.0/probe/NCMD/end', Buffer.from([]), { qos: 0 });
    await waitFor('the watcher to see its own probe', () => onFirst.includes('spBv1.0/probe/NCMD/end'));
    expect(onFirst).toEqual(['spBv1.0/probe/NCMD/end']);
  });
});

describe("the embedded broker's port taken by another program", () => {
  it('moves to a free port by default and says so', async () => {
    const m = await mosquitto();
    const e = await engine({ mode: 'embedded', host: '127.0.0.1', port: m.port });
    const b = e.status().broker;
    expect(b.mode).toBe('embedded');
    expect(e.broker!.port).not.toBe(m.port);
    expect(b.note).toMatch(new RegExp(`port ${m.port} on 127\\.0\\.0\\.1 was taken by another MQTT broker: the embedded broker moved to port ${e.broker!.port}`));
    expect(b.foundBroker).toEqual({ host: '127.0.0.1', port: m.port, action: 'moved' });
    const got = await boardOn(e.broker!.url, 'm_moved');
    await waitFor('a board on the moved broker', () => e.twins.get('m_moved'));
    expect(got).toEqual([]);
  });

  it('uses the broker found there when asked, or when the remembered choice says so', async () => {
    const m = await mosquitto();
    const asked = await engine({ mode: 'embedded', host: '127.0.0.1', port: m.port, whenPortTaken: 'use' });
    expect(asked.status().broker).toMatchObject({ mode: 'external', url: `mqtt://127.0.0.1:${m.port}`, foundBroker: { action: 'used' }, note: expect.stringMatching(/taken by an MQTT broker: MotorTwin uses it instead of starting its own \(--use-found-broker\)/) });
    await boardOn(`mqtt://127.0.0.1:${m.port}`, 'm_found');
    await waitFor('a board on the found broker', () => asked.twins.get('m_found'));

    const dataDir = tempDir();
    const file = (await handlers['broker.rememberChoice']({ config: { dataDir } } as Engine, { whenPortTaken: 'use' })).file;
    expect(file).toBe(brokerChoiceFile(dataDir));
    const remembered = await engine({ mode: 'embedded', host: '127.0.0.1', port: m.port }, dataDir);
    expect(remembered.status().broker).toMatchObject({ mode: 'external', note: expect.stringMatching(/\(the remembered choice\)/) });
  });

  it('moves away from a program that does not speak MQTT, whatever the choice', async () => {
    // Reads what it is sent (else its sockets never see the end) and answers as a web server would.
    const squatter = createServer((s) => s.resume().end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    const port = await freePort();
    await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', () => r()));
    opened.push({ close: () => new Promise((r) => squatter.close(r)) });
    const dataDir = tempDir();
    writeFileSync(brokerChoiceFile(dataDir), '{"whenPortTaken": "use"}');
    const e = await engine({ mode: 'embedded', host: '127.0.0.1', port }, dataDir);
    expect(e.status().broker).toMatchObject({ mode: 'embedded', foundBroker: null, note: expect.stringMatching(/taken by a program that does not speak MQTT: the embedded broker moved to port \d+/) });
  });

  it('serve says which it did', async () => {
    const m = await mosquitto();
    const s = await startCli(['serve', '--port', '0', '--no-sim', '--data-dir', tempDir(), '--mqtt-port', String(m.port)], /Ctrl\+C/);
    opened.push({ close: () => stopProcess(s.child) });
    expect(s.output()).toMatch(new RegExp(`port ${m.port} on 127\\.0\\.0\\.1 was taken by another MQTT broker: the embedded broker moved to port \\d+ \\(--use-found-broker uses that broker instead\\)`));
    expect(s.output()).toMatch(/broker\s+embedded mqtt:\/\/127\.0\.0\.1:\d+ \(MQTT 3\.1\.1\)/);
    const health = await (await fetch(`${/is running: (http\S+)/.exec(s.output())![1]}/api/health`)).json();
    expect(health.brokers).toMatchObject([{ mode: 'embedded', foundBroker: { port: m.port, action: 'moved' } }]);
  });
});
