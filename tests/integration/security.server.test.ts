import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import WebSocket from 'ws';
import { startEngine, type Harness } from '../support/engineHarness';
import { startHttpServer, type RunningServer } from '../../src/main/server/httpServer';
import { runCli } from '../support/cli';

// The headless server beyond loopback: it listens on 0.0.0.0 (reached here through 127.0.0.x only) and every
// request needs the token, with wrong tokens rate limited per client address.

const TOKEN = 'plant-token-7f3a9c1e5b2d4a60';
const MAX_FAILURES = 3;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request from a chosen loopback address (127.0.0.0/8 is all this machine), so the per-address limit can be seen. */
function call(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string; from?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers, localAddress: opts.from ?? '127.0.0.1' }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

function openWs(port: number, headers: Record<string, string>, from = '127.0.0.1'): Promise<{ opened: boolean; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers, localAddress: from });
    ws.once('open', () => {
      ws.close();
      resolve({ opened: true });
    });
    ws.once('unexpected-response', (_req, res) => resolve({ opened: false, status: res.statusCode }));
    ws.once('error', () => resolve({ opened: false }));
  });
}

describe('headless server beyond loopback', () => {
  let h: Harness;
  let server: RunningServer;

  beforeAll(async () => {
    h = await startEngine();
    server = await startHttpServer(h.engine, { host: '0.0.0.0', port: 0, uiDir: null, apiToken: TOKEN, maxAuthFailures: MAX_FAILURES });
  });
  afterAll(async () => {
    await server?.close();
    await h?.close();
  });

  it('refuses to listen on 0.0.0.0 without a token, in code and on the command line', async () => {
    await expect(startHttpServer(h.engine, { host: '0.0.0.0', port: 0, uiDir: null, apiToken: null })).rejects.toThrow(/API token/);
    const cli = await runCli(['serve', '--host', '0.0.0.0', '--port', '0', '--no-sim']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/--api-token/);
  });

  it('answers nothing without the token, and everything with it', async () => {
    const from = '127.0.0.2';
    // Health alone is open (load balancers), and says no more than that the server answers.
    const open = await call(server.port, '/api/health', { from });
    expect([open.status, JSON.parse(open.body)]).toEqual([200, { status: 'ok', login: 'required' }]);
    expect((await call(server.port, '/api/twins', { from })).status).toBe(401);
    expect((await call(server.port, '/api/commands', { from })).status).toBe(401);
    const page = await call(server.port, '/', { from });
    expect([page.status, page.headers.location]).toEqual([303, '/login']);
    expect(await openWs(server.port, {}, from)).toEqual({ opened: false, status: 401 });
    const health = await call(server.port, '/api/health', { headers: bearer(TOKEN), from });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
    expect(await openWs(server.port, bearer(TOKEN), from)).toEqual({ opened: true });
  });

  it('refuses a wrong token, and a browser logs in with the right one for a session cookie', async () => {
    const from = '127.0.0.3';
    const wrong = await call(server.port, '/api/health', { headers: bearer('plant-token-7f3a9c1e5b2d4a61'), from });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body).error).toMatch(/wrong bearer token/);
    const form = await call(server.port, '/login', { from });
    expect(form.body).toMatch(/<form method="post" action="\/login">/);
    const post = (token: string) => call(server.port, '/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${encodeURIComponent(token)}`, from });
    const bad = await post('guess');
    expect(bad.status).toBe(401);
    expect(bad.headers['set-cookie']).toBeUndefined();
    // Two failures from this address so far, under the limit of three: the right token still gets in.
    const good = await post(TOKEN);
    expect(good.status).toBe(303);
    const cookie = String(good.headers['set-cookie']).split(';')[0];
    expect(String(good.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await call(server.port, '/api/twins', { headers: { cookie }, from })).status).toBe(200);
    expect(await openWs(server.port, { cookie }, from)).toEqual({ opened: true });
    expect((await call(server.port, '/api/twins', { headers: { cookie: 'motortwin_session=forged' }, from })).status).toBe(401);
  });

  it(`rate limits an address after ${MAX_FAILURES} wrong tokens, even the right token then, and only that address`, async () => {
    const from = '127.0.0.4';
    for (let i = 0; i < MAX_FAILURES; i++) expect((await call(server.port, '/api/health', { headers: bearer(`wrong-${i}`), from })).status).toBe(401);
    const limited = await call(server.port, '/api/health', { headers: bearer(TOKEN), from });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(limited.body).error).toMatch(/too many wrong tokens/);
    expect((await call(server.port, '/login', { method: 'POST', body: `token=${TOKEN}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, from })).status).toBe(429);
    expect(await openWs(server.port, bearer(TOKEN), from)).toEqual({ opened: false, status: 429 });
    expect((await call(server.port, '/api/health', { headers: bearer(TOKEN), from: '127.0.0.5' })).status).toBe(200);
  });
});

describe('headless server on loopback with a token', () => {
  it('asks for the token at every entrance, as beyond loopback, and rate limits wrong tokens', async () => {
    const h = await startEngine();
    const server = await startHttpServer(h.engine, { host: '127.0.0.1', port: 0, uiDir: null, apiToken: TOKEN, maxAuthFailures: 2 });
    try {
      expect(JSON.parse((await call(server.port, '/api/health')).body)).toEqual({ status: 'ok', login: 'required' });
      expect(JSON.parse((await call(server.port, '/api/health', { headers: bearer(TOKEN) })).body)).toHaveProperty('broker');
      expect((await call(server.port, '/api/commands')).status).toBe(401);
      expect((await call(server.port, '/api/commands', { headers: bearer('nope-1') })).status).toBe(401);
      expect((await call(server.port, '/api/commands', { headers: bearer('nope-2') })).status).toBe(401);
      expect((await call(server.port, '/api/commands', { headers: bearer(TOKEN) })).status).toBe(429);
      expect((await call(server.port, '/api/commands', { headers: bearer(TOKEN), from: '127.0.0.6' })).status).toBe(200);
    } finally {
      await server.close();
      await h.close();
    }
  });
});
