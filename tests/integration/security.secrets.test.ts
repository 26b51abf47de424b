import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { BIN, ROOT } from '../support/cli';
import { connectWs } from '../support/wsClient';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fakeOpenAi';
import { freePort, stopProcess, tempDir, waitFor } from '../support/tools';

// The secrets a plant sets (the model's API key, the broker password, the API token) must never show up in a
// log, an export, a crash trace or anything sent to the UI. `motortwin serve` runs with all three, its output
// going to a log file; the test uses it as a person and a script would, keeps every byte that comes back, and
// looks for each secret (and its base64 form) in all of it and in every file the engine wrote.

const SECRETS = {
  llmApiKey: 'sk-test-LLMKEY-4b8e2f6a9c1d3e5f',
  brokerPassword: 'broker-PW-9d2c7a1e6f3b',
  apiToken: 'api-TOKEN-5e1a8c3f7b2d9e04',
};

describe('secrets', () => {
  let serve: ChildProcess;
  let model: FakeOpenAi;
  let base = '';
  const dataDir = tempDir('secrets-data-');
  const logFile = join(tempDir('secrets-log-'), 'serve.log');
  const seen: Array<{ where: string; text: string }> = [];
  const keep = (where: string, text: string) => seen.push({ where, text });

  beforeAll(async () => {
    model = await startFakeOpenAi({ apiKey: SECRETS.llmApiKey, brain: () => ({ content: 'motor_01 runs normally [1].' }) });
    const log = openSync(logFile, 'w');
    const mqttPort = await freePort();
    serve = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir, '--mqtt-port', String(mqttPort), '--mqtt-username', 'motortwin', '--llm-base-url', model.url], {
      cwd: ROOT,
      // The secrets come the documented way, through the environment, as a service manager would pass them.
      env: { ...process.env, NO_COLOR: '1', MOTORTWIN_MQTT_PASSWORD: SECRETS.brokerPassword, MOTORTWIN_API_TOKEN: SECRETS.apiToken, OPENAI_API_KEY: SECRETS.llmApiKey },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    base = await waitFor('serve to start', () => /is running: (http:\/\/\S+)/.exec(readFileSync(logFile, 'utf8'))?.[1], 90_000);
  }, 120_000);

  afterAll(async () => {
    if (serve) await stopProcess(serve);
    await model?.close();
  });

  // With a token set, every entrance asks for it: the script sends it, as the UI's session would.
  const auth = () => ({ authorization: `Bearer ${SECRETS.apiToken}` });
  const get = async (path: string, headers: Record<string, string> = auth()) => {
    const res = await fetch(`${base}${path}`, { headers });
    const body = Buffer.from(await res.arrayBuffer());
    const answer: string[] = [];
    res.headers.forEach((v, k) => answer.push(`${k}: ${v}`));
    keep(`GET ${path}`, `${answer.join('\n')}\n${body.toString('latin1')}`);
    return { status: res.status, body };
  };

  it('uses every secret for its purpose and lets none of them out', async () => {
    // A board and the simulated motor publish through the password-protected broker.
    const board = await mqtt.connectAsync(`mqtt://127.0.0.1:${new URL((await (await fetch(`${base}/api/health`, { headers: auth() })).json()).broker.url).port}`, { username: 'motortwin', password: SECRETS.brokerPassword, clientId: 'board-2' });
    for (let seq = 1; seq <= 20; seq++) await board.publishAsync('factory/motor_02/telemetry', JSON.stringify({ device_id: 'motor_02', seq, temperature: 50 + seq / 10, vibration: 0.01, rpm: 1480 }), { qos: 1 });
    await board.endAsync();
    // A wrong broker password is refused (and its refusal must not print the right one).
    await expect(mqtt.connectAsync(`mqtt://127.0.0.1:${new URL((await (await fetch(`${base}/api/health`, { headers: auth() })).json()).broker.url).port}`, { username: 'motortwin', password: 'wrong', reconnectPeriod: 0 })).rejects.toThrow(/Bad username or password/);

    // The UI's own connection: every message the renderer would get, raw.
    const ui = await connectWs(base, auth());
    ui.ws.on('message', (d) => keep('websocket → UI', d.toString()));
    // Subscribed to what the UI's pages follow, so the engine sends it everything a person would see.
    for (const stream of ['telemetry', 'twin', 'status', 'health', 'alarm', 'rejected'] as const) ui.client.on(stream, () => undefined);
    ui.client.on('chat', () => undefined, { motor: 'motor_01' });
    await waitFor('both motors stored', async () => (await ui.client.call('engine.status', {})).ingest.stored >= 25, 30_000);
    for (const [method, params] of [
      ['engine.status', {}],
      ['engine.connectInfo', {}],
      ['twins.list', {}],
      ['agent.settings', {}],
      ['agent.testConnection', {}],
      ['rejected.list', { limit: 100 }],
    ] as const) {
      keep(`rpc ${method}`, JSON.stringify(await ui.client.call(method as 'engine.status', params as never)));
    }
    const settings = await ui.client.call('agent.settings', {});
    expect(settings).toMatchObject({ apiKeySet: true, configured: true });
    const connect = await ui.client.call('engine.connectInfo', {});
    expect(connect.authRequired).toBe(true);
    // The chat: the key goes to the model server (and only there), the answer comes back to the UI.
    const answered = new Promise<void>((resolve) => ui.ws.on('message', (d) => d.toString().includes('runs normally') && resolve()));
    await ui.client.call('chat.ask', { motorId: 'motor_01', question: 'How is motor_01?' });
    await answered;
    expect(model.requests.some((r) => r.authorization === `Bearer ${SECRETS.llmApiKey}`)).toBe(true);
    // Exports, through the UI's method and the script endpoint.
    for (const format of ['csv', 'parquet'] as const) await ui.client.call('history.export', { id: 'motor_02', format, from: Date.now() - 3_600_000, to: Date.now() + 60_000 });
    ui.close();

    expect((await get('/api/health')).status).toBe(200);
    expect((await get('/api/twins')).status).toBe(200);
    const csv = await get(`/api/export?device=motor_02&format=csv&from=${Date.now() - 3_600_000}&to=${Date.now() + 60_000}`);
    expect(csv.body.toString().split('\n').length).toBeGreaterThan(20);
    const parquet = await get(`/api/export?device=motor_01&format=parquet&from=${Date.now() - 3_600_000}&to=${Date.now() + 60_000}`);
    expect(parquet.body.subarray(0, 4).toString(), parquet.body.toString().slice(0, 200)).toBe('PAR1');
    expect((await get('/api/commands', { authorization: 'Bearer wrong-token-for-the-log' })).status).toBe(401);
    expect((await get('/api/commands', { authorization: `Bearer ${SECRETS.apiToken}` })).status).toBe(200);

    // Stopped as a person would, so whatever it prints on the way out is in the log too.
    await stopProcess(serve, 'SIGTERM');
    keep('serve log', readFileSync(logFile, 'utf8'));
    const written = files(dataDir);
    expect(written.filter((f) => f.includes('/exports/')).length).toBeGreaterThanOrEqual(2);
    for (const f of written) keep(f, readFileSync(f).toString('latin1'));

    const leaks: string[] = [];
    for (const [name, secret] of Object.entries(SECRETS)) {
      const forms = [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
      for (const { where, text } of seen) if (forms.some((f) => text.includes(f))) leaks.push(`${name} in ${where}`);
    }
    expect(leaks).toEqual([]);
    // The scan looked at real output: the log has the start banner, the export rows, the UI messages the readings.
    expect(seen.find((s) => s.where === 'serve log')!.text).toMatch(/MotorTwin .* is running/);
    expect(seen.filter((s) => s.where === 'websocket → UI').length).toBeGreaterThan(10);
  }, 120_000);
});

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}
