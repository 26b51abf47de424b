import { request } from 'node:http';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type Harness } from '../support/engineHarness';
import { announceSeed, fuzzSeed } from '../support/fuzzSeed';
import { waitFor } from '../support/tools';

// Property-based tests of the headless server's HTTP API: any method, path, query and body, and raw
// request bytes no client library would send. The server never fails with a 5xx (that would be a bug
// of ours, not a bad request), every refusal under /api/ says why in JSON, and the engine keeps answering.

interface Reply {
  status: number;
  body: string;
  type: string;
}

/** Sends exactly this request (no client-side normalisation of the path). */
function send(port: number, method: string, path: string, body: Buffer | null, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), type: String(res.headers['content-type'] ?? '') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

/** Writes raw bytes as a request; resolves with what came back (maybe nothing) once the server is done. */
function sendRaw(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    s.on('data', (c) => chunks.push(c));
    const done = () => resolve(Buffer.concat(chunks).toString('latin1'));
    s.on('error', done);
    s.on('close', done);
    s.setTimeout(1500, () => s.destroy());
    s.write(bytes, () => s.end());
  });
}

const segment = fc.oneof(
  fc.constantFrom('motor_01', 'fuzz_http', 'nobody', '', '..', '.', '%', '%zz', '%E0%A4%A', '%00', '%2F', '%2e%2e', 'a%20b', '%F0%9F%98%80', 'x'.repeat(300)),
  fc.string({ maxLength: 20 }).map((s) => encodeURIComponent(s)),
  fc.stringMatching(/^[A-Za-z0-9._~%-]{0,20}$/),
);
const pathArb = fc.oneof(
  fc.constantFrom('/api/health', '/api/twins', '/api/commands', '/api/export', '/api/', '/api', '/', '/ws', '/index.html'),
  segment.map((id) => `/api/twins/${id}/commands`),
  fc.tuple(segment, fc.constantFrom('approve', 'reject', 'cancel')).map(([id, v]) => `/api/commands/${id}/${v}`),
  segment.map((s) => `/api/exports/${s}`),
  segment.map((s) => `/api/reports/${s}.html`),
  fc.array(segment, { maxLength: 4 }).map((p) => `/api/${p.join('/')}`),
);
const queryArb = fc.oneof(
  fc.constant(''),
  fc
    .array(fc.tuple(fc.constantFrom('device', 'id', 'from', 'to', 'format', 'status', 'limit', 'x'), fc.oneof(segment, fc.constantFrom('csv', 'parquet', 'pending_approval', '0', '-1', '1e999', '2026-11-27T00:00:00Z', 'NaN'))), { maxLength: 4 })
    .map((kv) => `?${kv.map(([k, v]) => `${k}=${v}`).join('&')}`),
);
const bodyArb = fc.oneof(
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  fc
    .record({
      action: fc.constantFrom('STOP', 'START', 'SET_SPEED', 'REDUCE_LOAD', 'IDENTIFY', 'NUKE', ''),
      value: fc.oneof(fc.double(), fc.string(), fc.constant(null)),
      reason: fc.string({ maxLength: 30 }),
      operator: fc.string({ maxLength: 90 }),
      comment: fc.string({ maxLength: 30 }),
      issuer: fc.string({ maxLength: 90 }),
    }, { requiredKeys: [] })
    .map((o) => Buffer.from(JSON.stringify(o))),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  fc.constant(Buffer.alloc(20_000, 0x7b)),
);

const SEED = fuzzSeed();

describe('HTTP API under fuzzing', () => {
  let h: Harness;
  let port: number;
  beforeAll(async () => {
    h = await startEngine({ http: true });
    port = h.server!.port;
    await h.publisher.publishAsync('factory/fuzz_http/telemetry', JSON.stringify({ device_id: 'fuzz_http', seq: 1, temperature: 50 }), { qos: 1 });
    await waitFor('the twin', () => h.engine.twins.get('fuzz_http'));
  });
  afterAll(async () => h?.close());

  it('answers any request without a server error, and every refusal under /api/ says why', async () => {
    announceSeed('fuzz.http requests', SEED);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'), pathArb, queryArb, bodyArb, async (method, path, query, body) => {
        const r = await send(port, method, path + query, method === 'GET' || method === 'HEAD' ? null : body, { 'content-type': 'application/json' });
        expect(r.status, `${method} ${path}${query} → ${r.status} ${r.body.slice(0, 200)}`).toBeLessThan(500);
        // "Under /api/" as the URL resolves: "/api/.." is "/", the UI's path, as every client and the server read it.
        const underApi = new URL(path, 'http://127.0.0.1').pathname.startsWith('/api/');
        if (underApi && r.status >= 400 && method !== 'HEAD') {
          expect(r.type).toMatch(/application\/json/);
          const parsed = JSON.parse(r.body) as { error?: unknown };
          expect(typeof parsed.error === 'string' && parsed.error.length > 0, `a reason for ${method} ${path}${query}: ${r.body}`).toBe(true);
        }
      }),
      { numRuns: 250, seed: SEED },
    );
    const health = await send(port, 'GET', '/api/health', null);
    expect(health.status).toBe(200);
  });

  it('survives raw request bytes, broken request lines and WebSocket upgrades to odd paths', async () => {
    announceSeed('fuzz.http raw bytes', SEED);
    const requestLine = fc.oneof(
      fc.tuple(fc.constantFrom('GET', 'POST', 'X'), fc.oneof(fc.constantFrom('//[', '//x:y@[', '/ws?%', 'http://[::1', '//', '/%%', '*', '/\u00ff'), pathArb)).map(([m, p]) => `${m} ${p} HTTP/1.1\r\n`),
      fc.string({ unit: 'binary', maxLength: 60 }).map((s) => `${s}\r\n`),
    );
    const headers = fc.oneof(
      fc.constant('Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n'),
      fc.constant('Host: 127.0.0.1\r\nContent-Length: 5\r\n'),
      fc.constant('Host: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n'),
      fc.constant('Host: 127.0.0.1\r\nOrigin: http://evil.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n'),
      fc.string({ unit: 'binary', maxLength: 80 }),
    );
    await fc.assert(
      fc.asyncProperty(requestLine, headers, fc.string({ maxLength: 40 }), async (line, head, rest) => {
        const answer = await sendRaw(port, Buffer.from(`${line}${head}\r\n${rest}`, 'latin1'));
        // A server error would be ours; anything else (a 4xx, a refusal, a closed socket) is fine.
        expect(answer.slice(0, 12), `${JSON.stringify(line + head)} → ${answer.slice(0, 100)}`).not.toMatch(/^HTTP\/1\.1 5/);
        const health = await send(port, 'GET', '/api/health', null);
        expect(health.status).toBe(200);
      }),
      { numRuns: 80, seed: SEED },
    );
  });
});
