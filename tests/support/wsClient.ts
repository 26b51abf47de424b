import WebSocket from 'ws';
import { EngineClient } from '../../src/shared/rpc/client';
import type { Channel } from '../../src/shared/rpc/envelope';

/** The UI's own client class over a real WebSocket to `serve`. */
export async function connectWs(baseUrl: string, headers: Record<string, string> = {}): Promise<{ client: EngineClient; ws: WebSocket; raw: (m: unknown) => void; close: () => void }> {
  const ws = new WebSocket(baseUrl.replace(/^http/, 'ws') + '/ws', { headers });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const channel: Channel = {
    send: (m) => ws.send(JSON.stringify(m)),
    onMessage: (listener) => {
      const h = (d: WebSocket.RawData) => listener(JSON.parse(d.toString()));
      ws.on('message', h);
      return () => ws.off('message', h);
    },
  };
  const client = new EngineClient(channel, 10_000);
  return { client, ws, raw: (m) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)), close: () => ws.close() };
}
