import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import mqtt from 'mqtt';
import { startEngine, type Harness } from '../support/engineHarness';
import { startHttpServer, type RunningServer } from '../../src/main/server/httpServer';
import { AlertForwarder, type Alert } from '../../src/main/commands/alerts';
import { waitFor } from '../support/tools';

// The command API as a script or a plant system uses it: the same gate, clear errors, a token.
const TOKEN = 'test-token-0123456789abcdef';

describe('HTTP command API', () => {
  let h: Harness;
  let server: RunningServer;
  const call = (method: string, path: string, body?: unknown, token: string | null = TOKEN) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    h = await startEngine({ simulate: true });
    server = await startHttpServer(h.engine, { host: '127.0.0.1', port: 0, uiDir: null, apiToken: TOKEN });
    await waitFor('motor_01 reporting', () => h.engine.twins.get('motor_01')?.readings.rpm);
  });
  afterAll(async () => {
    await server?.close();
    await h?.close();
  });

  it('creates a command that waits for approval, lists it, and sends it once approved', async () => {
    const created = await call('POST', '/api/twins/motor_01/commands', { action: 'REDUCE_LOAD', value: 10, reason: 'energy peak', issuer: 'scada' });
    expect(created.status).toBe(201);
    const c = (await created.json()) as { id: string; status: string; issuer: { kind: string; name: string } };
    expect(c).toMatchObject({ status: 'pending_approval', issuer: { kind: 'api', name: 'scada' } });
    const pending = (await (await call('GET', '/api/commands?status=pending_approval')).json()) as Array<{ id: string }>;
    expect(pending.map((p) => p.id)).toContain(c.id);
    const approved = await call('POST', `/api/commands/${c.id}/approve`, { operator: 'ana', comment: 'ok' });
    expect(approved.status).toBe(200);
    await waitFor('applied', () => h.engine.commands.get(c.id)?.status === 'applied');
  });

  it('lets the limits send a harmless action without approval', async () => {
    const r = await call('POST', '/api/twins/motor_01/commands', { action: 'IDENTIFY', reason: 'find it on the floor' });
    const c = (await r.json()) as { id: string; status: string };
    expect(c.status).toBe('approved');
    await waitFor('applied', () => h.engine.commands.get(c.id)?.status === 'applied');
  });

  it('answers bad requests clearly and changes nothing', async () => {
    const before = (await h.engine.commands.list({ limit: 1000 })).length;
    const cases: Array<[string, string, unknown, number, RegExp]> = [
      ['POST', '/api/twins/motor_01/commands', '{"action": "STOP"', 400, /not valid JSON/],
      ['POST', '/api/twins/motor_01/commands', { action: 'SELF_DESTRUCT', reason: 'x' }, 400, /action must be one of/],
      ['POST', '/api/twins/motor_01/commands', { action: 'STOP' }, 400, /reason/],
      ['POST', '/api/twins/nobody/commands', { action: 'STOP', reason: 'x' }, 404, /no motor "nobody"/],
      ['POST', '/api/commands/cmd-nope/approve', { operator: 'ana' }, 404, /no command cmd-nope/],
      ['POST', '/api/commands/cmd-nope/reject', { operator: 'ana' }, 400, /comment/],
      ['GET', '/api/commands?status=weird', undefined, 400, /status must be one of/],
      ['DELETE', '/api/commands', undefined, 405, /use GET/],
    ];
    for (const [method, path, body, status, message] of cases) {
      const r = await call(method, path, body);
      expect({ path, status: r.status }).toEqual({ path, status });
      expect(((await r.json()) as { error: string }).error).toMatch(message);
    }
    const refused = await call('POST', '/api/twins/motor_01/commands', { action: 'REDUCE_LOAD', value: 75, reason: 'x' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(/outside the allowed 0-50 %/);
    // Only the refusal is recorded (as refused); nothing else was created.
    expect((await h.engine.commands.list({ limit: 1000 })).length).toBe(before + 1);
  });

  it('needs the bearer token when one is set', async () => {
    expect((await call('GET', '/api/commands', undefined, null)).status).toBe(401);
    expect((await call('GET', '/api/commands', undefined, 'wrong-token-0123456789abc')).status).toBe(401);
    expect((await call('GET', '/api/commands')).status).toBe(200);
  });

  it('refuses to serve beyond loopback without a token', async () => {
    await expect(startHttpServer(h.engine, { host: '0.0.0.0', port: 0, uiDir: null, apiToken: null })).rejects.toThrow(/--api-token/);
  });
});

describe('alerts', () => {
  it('publishes a new alarm on factory/<id>/alerts', async () => {
    const h = await startEngine();
    const sub = await mqtt.connectAsync(h.brokerUrl, { clientId: 'alert-watch' });
    const alerts: Array<{ kind: string; severity: string; title: string }> = [];
    sub.on('message', (_t, p) => alerts.push(JSON.parse(p.toString())));
    await sub.subscribeAsync('factory/+/alerts', { qos: 1 });
    try {
      await h.publisher.publishAsync('factory/hot_02/telemetry', JSON.stringify({ device_id: 'hot_02', temperature: 95, vibration: 0.01, rpm: 1480 }), { qos: 1 });
      await waitFor('an OVERHEATING alert', () => alerts.find((a) => a.kind === 'alarm' && /OVERHEATING/.test(a.title)));
      expect(alerts.find((a) => a.kind === 'alarm')!.severity).toBe('critical');
      // The rule's proposal is announced as well.
      await waitFor('the proposal alert', () => alerts.find((a) => a.kind === 'command' && /waits for approval/.test(a.title)));
    } finally {
      await sub.endAsync();
      await h.close();
    }
  });

  it('retries the webhook until it answers, and records the outcome', async () => {
    let attempts = 0;
    const received: unknown[] = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        attempts++;
        if (attempts < 3) return res.writeHead(503).end();
        received.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const port = (hook.address() as { port: number }).port;
    const outcomes: string[] = [];
    const forwarder = new AlertForwarder({ mqtt: false, webhookUrl: `http://127.0.0.1:${port}/hook` }, { publish: async () => undefined, record: (_a, o) => outcomes.push(o) }, [20, 20, 20]);
    const alert: Alert = { ts: Date.now(), deviceId: 'motor_01', kind: 'alarm', severity: 'critical', title: 'motor_01: OVERHEATING', body: 'temperature 95 °C above 80 °C' };
    forwarder.send(alert);
    await waitFor('delivered', () => outcomes.some((o) => o.startsWith('webhook delivered')));
    expect(outcomes).toContain('webhook delivered after 2 retries');
    expect(received).toEqual([expect.objectContaining({ device_id: 'motor_01', severity: 'critical', title: 'motor_01: OVERHEATING' })]);
    hook.close();
  });
});
