import WebSocket from 'ws';
import { EngineClient } from '../../shared/rpc/client';
import type { Channel } from '../../shared/rpc/envelope';

/** The engine's contract over a running `serve`'s WebSocket, as the UI has it: for commands given --server. */
export async function connectServer(url: string, headers: Record<string, string>, timeoutMs: number): Promise<{ client: EngineClient; close(): void }> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws').replace(/\/$/, '')}/ws`, { headers });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', (e) => reject(new Error(`cannot reach MotorTwin at ${url}: ${e.message}`)));
  });
  const channel: Channel = {
    send: (m) => ws.send(JSON.stringify(m)),
    onMessage: (l) => {
      const h = (d: WebSocket.RawData) => l(JSON.parse(d.toString()));
      ws.on('message', h);
      return () => ws.off('message', h);
    },
  };
  return { client: new EngineClient(channel, timeoutMs), close: () => ws.close() };
}
