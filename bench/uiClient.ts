import WebSocket from 'ws';
import type { EventName } from '../src/shared/contract';
import { EngineClient } from '../src/shared/rpc/client';
import type { Channel } from '../src/shared/rpc/envelope';

// A browser on the fleet page, as far as `serve` can tell: one WebSocket and the UI's own client class,
// loading what the page loads and listening to the streams the renderer's data layer follows on every page
// (engineState.ts: twins, telemetry, status, rejected; the alarm, health, waveform and command providers),
// parsing every message it is sent. Rendering is left out: that is the browser's CPU, not the server's.

const FLEET_PAGE_STREAMS: EventName[] = ['telemetry', 'twin', 'twinRemoved', 'status', 'rejected', 'alarm', 'health', 'waveformAnalysis', 'command'];

export async function connectFleetPage(serveUrl: string): Promise<{ received: () => number; close: () => void }> {
  const ws = new WebSocket(serveUrl.replace(/^http/, 'ws') + '/ws');
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let received = 0;
  const channel: Channel = {
    send: (m) => ws.send(JSON.stringify(m)),
    onMessage: (listener) => {
      const h = (d: WebSocket.RawData) => {
        received++;
        listener(JSON.parse(d.toString()));
      };
      ws.on('message', h);
      return () => ws.off('message', h);
    },
  };
  const client = new EngineClient(channel);
  const latest = new Map<string, unknown>();
  const offs = FLEET_PAGE_STREAMS.map((name) => client.on(name, (data) => latest.set(name, data)));
  await Promise.all([
    client.call('twins.list', {}),
    client.call('engine.status', {}),
    client.call('rejected.list', { limit: 500 }),
    client.call('alarms.list', { limit: 2000 }),
    client.call('health.list', {}),
    client.call('commands.list', { limit: 200 }),
  ]);
  return {
    received: () => received,
    close: () => {
      for (const off of offs) off();
      client.dispose();
      ws.close();
    },
  };
}
