import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { connect } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import WebSocket from 'ws';
import { startEngine, type Harness } from '../support/engineHarness';
import { startHttpServer, type RunningServer } from '../../src/main/server/httpServer';
import { stopProcess, tempDir, waitFor } from '../support/tools';
import { startServe } from '../support/cli';

// Issue 17, items 2, 3, 4 and 6, and the browser sessions: one access policy at every entrance of the headless
// server. Each door is tried the way it was broken: a raw WebSocket client, a request from another page's
// origin, a rebound Host name, frames no browser would send.

const TOKEN = 'doors-token-0123456789abcdef';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers = { host: `127.0.0.1:${port}`, ...opts.headers };
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers, setHost: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

function openWs(port: number, headers: Record<string, string> = {}): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.once('error', () => resolve({}));
  });
}

/** One contract call over a raw socket, as any client could make it. */
function rpc(ws: WebSocket, method: string, params: unknown): Promise<{ ok: boolean; result?: unknown; error?: { code: string; message: string } }> {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise((resolve) => {
    const h = (d: WebSocket.RawData) => {
      const m = JSON.parse(d.toString()) as { kind: string; id: number };
      if (m.kind === 'reply' && m.id === id) {
        ws.off('message', h);
        resolve(m as never);
      }
    };
    ws.on('message', h);
    ws.send(JSON.stringify({ kind: 'call', id, method, params }));
  });
}

async function watchCommands(url: string): Promise<{ seen: string[]; client: MqttClient }> {
  const client = await mqtt.connectAsync(url, { clientId: `watch-${Math.random().toString(16).slice(2)}` });
  const seen: string[] = [];
  client.on('message', (t, p) => seen.push(`${t} ${p.toString()}`));
  await client.subscribeAsync('factory/+/commands', { qos: 1 });
  return { seen, client };
}

const json = { 'content-type': 'application/json' };
const bearer = { authorization: `Bearer ${TOKEN}` };
const settle = () => new Promise((r) => setTimeout(r, 400));

describe('one access policy at every entrance (token set, on loopback)', () => {
  let h: Harness;
  let server: RunningServer;
  let watch: Awaited<ReturnType<typeof watchCommands>>;
  beforeAll(async () => {
    h = await startEngine({ simulate: true });
    server = await startHttpServer(h.engine, { host: '127.0.0.1', port: 0, uiDir: null, apiToken: TOKEN });
    watch = await watchCommands(h.brokerUrl);
    await waitFor('motor_01 reporting', () => h.engine.twins.get('motor_01')?.readings.temperature);
  });
  afterAll(async () => {
    await watch?.client.endAsync();
    await server?.close();
    await h?.close();
  });

  it('refuses a WebSocket without the token, so commands.create cannot reach a motor through it', async () => {
    const refused = await openWs(server.port);
    expect(refused.status).toBe(401);
    const { ws } = await openWs(server.port, bearer);
    expect(ws).toBeDefined();
    const twins = await rpc(ws!, 'twins.list', {});
    expect(twins.ok).toBe(true);
    ws!.close();
    await settle();
    expect(watch.seen.filter((m) => m.includes('"STOP"'))).toEqual([]);
  });

  it('asks for the token at /api/twins, /api/export, exports, reports and the UI; /api/health alone answers, with nothing more than its status', async () => {
    const now = Date.now();
    const open = await call(server.port, '/api/health');
    expect([open.status, JSON.parse(open.body)]).toEqual([200, { status: 'ok', login: 'required' }]);
    for (const path of ['/api/twins', `/api/export?device=motor_01&from=${now - 60_000}&to=${now}`, '/api/exports/x.csv', '/api/reports/x.html', '/api/commands', '/api/sessions']) {
      const r = await call(server.port, path);
      expect({ path, status: r.status }).toEqual({ path, status: 401 });
      expect(JSON.parse(r.body).error).toMatch(/API token/);
    }
    const ui = await call(server.port, '/');
    expect(ui.status).toBe(303);
    expect(ui.headers.location).toBe('/login');
    expect((await call(server.port, '/api/twins', { headers: bearer })).status).toBe(200);
  });

  it('opens a browser session at /login that expires, ends at /logout and can be listed and revoked', async () => {
    const login = await call(server.port, '/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${TOKEN}` });
    expect(login.status).toBe(303);
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    expect(String(login.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict; Path=\/; Max-Age=86400/);
    const session = JSON.parse((await call(server.port, '/api/session', { headers: { cookie } })).body) as { csrf: string; session: { id: string; current: boolean } };
    expect(session.session.current).toBe(true);
    expect(session.csrf).toMatch(/^[A-Za-z0-9_-]{20,}$/);

    // The cookie alone does not change anything: a page on another port of this machine would carry it too.
    const body = JSON.stringify({ action: 'REDUCE_LOAD', value: 10, reason: 'peak' });
    const noCsrf = await call(server.port, '/api/twins/motor_01/commands', { method: 'POST', headers: { ...json, cookie }, body });
    expect(noCsrf.status).toBe(403);
    expect(JSON.parse(noCsrf.body).error).toMatch(/CSRF token/);
    const withCsrf = await call(server.port, '/api/twins/motor_01/commands', { method: 'POST', headers: { ...json, cookie, 'x-motortwin-csrf': session.csrf }, body });
    expect(withCsrf.status).toBe(201);
    h.engine.commands.reject(JSON.parse(withCsrf.body).id, 'test', 'only a test');

    const { ws } = await openWs(server.port, { cookie });
    const closed = new Promise<number>((r) => ws!.once('close', (code) => r(code)));
    const list = JSON.parse((await call(server.port, '/api/sessions', { headers: bearer })).body) as Array<{ id: string; current: boolean }>;
    expect(list.map((s) => s.id)).toContain(session.session.id);
    const logout = await call(server.port, '/logout', { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(logout.status).toBe(303);
    expect(String(logout.headers['set-cookie'])).toMatch(/Max-Age=0/);
    expect(await closed).toBe(4401);
    const after = await call(server.port, '/api/twins', { headers: { cookie } });
    expect(after.status).toBe(401);
    expect(JSON.parse(after.body).error).toMatch(/session has ended/);

    const again = await call(server.port, '/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${TOKEN}` });
    const cookie2 = String(again.headers['set-cookie']).split(';')[0];
    const id2 = (JSON.parse((await call(server.port, '/api/session', { headers: { cookie: cookie2 } })).body) as { session: { id: string } }).session.id;
    expect((await call(server.port, `/api/sessions/${id2}/revoke`, { method: 'POST', headers: { ...json, ...bearer } })).status).toBe(200);
    expect((await call(server.port, '/api/twins', { headers: { cookie: cookie2 } })).status).toBe(401);
  });

  it('ends a session that stayed idle past its time', async () => {
    let now = Date.now();
    const short = await startHttpServer(h.engine, { host: '127.0.0.1', port: 0, uiDir: null, apiToken: TOKEN, sessionIdleMs: 300 });
    try {
      const login = await call(short.port, '/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${TOKEN}` });
      const cookie = String(login.headers['set-cookie']).split(';')[0];
      expect((await call(short.port, '/api/twins', { headers: { cookie } })).status).toBe(200);
      now = Date.now();
      await new Promise((r) => setTimeout(r, 400));
      expect(Date.now() - now).toBeGreaterThanOrEqual(300);
      expect((await call(short.port, '/api/twins', { headers: { cookie } })).status).toBe(401);
    } finally {
      await short.close();
    }
  });
});

describe('a web page of another origin, and a rebound host name (no token: the open loopback server)', () => {
  let h: Harness;
  let server: RunningServer;
  let watch: Awaited<ReturnType<typeof watchCommands>>;
  beforeAll(async () => {
    h = await startEngine({ simulate: true });
    server = await startHttpServer(h.engine, { host: '127.0.0.1', port: 0, uiDir: null });
    watch = await watchCommands(h.brokerUrl);
    await waitFor('motor_01 reporting', () => h.engine.twins.get('motor_01')?.readings.temperature);
  });
  afterAll(async () => {
    await watch?.client.endAsync();
    await server?.close();
    await h?.close();
  });

  it('refuses what a page on another local port sends with mode no-cors, and nothing reaches the motor or the queue', async () => {
    const evil = `http://127.0.0.1:${server.port + 1}`;
    const pendingBefore = (await h.engine.commands.list({ status: 'pending_approval', limit: 100 })).length;
    const attempts: Array<{ headers: Record<string, string>; body: string }> = [
      { headers: { 'content-type': 'text/plain', origin: evil, 'sec-fetch-site': 'same-site' }, body: JSON.stringify({ action: 'IDENTIFY', reason: 'x' }) },
      { headers: { 'content-type': 'text/plain', origin: evil }, body: JSON.stringify({ action: 'STOP', reason: 'x', issuer: 'plant manager' }) },
      { headers: { ...json, origin: evil }, body: JSON.stringify({ action: 'STOP', reason: 'x' }) },
      { headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ action: 'IDENTIFY', reason: 'x' }) },
      { headers: { ...json, origin: 'null' }, body: JSON.stringify({ action: 'IDENTIFY', reason: 'x' }) },
    ];
    for (const a of attempts) {
      const r = await call(server.port, '/api/twins/motor_01/commands', { method: 'POST', ...a });
      expect([403, 415], `${JSON.stringify(a.headers)} → ${r.status} ${r.body}`).toContain(r.status);
      expect(JSON.parse(r.body).error).toMatch(/JSON|may not change anything/);
    }
    await settle();
    expect(watch.seen).toEqual([]);
    expect((await h.engine.commands.list({ status: 'pending_approval', limit: 100 })).length).toBe(pendingBefore);
    // A script on this machine (no Origin, a JSON body) still works, as the README says.
    const script = await call(server.port, '/api/twins/motor_01/commands', { method: 'POST', headers: json, body: JSON.stringify({ action: 'IDENTIFY', reason: 'find it' }) });
    expect(script.status).toBe(201);
  });

  it('refuses a WebSocket from another page, even another port of this machine', async () => {
    expect((await openWs(server.port, { origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await openWs(server.port, { origin: `http://evil.example` })).status).toBe(403);
    const same = await openWs(server.port, { origin: `http://127.0.0.1:${server.port}` });
    expect(same.ws).toBeDefined();
    same.ws!.close();
  });

  it('answers only to its own host names (DNS rebinding), unless --public-host names another', async () => {
    const seenBefore = watch.seen.length;
    const rebound = { host: `rebind.example:${server.port}`, origin: `http://rebind.example:${server.port}` };
    const cmd = await call(server.port, '/api/twins/motor_01/commands', { method: 'POST', headers: { ...json, ...rebound }, body: JSON.stringify({ action: 'IDENTIFY', reason: 'x' }) });
    expect(cmd.status).toBe(403);
    expect(JSON.parse(cmd.body).error).toMatch(/does not answer to the host "rebind.example/);
    expect((await call(server.port, '/api/twins', { headers: rebound })).status).toBe(403);
    expect((await openWs(server.port, rebound)).status).toBe(403);
    expect((await call(server.port, '/api/twins', { headers: { host: `127.0.0.1:${server.port + 7}` } })).status).toBe(403);
    for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`]) expect((await call(server.port, '/api/twins', { headers: { host } })).status).toBe(200);
    await settle();
    expect(watch.seen.slice(seenBefore)).toEqual([]);

    const named = await startHttpServer(h.engine, { host: '127.0.0.1', port: 0, uiDir: null, publicHosts: ['motors.plant.example'] });
    try {
      expect((await call(named.port, '/api/twins', { headers: { host: 'motors.plant.example' } })).status).toBe(200);
      expect((await call(named.port, '/api/twins', { headers: { host: `rebind.example:${named.port}` } })).status).toBe(403);
    } finally {
      await named.close();
    }
  });

  it('answers an export whose time is beyond any date with 400 and the reason', async () => {
    const r = await call(server.port, `/api/export?device=motor_01&from=0&to=9007199254740991`);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error).toMatch(/to: must be a time before the year 10000/);
    const bad = await call(server.port, `/api/export?device=motor_01&from=yesterday&to=1`);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatch(/from: "yesterday" is not a time/);
  });

  it('answers an export or report that names a folder (an escaped slash, `.`, `..`) with 404, and keeps serving', async () => {
    // These once reached a read of the exports folder or the data folder itself, whose EISDIR error ended the process.
    for (const path of ['/api/exports/%2F', '/api/exports/a%2F..', '/api/exports/a%2F.', '/api/exports/..', '/api/reports/x.html%2F..']) {
      const r = await call(server.port, path);
      expect(r.status, path).toBe(404);
    }
    expect((await call(server.port, '/api/health')).status).toBe(200);
  });
});

/** A client frame as bytes: FIN, opcode, optionally masked (clients must mask, RFC 6455 5.1). */
function frame(opcode: number, payload: Buffer, masked = true): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, (masked ? 0x80 : 0) | len]) : len < 65536 ? Buffer.from([0x80 | opcode, (masked ? 0x80 : 0) | 126, len >> 8, len & 255]) : Buffer.concat([Buffer.from([0x80 | opcode, (masked ? 0x80 : 0) | 127]), (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(len)); return b; })()]);
  if (!masked) return Buffer.concat([head, payload]);
  const key = Buffer.from([1, 2, 3, 4]);
  const body = Buffer.from(payload.map((b, i) => b ^ key[i % 4]));
  return Buffer.concat([head, key, body]);
}

/** Opens /ws by hand, sends one frame, and resolves when the server closes the connection. */
function sendFrame(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let seen = '';
    let upgraded = false;
    socket.on('data', (d) => {
      seen += d.toString('latin1');
      if (!upgraded && seen.includes('\r\n\r\n')) {
        upgraded = true;
        socket.write(bytes);
      }
    });
    socket.on('close', () => resolve(seen));
    socket.on('error', () => resolve(seen));
    socket.setTimeout(10_000, () => reject(new Error('the server kept a bad connection open')));
    socket.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  });
}

describe('frames that used to end the server', () => {
  // `serve` in its own process: a crash there is the process ending, which the test sees.
  let serve: Awaited<ReturnType<typeof startServe>>;
  beforeAll(async () => {
    serve = await startServe(['--data-dir', tempDir(), '--no-sim']);
  });
  afterAll(async () => {
    if (serve) await stopProcess(serve.child);
  });

  it('closes only the socket that sent a 2 MiB message, invalid UTF-8 or an unmasked frame', async () => {
    const port = Number(new URL(serve.url).port);
    const { ws: bystander } = await openWs(port);
    const bad: Array<[string, Buffer]> = [
      ['2 MiB text message', frame(0x1, Buffer.alloc(2 * 1024 * 1024, 0x61))],
      ['invalid UTF-8', frame(0x1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))],
      ['unmasked frame', frame(0x1, Buffer.from('{"kind":"call","id":1,"method":"twins.list"}'), false)],
    ];
    for (const [what, bytes] of bad) {
      const answer = await sendFrame(port, bytes);
      expect(answer, what).toMatch(/^HTTP\/1\.1 101/);
      await new Promise((r) => setTimeout(r, 200));
      expect({ what, exitCode: serve.child.exitCode, output: serve.child.exitCode === null ? '' : serve.output().slice(-500) }).toEqual({ what, exitCode: null, output: '' });
      const health = await call(port, '/api/health');
      expect({ what, status: health.status }).toEqual({ what, status: 200 });
    }
    expect(bystander!.readyState).toBe(WebSocket.OPEN);
    expect((await rpc(bystander!, 'twins.list', {})).ok).toBe(true);
    bystander!.close();
  });
});

describe("the embedded broker's command topics", () => {
  it('refuses a client that publishes to a motor’s command topic: only the gate writes there', async () => {
    const h = await startEngine({ simulate: true });
    const watch = await watchCommands(h.brokerUrl);
    const intruder = await mqtt.connectAsync(h.brokerUrl, { clientId: `intruder-${Math.random().toString(16).slice(2)}`, reconnectPeriod: 0 });
    try {
      await waitFor('motor_01 reporting', () => h.engine.twins.get('motor_01')?.readings.temperature);
      const closed = new Promise<void>((r) => intruder.once('close', () => r()));
      intruder.publish('factory/motor_01/commands', JSON.stringify({ id: 'cmd-intruder', action: 'REDUCE_LOAD', value: 40 }), { qos: 1 });
      await closed;
      await settle();
      expect(watch.seen).toEqual([]);
      expect(h.engine.sims.get('motor_01')!.model.loadReduction).toBe(0);
      // The gate's own commands still arrive.
      const c = h.engine.commands.create({ deviceId: 'motor_01', action: 'IDENTIFY', reason: 'still works' }, { kind: 'person', name: 'ana' });
      await waitFor('applied', () => h.engine.commands.get(c.id)?.status === 'applied');
      expect(watch.seen).toHaveLength(1);
    } finally {
      intruder.end(true);
      await watch.client.endAsync();
      await h.close();
    }
  });
});
