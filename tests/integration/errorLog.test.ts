import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type Harness } from '../support/engineHarness';
import { connectWs } from '../support/wsClient';
import { waitFor } from '../support/tools';
import { createLog } from '../../src/main/platform/log';
import type { RpcError } from '../../src/shared/rpc/envelope';

// A failure of the engine's own (here its DuckDB read connection gone) is answered to the caller and also
// written to the log, with the part, the request and the error; what a caller got wrong is only its answer.
describe('failures of our own reach the log', () => {
  let h: Harness;
  let ws: Awaited<ReturnType<typeof connectWs>>;
  const lines: Array<Record<string, unknown>> = [];
  const logged = (part: string) => lines.filter((l) => l.part === part && l.level === 50);

  beforeAll(async () => {
    const log = createLog({ format: 'json', to: { write: (l: string) => lines.push(JSON.parse(l) as Record<string, unknown>) } });
    h = await startEngine({ http: true, log });
    await h.publisher.publishAsync('factory/log_01/telemetry', JSON.stringify({ device_id: 'log_01', temperature: 40, vibration: 0.01, rpm: 1480 }), { qos: 1 });
    await waitFor('the motor', () => h.engine.twins.get('log_01'));
    ws = await connectWs(h.server!.url);
  });
  afterAll(async () => {
    ws?.close();
    await h?.close();
  });

  it('a caller mistake is only answered', async () => {
    expect((await fetch(`${h.server!.url}/api/alarms?device=nobody`)).status).toBe(404);
    await expect(ws.client.call('alarms.transitions', { limit: 0 })).rejects.toMatchObject({ code: 'invalid_params' });
    expect([...logged('server'), ...logged('rpc')]).toEqual([]);
  });

  it('a failing store is answered as internal over HTTP and the WebSocket, and logged by the server and the rpc layer', async () => {
    h.engine.db.reader.closeSync();
    const http = await fetch(`${h.server!.url}/api/alarms?device=log_01`);
    expect(http.status).toBe(500);
    expect(logged('server')).toEqual([expect.objectContaining({ msg: 'request failed', method: 'GET', path: '/api/alarms', err: expect.objectContaining({ message: expect.stringMatching(/disconnected/) }) })]);

    const viaWs = await ws.client.call('alarms.transitions', { id: 'log_01' }).then(
      () => null,
      (e: RpcError) => e,
    );
    expect(viaWs?.code).toBe('internal');
    expect(logged('rpc')).toEqual([expect.objectContaining({ msg: 'alarms.transitions failed', method: 'alarms.transitions', err: expect.objectContaining({ message: viaWs?.message }) })]);
  });
});
