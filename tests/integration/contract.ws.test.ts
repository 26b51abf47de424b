import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EventOf } from '../../src/shared/contract';
import { startEngine, type Harness } from '../support/engineHarness';
import { connectWs } from '../support/wsClient';
import { waitFor } from '../support/tools';

// The typed contract over the headless server's WebSocket, with the same client class the UI uses.
describe('the contract over WebSocket', () => {
  let h: Harness;
  let c: Awaited<ReturnType<typeof connectWs>>;
  beforeAll(async () => {
    h = await startEngine({ http: true, simulate: true });
    c = await connectWs(h.server!.url);
  });
  afterAll(async () => {
    c?.close();
    await h?.close();
  });

  it('lists twins and streams live telemetry events', async () => {
    const points: EventOf<'telemetry'> = [];
    c.client.on('telemetry', (batch) => points.push(...batch));
    await waitFor('motor_01 streaming', () => points.some((p) => p.id === 'motor_01' && typeof p.values.rpm === 'number'));
    const twins = await c.client.call('twins.list', {});
    expect(twins.map((t) => t.id)).toContain('motor_01');
    expect(twins.find((t) => t.id === 'motor_01')!.simulated).toBe(true);
  });

  it('answers status, history and nameplate updates; the update persists', async () => {
    const status = await c.client.call('engine.status', {});
    expect(status.broker.connected).toBe(true);
    await h.engine.drain();
    const hist = await c.client.call('history.query', { id: 'motor_01', metrics: ['temperature'], from: Date.now() - 300_000, to: Date.now() + 1000, maxPoints: 300 });
    expect(hist.resolution).toBe('raw');
    expect(hist.t.length).toBeGreaterThan(0);
    const updated = await c.client.call('twins.update', { id: 'motor_01', name: 'Cooling pump', nameplate: { ratedKw: 7.5, insulationClass: 'F', bearingDe: '6205' } });
    expect(updated.nameplate.ratedKw).toBe(7.5);
    await waitFor('saved', async () => (await h.engine.db.query("SELECT name FROM twins WHERE id = 'motor_01'"))[0]?.name === 'Cooling pump');
  });

  it('refuses bad calls with a clear error and keeps serving', async () => {
    await expect(c.client.call('twins.update', { id: 'motor_01', nameplate: { ratedKw: -5 } } as never)).rejects.toThrow(/ratedKw/);
    await expect(c.client.call('twins.get', { id: 'nobody' })).rejects.toThrow(/no motor "nobody"/);
    await expect(c.client.call('history.query', { id: 'motor_01', metrics: ['smell'], from: 0, to: 1 } as never)).rejects.toThrow(/metrics/);
    await expect(c.client.call('no.such' as never, {} as never)).rejects.toThrow(/unknown method/);
    // Raw garbage on the socket gets an error reply, not a dropped connection.
    const replies: unknown[] = [];
    c.ws.on('message', (d) => replies.push(JSON.parse(d.toString())));
    c.raw('this is not json');
    c.raw({ kind: 'call', id: 'x' });
    await waitFor('two error replies', () => replies.filter((r) => (r as { ok?: boolean }).ok === false).length >= 2);
    expect((await c.client.call('engine.status', {})).version).toBeTruthy();
  });

  it('adds and removes a simulated motor', async () => {
    const sim = await c.client.call('sim.add', { fault: 'unbalance', rateHz: 5 });
    expect(sim.id).toBe('motor_02');
    await waitFor('motor_02 data', () => h.engine.twins.get('motor_02')?.readings.vibration);
    await expect(c.client.call('sim.add', { id: 'motor_02' })).rejects.toThrow(/already running/);
    expect((await c.client.call('sim.remove', { id: 'motor_02' })).removed).toBe(true);
    await waitFor('motor_02 offline', () => h.engine.twins.get('motor_02')?.connection === 'offline');
  });

  it('refuses a WebSocket from a foreign web page (cross-site)', async () => {
    const ws = new WebSocket(h.server!.url.replace('http', 'ws') + '/ws', { headers: { origin: 'http://evil.example' } });
    const outcome = await new Promise<string>((resolve) => {
      ws.once('open', () => resolve('open'));
      ws.once('error', (e) => resolve(e.message));
    });
    expect(outcome).toMatch(/403/);
  });
});
