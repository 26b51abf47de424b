import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type Harness } from '../support/engineHarness';
import { connectWs } from '../support/wsClient';
import { waitFor } from '../support/tools';
import type { RpcError } from '../../src/shared/rpc/envelope';

// One refusal, two clients: the same domain error reaches a script over HTTP as its status and the UI over the
// WebSocket as its error code, with the same words (src/main/rpc/errors.ts is the one mapping).

describe('domain errors over HTTP and the WebSocket', () => {
  let h: Harness;
  let ws: Awaited<ReturnType<typeof connectWs>>;
  const post = async (path: string, body: unknown) => {
    const r = await fetch(`${h.server!.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: r.status, error: ((await r.json()) as { error?: string }).error };
  };
  const wsError = (p: Promise<unknown>) => p.then(() => ({ code: 'none', message: 'it succeeded' }), (e: RpcError) => ({ code: e.code, message: e.message }));

  beforeAll(async () => {
    h = await startEngine({ http: true });
    await h.publisher.publishAsync('factory/err_01/telemetry', JSON.stringify({ device_id: 'err_01', temperature: 40, vibration: 0.01, rpm: 1480 }), { qos: 1 });
    await waitFor('the motor', () => h.engine.twins.get('err_01'));
    ws = await connectWs(h.server!.url);
  });
  afterAll(async () => {
    ws?.close();
    await h?.close();
  });

  it('not_found: 404 over HTTP, not_found over the WebSocket', async () => {
    const http = await post('/api/twins/nobody/commands', { action: 'STOP', reason: 'check' });
    expect(http).toEqual({ status: 404, error: 'no motor "nobody"' });
    expect(await wsError(ws.client.call('commands.create', { deviceId: 'nobody', action: 'STOP', reason: 'check' }))).toEqual({ code: 'not_found', message: 'no motor "nobody"' });
    expect((await fetch(`${h.server!.url}/api/alarms?device=nobody`)).status).toBe(404);
    expect(await wsError(ws.client.call('health.get', { id: 'nobody' }))).toEqual({ code: 'not_found', message: 'no motor "nobody"' });
  });

  it('invalid: 400 over HTTP, invalid_params over the WebSocket; a body too large is 413', async () => {
    const http = await post('/api/twins/err_01/commands', { action: 'STOP' });
    expect(http.status).toBe(400);
    expect(http.error).toMatch(/reason/);
    const viaWs = await wsError(ws.client.call('commands.create', { deviceId: 'err_01', action: 'STOP' } as never));
    expect(viaWs.code).toBe('invalid_params');
    expect(viaWs.message).toMatch(/reason/);
    expect(await post('/api/twins/err_01/commands', '{"action": ')).toEqual({ status: 400, error: 'request body is not valid JSON' });
    expect(await post('/api/twins/err_01/commands', { action: 'STOP', reason: 'x'.repeat(20_000) })).toEqual({ status: 413, error: 'request body over 16 KiB' });
    // Refused by the part itself, past the schema: a model's chunks out of order.
    const chunk = { id: 'err_01', name: 'frame.glb', offset: 100, total: 200, data: Buffer.from('glTF').toString('base64') };
    expect(await wsError(ws.client.call('twin3d.putModel', chunk))).toEqual({ code: 'invalid_params', message: 'model upload out of order at byte 100: start again from 0' });
  });

  it('conflict: 409 over HTTP, conflict over the WebSocket, for a command already decided', async () => {
    const created = await fetch(`${h.server!.url}/api/twins/err_01/commands`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'REDUCE_LOAD', value: 10, reason: 'peak' }) });
    const { id, status } = (await created.json()) as { id: string; status: string };
    expect(status).toBe('pending_approval');
    expect((await post(`/api/commands/${id}/reject`, { comment: 'not now' })).status).toBe(200);
    const again = await post(`/api/commands/${id}/approve`, {});
    expect(again.status).toBe(409);
    expect(again.error).toMatch(new RegExp(`^command ${id} is already \\w+$`));
    expect(await wsError(ws.client.call('commands.approve', { id }))).toEqual({ code: 'conflict', message: again.error });
  });

  it('refused: the limits say no, 409 over HTTP and refused over the WebSocket', async () => {
    const http = await post('/api/twins/err_01/commands', { action: 'REDUCE_LOAD', value: 75, reason: 'too much' });
    expect(http.status).toBe(409);
    expect(http.error).toMatch(/outside the allowed/);
    const viaWs = await wsError(ws.client.call('commands.create', { deviceId: 'err_01', action: 'REDUCE_LOAD', value: 75, reason: 'too much' }));
    expect(viaWs).toEqual({ code: 'refused', message: http.error });
  });
});

