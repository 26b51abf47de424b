import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPtyPair, type PtyPair } from '../../src/main/sim/socatPair';
import type { ShedderOptions } from '../../src/main/ingest/loadShedder';
import { startEngine, type Harness } from '../support/engineHarness';
import { requireTool, waitFor } from '../support/tools';

// A board that floods 50,000 messages/s, over MQTT to the embedded broker and over a socat serial pair,
// while the rest of the fleet reports at its normal 10 Hz. The engine must shed the flood visibly (drops
// counted for that device), store every message of the others, keep its memory bounded and keep
// answering /api/health.

const ROOT = resolve(import.meta.dirname, '../..');
const FLOOD_RATE = 50_000;
/**
 * The engine's per-device ceiling here, below the default 3,000/s (burst 6,000): on the shared two-core machine
 * at a load average of 20-25 the engine reads and fully handles only about 2,000 messages/s, so a flood held back
 * by the pty's or socket's backpressure never passed the default ceiling and nothing was shed (the serial test
 * failed so: 81,851 lines in 41 s against a ceiling of 128,658). Under this one a loaded engine sheds too; the
 * default values are the unit tests' (src/main/ingest/loadShedder.test.ts).
 */
const CEILING = { ratePerS: 500, burst: 1000 } satisfies ShedderOptions;
/** The flood lasts until the engine has shed this many of its messages (at least a few seconds)... */
const SHED_AT_LEAST = 20_000;
const FLOOD_AT_LEAST_MS = 3000;
/** ...or this long, on a machine so busy that the flooding board itself cannot keep up. */
const FLOOD_AT_MOST_S = 40;
const NORMAL_DEVICES = ['motor_n1', 'motor_n2', 'motor_n3'];
/**
 * Heap growth allowed during a flood, over the heap before it. What survives a message once it is
 * ingested is bounded: a writer queue flushed every 50 ms, a dedupe window of 1,024 keys and a
 * token bucket per device. A flood that kept anything per message (about 600 bytes for a row and its
 * live point) would pass this within the first 150,000 messages, well inside the flood.
 */
const HEAP_GROWTH_MB = 96;
/** RSS may grow more than the heap: DuckDB's buffers for the rows moved in the meantime. */
const RSS_GROWTH_MB = 256;

interface Flood {
  sent: number;
  offered: number;
}

/** Starts the flooding board in its own process; `go` floods until `enough` holds and resolves with its counts. */
async function flood(target: string, deviceId: string): Promise<{ go: (enough: () => boolean) => Promise<Flood & { ms: number }> }> {
  const child: ChildProcess = spawn(process.execPath, [resolve(ROOT, 'bin/run-ts.js'), resolve(ROOT, 'tests/support/floodBoard.ts'), target, deviceId, String(FLOOD_RATE), String(FLOOD_AT_MOST_S)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  await waitFor('flooding board connected', () => out.includes('ready') || child.exitCode !== null, 30_000);
  if (!out.includes('ready')) throw new Error(`flooding board exited (${child.exitCode}) before it was ready`);
  return {
    go: async (enough) => {
      const exited = new Promise((r) => child.once('exit', r));
      const t0 = Date.now();
      child.stdin!.write('go\n');
      await waitFor('enough of a flood', () => child.exitCode !== null || (Date.now() - t0 >= FLOOD_AT_LEAST_MS && enough()), (FLOOD_AT_MOST_S + 10) * 1000, 100);
      const ms = Date.now() - t0;
      child.stdin!.write('stop\n');
      await exited;
      const m = /done (\d+) (\d+)/.exec(out);
      if (!m) throw new Error(`flooding board said: ${out}`);
      return { sent: Number(m[1]), offered: Number(m[2]), ms };
    },
  };
}

interface Watch {
  heapMb: number[];
  rssMb: number[];
  healthMs: number[];
  stop(): Promise<void>;
}

/**
 * How long /api/health may take before the test calls it unanswered: a client's patience, not a speed goal
 * (the speed goal is bench/flood.bench.ts's). At a load average of 20-25, with this process running the engine, the
 * broker and the test's own client, it took medians of 0.9-1.9 s and up to 18.5 s during the MQTT flood.
 */
const HEALTH_ANSWERED_WITHIN_MS = 30_000;
/** A test's own waits: the flooding board's start, the flood, then its messages drained and the fleet's stored. */
const TEST_TIMEOUT_MS = 30_000 + (FLOOD_AT_MOST_S + 10) * 1000 + 60_000;

/** Samples memory and the time /api/health takes, every 250 ms, until stopped. */
function watch(url: string): Watch {
  const w: Watch = { heapMb: [], rssMb: [], healthMs: [], stop: async () => undefined };
  let running = true;
  const loop = (async () => {
    while (running) {
      const m = process.memoryUsage();
      w.heapMb.push(m.heapUsed / 2 ** 20);
      w.rssMb.push(m.rss / 2 ** 20);
      const t0 = performance.now();
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(HEALTH_ANSWERED_WITHIN_MS) }).catch((e: Error) => {
        throw new Error(`/api/health did not answer within ${HEALTH_ANSWERED_WITHIN_MS} ms during the flood: ${e.message}`);
      });
      expect(res.status).toBe(200);
      await res.json();
      w.healthMs.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  w.stop = async () => {
    running = false;
    await loop;
  };
  return w;
}

/** The fleet that behaves: each device at 10 Hz with QoS 1, so every publish is known to have arrived. */
let fleetSeq = 0;
function normalFleet(client: MqttClient, tag: string): { stop: () => Promise<number> } {
  const first = fleetSeq;
  let seq = first;
  const inflight: Promise<unknown>[] = [];
  const timer = setInterval(() => {
    for (const id of NORMAL_DEVICES) inflight.push(client.publishAsync(`factory/${id}/telemetry`, JSON.stringify({ device_id: id, seq, temperature: 55, vibration: 0.02, rpm: 1480, tag }), { qos: 1 }));
    seq++;
  }, 100);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(inflight);
      fleetSeq = seq;
      return seq - first;
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('a board flooding 50,000 messages/s', () => {
  let h: Harness;
  let fleet: MqttClient;

  beforeAll(async () => {
    h = await startEngine({ http: true, shedding: CEILING });
    fleet = await mqtt.connectAsync(h.brokerUrl, { clientId: `fleet-${process.pid}` });
  });
  afterAll(async () => {
    await fleet?.endAsync();
    await h?.close();
  });

  async function storedFor(id: string): Promise<number> {
    const rows = await h.engine.db.query('SELECT count(DISTINCT seq)::INTEGER AS n FROM telemetry WHERE device_id = $1', [id]);
    return Number(rows[0].n);
  }

  /** Runs one flood against `target` and checks everything the issue asks of it. */
  async function survive(target: string, floodId: string, tag: string): Promise<void> {
    const board = await flood(target, floodId);
    // Memory before the flood, once the engine has settled.
    await h.engine.drain();
    const base = process.memoryUsage();
    const before = Object.fromEntries(await Promise.all(NORMAL_DEVICES.map(async (id) => [id, await storedFor(id)] as const)));
    const w = watch(h.server!.url);
    const normal = normalFleet(fleet, tag);
    const counts = await board.go(() => (h.engine.twins.get(floodId)?.counts.shed ?? 0) >= SHED_AT_LEAST);
    const sentPerDevice = await normal.stop();
    await w.stop();

    // The flood really was one: more reached the engine than the device's ceiling lets through.
    const ceiling = CEILING.burst + (CEILING.ratePerS * counts.ms) / 1000;
    expect(counts.sent, `sent in ${counts.ms} ms`).toBeGreaterThan(ceiling);
    const twin = await waitFor('the flooding twin', () => h.engine.twins.get(floodId));
    // Drops counted for that device, and every message of the flood accounted for: decoded or shed.
    await waitFor('every flood message read', () => twin.counts.shed + twin.counts.received === counts.sent, 30_000);
    expect(twin.counts.shed, 'drops counted for the flooding device').toBeGreaterThanOrEqual(SHED_AT_LEAST);
    // The seq gaps shedding leaves are not readings missed on the way.
    expect(twin.counts.missed).toBe(0);
    const health = (await (await fetch(`${h.server!.url}/api/health`)).json()) as { ingest: { shed: number; shedding: Array<{ id: string; shed: number }> } };
    expect(health.ingest.shed).toBeGreaterThanOrEqual(twin.counts.shed);
    expect(health.ingest.shedding.map((d) => d.id)).toContain(floodId);
    const twins = (await (await fetch(`${h.server!.url}/api/twins`)).json()) as Array<{ id: string; counts: { shed: number } }>;
    expect(twins.find((t) => t.id === floodId)?.counts.shed).toBe(twin.counts.shed);
    for (const id of NORMAL_DEVICES) expect(twins.find((t) => t.id === id)?.counts.shed, `${id} shed nothing`).toBe(0);

    // What the engine let through of the flood is stored: shed means dropped before, never after, decoding.
    await waitFor('the flood drained', async () => {
      await h.engine.drain();
      return (await storedFor(floodId)) === twin.counts.received - twin.counts.duplicates;
    }, 30_000);

    // Every message of the well-behaved fleet is stored.
    for (const id of NORMAL_DEVICES) {
      await waitFor(`all of ${id}'s messages stored`, async () => {
        await h.engine.drain();
        return (await storedFor(id)) - before[id] === sentPerDevice;
      }, 30_000);
    }

    const heapGrowth = Math.max(...w.heapMb) - base.heapUsed / 2 ** 20;
    const rssGrowth = Math.max(...w.rssMb) - base.rss / 2 ** 20;
    console.log(
      `[faultFlood ${tag}] ${counts.ms} ms: offered ${counts.offered}, reached the engine ${counts.sent}, shed ${twin.counts.shed}, stored ${await storedFor(floodId)}; ` +
        `heap +${heapGrowth.toFixed(0)} MB, rss +${rssGrowth.toFixed(0)} MB; /api/health median ${median(w.healthMs).toFixed(0)} ms, max ${Math.max(...w.healthMs).toFixed(0)} ms over ${w.healthMs.length} calls`,
    );
    expect(heapGrowth, 'heap growth during the flood (MB)').toBeLessThan(HEAP_GROWTH_MB);
    expect(rssGrowth, 'RSS growth during the flood (MB)').toBeLessThan(RSS_GROWTH_MB);
    // It kept answering through the flood: every call a 200 within a client's patience (see watch).
    expect(w.healthMs.length).toBeGreaterThanOrEqual(3);
  }

  it('over MQTT to the embedded broker: sheds that board, stores the rest, memory bounded, health answers', async () => {
    await survive(h.brokerUrl, 'motor_flood_mqtt', 'mqtt');
  }, TEST_TIMEOUT_MS);

  it('over a socat serial pair: sheds that board, stores the rest, memory bounded, health answers', async () => {
    requireTool('socat', 'socat');
    const pair: PtyPair = await createPtyPair();
    try {
      await h.engine.devices.serial.open(pair.hostPath, 921_600);
      await survive(pair.devicePath, 'motor_flood_serial', 'serial');
    } finally {
      await h.engine.devices.serial.close(pair.hostPath).catch(() => undefined);
      await pair.unplug();
    }
  }, TEST_TIMEOUT_MS);
});
