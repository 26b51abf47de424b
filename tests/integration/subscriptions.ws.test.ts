import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Socket } from 'node:net';
import { events, type TelemetryPoint } from '../../src/shared/contract';
import { EngineClient } from '../../src/shared/rpc/client';
import type { Channel } from '../../src/shared/rpc/envelope';
import { OUTBOX_LIMITS, TOO_SLOW_CODE } from '../../src/main/server/socketOutbox';
import { startEngine, type Harness } from '../support/engineHarness';
import { announceSeed, fuzzSeed } from '../support/fuzzSeed';
import { waitFor } from '../support/tools';

// Event streams over the real WebSocket of `serve`: a connection hears only what it subscribed to, the
// client shares one subscription between its listeners, and a client that stops reading cannot make the
// server hold more than its bound for it while the others go on.

interface Wire {
  client: EngineClient;
  ws: WebSocket;
  /** Every message the client sent, and every event frame that reached it (before the client's own filtering). */
  sent: { kind: string; stream?: string; filter?: unknown }[];
  events: { name: string; data: unknown }[];
}

async function connect(url: string): Promise<Wire> {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + '/ws');
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const wire: Omit<Wire, 'client'> = { ws, sent: [], events: [] };
  const channel: Channel = {
    send: (m) => {
      wire.sent.push(m as Wire['sent'][number]);
      ws.send(JSON.stringify(m));
    },
    onMessage: (listener) => {
      const h = (d: WebSocket.RawData) => {
        const m = JSON.parse(d.toString());
        if (m.kind === 'event') wire.events.push(m);
        listener(m);
      };
      ws.on('message', h);
      return () => ws.off('message', h);
    },
  };
  return { ...wire, client: new EngineClient(channel, 20_000) };
}

const telemetryOf = (w: Wire) => w.events.filter((e) => e.name === 'telemetry').flatMap((e) => e.data as TelemetryPoint[]);

const SEED = fuzzSeed();

describe('event subscriptions over the WebSocket', () => {
  let h: Harness;
  let seq = 0;
  /** One board message as MQTT brings it, through the engine's real ingest. */
  const reading = (id: string, temperature: number) =>
    h.engine.pipeline.ingest('telemetry', JSON.stringify({ device_id: id, temperature, vibration: 0.02, rpm: 1480, seq: seq++ }), id, 'mqtt', `factory/${id}/telemetry`);

  beforeAll(async () => {
    h = await startEngine({ http: true });
  });
  afterAll(async () => {
    await h?.close();
  }, 180_000);

  it("sends a client subscribed to motor A A's telemetry and not B's, and nothing after it unsubscribes", async () => {
    const w = await connect(h.server!.url);
    try {
      const seen: TelemetryPoint[] = [];
      const off = w.client.on('telemetry', (points) => seen.push(...points), { motor: 'motor_a' });
      // Messages are served in order: once a later call is answered, the subscription is in place.
      await w.client.call('engine.status', {});
      for (let i = 0; i < 5; i++) {
        reading('motor_a', 40 + i);
        reading('motor_b', 60 + i);
      }
      await waitFor("motor_a's five points", () => seen.length >= 5);
      // The server sent only motor A's points: the filtering is not the client's.
      expect(new Set(telemetryOf(w).map((p) => p.id))).toEqual(new Set(['motor_a']));
      expect(w.events.every((e) => e.name === 'telemetry')).toBe(true);

      off();
      expect(w.sent.at(-1)).toMatchObject({ kind: 'unsubscribe', stream: 'telemetry', filter: { motor: 'motor_a' } });
      // What comes after the unsubscribe on the same connection, in order: once B's point is in, A's would be too.
      const afterOff = w.events.length;
      w.client.on('telemetry', () => undefined, { motor: 'motor_b' });
      await w.client.call('engine.status', {});
      reading('motor_a', 99);
      reading('motor_b', 99);
      await waitFor("motor_b's point", () => w.events.slice(afterOff).length > 0);
      expect(w.events.slice(afterOff).flatMap((e) => e.data as TelemetryPoint[]).map((p) => p.id)).toEqual(['motor_b']);
      expect(seen.every((p) => p.id === 'motor_a' && p.values.temperature! < 99)).toBe(true);
    } finally {
      w.ws.close();
    }
  });

  it('shares one subscription between two listeners of the same stream and motor, and ends it with the last', async () => {
    const w = await connect(h.server!.url);
    try {
      const first: number[] = [];
      const second: number[] = [];
      const everything: string[] = [];
      const offFirst = w.client.on('telemetry', (ps) => first.push(...ps.map((p) => p.values.temperature!)), { motor: 'motor_a' });
      const offSecond = w.client.on('telemetry', (ps) => second.push(...ps.map((p) => p.values.temperature!)), { motor: 'motor_a' });
      // A third listener on the whole stream: the client hands each listener only what it asked for.
      const offAll = w.client.on('telemetry', (ps) => everything.push(...ps.map((p) => p.id)));
      expect(w.sent.filter((m) => m.kind === 'subscribe')).toEqual([
        expect.objectContaining({ stream: 'telemetry', filter: { motor: 'motor_a' } }),
        expect.objectContaining({ stream: 'telemetry', filter: undefined }),
      ]);
      await w.client.call('engine.status', {});
      reading('motor_a', 41);
      reading('motor_b', 61);
      await waitFor('both motors heard', () => everything.includes('motor_a') && everything.includes('motor_b'));
      expect(first).toEqual([41]);
      expect(second).toEqual([41]);

      offFirst();
      expect(w.sent.filter((m) => m.kind === 'unsubscribe')).toEqual([]);
      reading('motor_a', 42);
      await waitFor('the second listener hears on', () => second.includes(42));
      expect(first).toEqual([41]);
      offSecond();
      offAll();
      expect(w.sent.filter((m) => m.kind === 'unsubscribe').map((m) => m.filter ?? null)).toEqual([{ motor: 'motor_a' }, null]);
    } finally {
      w.ws.close();
    }
  });

  it('refuses a subscription the contract does not have, saying why, and keeps the connection', async () => {
    const w = await connect(h.server!.url);
    try {
      const replies: { ok: boolean; error?: { code: string; message: string } }[] = [];
      w.ws.on('message', (d) => replies.push(JSON.parse(d.toString())));
      w.ws.send(JSON.stringify({ kind: 'subscribe', id: 900, stream: 'gossip' }));
      w.ws.send(JSON.stringify({ kind: 'subscribe', id: 901, stream: 'status', filter: { motor: 'motor_a' } }));
      w.ws.send(JSON.stringify({ kind: 'subscribe', id: 902, stream: 'serialConsole', filter: { motor: 'motor_a' } }));
      await waitFor('three refusals', () => replies.length >= 3);
      expect(replies.map((r) => r.error?.code)).toEqual(['invalid_params', 'invalid_params', 'invalid_params']);
      expect(replies[0].error!.message).toMatch(/"gossip" is not an event stream/);
      expect(replies[1].error!.message).toMatch(/status has no filter/);
      expect(replies[2].error!.message).toMatch(/serialConsole is narrowed by port, not by motor/);
      expect((await w.client.call('engine.status', {})).version).toBeTruthy();
    } finally {
      w.ws.close();
    }
  });

  it('answers any subscription frame once, ok or with the reason, and keeps serving', async () => {
    announceSeed('subscriptions.ws frames', SEED);
    const w = await connect(h.server!.url);
    try {
      const replies = new Map<number, { ok: boolean; error?: { code: string; message: string } }>();
      w.ws.on('message', (d) => {
        const m = JSON.parse(d.toString());
        if (m.kind === 'reply') replies.set(m.id, m);
      });
      const filterArb = fc.oneof(
        fc.constant(undefined),
        fc.record({ motor: fc.oneof(fc.constantFrom('motor_a', 'flood_1'), fc.string({ maxLength: 80 })) }),
        fc.record({ port: fc.oneof(fc.constant('/dev/ttyUSB0'), fc.string({ maxLength: 600 })) }),
        fc.jsonValue({ maxDepth: 2 }),
      );
      const streamArb = fc.oneof(fc.constantFrom(...Object.keys(events)), fc.string({ maxLength: 64 }), fc.constantFrom('__proto__', 'constructor'));
      let id = 10_000;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('subscribe', 'unsubscribe'), streamArb, filterArb, async (kind, stream, filter) => {
          const mine = id++;
          w.ws.send(JSON.stringify({ kind, id: mine, stream, filter }));
          const r = await waitFor(`a reply to ${kind} ${stream}`, () => replies.get(mine), 20_000, 5);
          if (!r.ok) {
            expect(r.error!.code).toBe('invalid_params');
            expect(r.error!.message).toMatch(new RegExp(`^${kind}: `));
            expect(r.error!.message).not.toMatch(/Cannot read propert|is not a function|undefined is not|null is not/);
          }
        }),
        { numRuns: 200, seed: SEED },
      );
      expect((await w.client.call('engine.status', {})).version).toBeTruthy();
    } finally {
      w.ws.close();
    }
  });

  it('holds a client that stopped reading to its bound, merging its telemetry, while another client gets every event', async () => {
    const slow = await connect(h.server!.url);
    const fast = await connect(h.server!.url);
    try {
      slow.client.on('telemetry', () => undefined);
      const fastPoints: TelemetryPoint[] = [];
      fast.client.on('telemetry', (ps) => fastPoints.push(...ps));
      await Promise.all([slow.client.call('engine.status', {}), fast.client.call('engine.status', {})]);
      await waitFor("the earlier tests' sockets gone", () => h.server!.deliveries().length === 2);
      // The slow browser tab: its socket is no longer read, so the kernel's buffers fill and then ws's would.
      (slow.ws as unknown as { _socket: Socket })._socket.pause();

      const motors = Array.from({ length: 100 }, (_, i) => `flood_${i}`);
      // Sockets are listed in the order they connected (the earlier tests' are gone): the slow one first.
      const slowStats = () => h.server!.deliveries()[0];
      let sent = 0;
      let peak = 0;
      // Rounds of 10 readings from each of 100 motors until the server holds back for the slow client, then as many again.
      const round = async (i: number) => {
        for (let k = 0; k < 10; k++) for (const id of motors) reading(id, 20 + ((i * 10 + k) % 300));
        sent += 10 * motors.length;
        await new Promise((r) => setTimeout(r, 30));
        for (const d of h.server!.deliveries()) peak = Math.max(peak, d.bufferedBytes + d.heldBytes);
      };
      let rounds = 0;
      await waitFor('the server holding back for the slow client', async () => {
        await round(rounds++);
        return slowStats().merged > 0;
      }, 240_000);
      for (let i = 0; i < rounds; i++) await round(rounds + i);
      const last = 20 + (((2 * rounds - 1) * 10 + 9) % 300);

      await waitFor('the fast client has every point', () => fastPoints.length === sent, 60_000);
      const stats = slowStats();
      expect(h.server!.deliveries()[1].merged).toBe(0);
      // What the server keeps for the slow client: ws's buffer up to the bound (plus the one message that crossed
      // it), and no telemetry waiting whole: it is merged to the newest value per motor and reading.
      expect(stats.heldBytes).toBe(0);
      expect(peak).toBeLessThan(OUTBOX_LIMITS.holdBytes + 256 * 1024);
      expect(stats.closedTooSlow).toBe(false);

      // Reading again, the slow client catches up with the newest value of every motor.
      (slow.ws as unknown as { _socket: Socket })._socket.resume();
      await waitFor('the slow client has the newest values', () => {
        const newest = new Map(telemetryOf(slow).map((p) => [p.id, p.values.temperature]));
        return motors.every((id) => newest.get(id) === last);
      }, 60_000);
      expect(telemetryOf(slow).length).toBeLessThan(sent);
      // The flood's rows are stored now, inside this test's time rather than the engine's close.
      await h.engine.drain();
    } finally {
      slow.ws.terminate();
      fast.ws.close();
    }
  });

  it('closes a client that stopped reading with 1013 and the reason once what must not be dropped passes the bound', async () => {
    const slow = await connect(h.server!.url);
    const other = await connect(h.server!.url);
    try {
      slow.client.on('rejected', () => undefined);
      let heard = 0;
      other.client.on('rejected', () => heard++);
      await Promise.all([slow.client.call('engine.status', {}), other.client.call('engine.status', {})]);
      await waitFor("the earlier tests' sockets gone", () => h.server!.deliveries().length === 2);
      const closed = new Promise<{ code: number; reason: string }>((resolve) => slow.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
      (slow.ws as unknown as { _socket: Socket })._socket.pause();

      // Rejected messages are a record each: never merged. A long reason makes each about 2 KB.
      const reason = `flood test: ${'x'.repeat(2000)}`;
      let sent = 0;
      await waitFor('the server closing the slow client', async () => {
        for (let i = 0; i < 200; i++) h.engine.pipeline.reject(null, 'mqtt', 'factory/flood/telemetry', reason, '{}');
        sent += 200;
        await new Promise((r) => setTimeout(r, 20));
        return h.server!.deliveries().some((d) => d.closedTooSlow);
      }, 240_000);
      // The close frame waits behind what the network had already taken: reading again, the client gets it.
      (slow.ws as unknown as { _socket: Socket })._socket.resume();
      expect(await closed).toEqual({ code: TOO_SLOW_CODE, reason: expect.stringMatching(/too slow .* reconnect/) });
      await waitFor('the other client heard every rejection', () => heard === sent, 60_000);
      await waitFor('the server let the slow socket go', () => h.server!.deliveries().length === 1);
      expect(h.server!.deliveries()[0].closedTooSlow).toBe(false);
    } finally {
      slow.ws.terminate();
      other.ws.close();
    }
  });
});
