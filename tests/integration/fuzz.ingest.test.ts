import { createWriteStream } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods } from '../../src/shared/contract';
import { READING_NAMES } from '../../src/shared/readings';
import { handlers } from '../../src/main/rpc/handlers';
import { createPtyPair } from '../../src/main/sim/socatPair';
import { REASON, ackArb, mutate, mutationArb, statusArb, telemetryArb, waveformArb } from '../support/protocolArbitraries';
import { startEngine, type Harness } from '../support/engineHarness';
import { requireTool, waitFor } from '../support/tools';

// End-to-end fuzzing of ingest: random and mutated messages of every kind on real MQTT topics of the
// embedded broker and on a real serial pair, with valid readings of well-behaved boards interleaved.
// Nothing crashes the engine, every rejection is listed and stored with its reason, every valid reading
// of the good boards is in DuckDB, and history can still be read for every twin the fuzz created.

const NOW = Date.now();
const FUZZ_DEVICES = ['fz_a', 'fz_b', 'fz_c'];
const topicArb = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...FUZZ_DEVICES), fc.constantFrom('telemetry', 'status', 'waveform', 'commands/ack')).map(([d, k]) => `factory/${d}/${k}`) },
  { weight: 1, arbitrary: fc.constantFrom('factory/fz_a', 'factory//telemetry', 'factory/fz_a/telemetry/extra', 'plant/fz_a/telemetry', 'factory/fz_a/alerts') },
);
const mutated = <T extends Record<string, unknown>>(arb: fc.Arbitrary<T>) => arb.chain((m) => fc.array(mutationArb, { maxLength: 3 }).map((ms) => mutate(m, ms)));
const payloadArb = fc.oneof(
  mutated(telemetryArb(NOW, fc.constantFrom(...FUZZ_DEVICES))),
  mutated(statusArb),
  mutated(ackArb),
  mutated(waveformArb(NOW)),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc.constantFrom(Buffer.from('offline'), Buffer.from('{"device_id":"fz_a","temperature":1e308,"vibration":-1e308,"rpm":1.7e308}'), Buffer.alloc(70_000, 0x7b)),
);
const streamArb = fc.array(fc.oneof({ weight: 3, arbitrary: fc.tuple(topicArb, payloadArb) }, { weight: 1, arbitrary: fc.constant(null) }), { minLength: 20, maxLength: 120 });

describe('ingest under fuzzing, end to end', () => {
  let h: Harness;
  let goodSeq = 0;

  beforeAll(async () => {
    h = await startEngine({ http: true });
  });
  afterAll(async () => h?.close());

  const count = async (sql: string, params: unknown[] = []) => Number((await h.engine.db.query(sql, params as never))[0].n);

  /** Every twin's history reads back through the contract, whatever readings the fuzz left in it. */
  async function historyReadable(): Promise<void> {
    for (const t of h.engine.twins.all()) {
      for (const span of [3_600_000, 40 * 24 * 3_600_000]) {
        const params = { id: t.id, metrics: [...READING_NAMES], from: Date.now() - span, to: Date.now() + 60_000, maxPoints: 500 };
        const result = await handlers['history.query'](h.engine, params);
        const check = methods['history.query'].result.safeParse(result);
        expect(check.success, `history of ${t.id} over ${span / 3_600_000} h: ${check.error?.issues[0]?.path.join('.')} ${check.error?.issues[0]?.message}`).toBe(true);
      }
    }
  }

  it('MQTT: rejects what is bad with a reason, stores every valid reading interleaved with it, keeps running', async () => {
    await fc.assert(
      fc.asyncProperty(streamArb, async (stream) => {
        const rejectedBefore = h.engine.pipeline.counters.rejected;
        const storedBefore = await count("SELECT count(*)::INTEGER AS n FROM telemetry WHERE device_id = 'good_mqtt'");
        let good = 0;
        for (const item of stream) {
          if (item === null) {
            const msg = { device_id: 'good_mqtt', seq: goodSeq++, temperature: 40 + (goodSeq % 10), vibration: 0.02, rpm: 1480 };
            await h.publisher.publishAsync('factory/good_mqtt/telemetry', JSON.stringify(msg), { qos: 1 });
            good++;
          } else {
            await h.publisher.publishAsync(item[0], item[1], { qos: 1 });
          }
        }
        await waitFor('every good reading stored', async () => {
          await h.engine.drain();
          return (await count("SELECT count(*)::INTEGER AS n FROM telemetry WHERE device_id = 'good_mqtt'")) === storedBefore + good;
        }, 30_000);
        const rejected = h.engine.pipeline.counters.rejected - rejectedBefore;
        for (const r of h.engine.rejects.list(Math.max(1, rejected))) {
          expect(r.reason).toMatch(REASON);
          expect(r.payload.length).toBeLessThanOrEqual(600);
        }
      }),
      { numRuns: 4 },
    );
    // Every rejection is stored with its reason too.
    await h.engine.rejects.flush();
    expect(await count("SELECT count(*)::INTEGER AS n FROM rejected WHERE reason IS NULL OR length(reason) < 8")).toBe(0);
    expect(await count('SELECT count(*)::INTEGER AS n FROM rejected')).toBe(h.engine.rejects.total);
    // Nothing but finite readings reached the database.
    const cols = READING_NAMES.map((n) => `isinf(${n}) OR isnan(${n})`).join(' OR ');
    expect(await count(`SELECT count(*)::INTEGER AS n FROM telemetry WHERE ${cols}`)).toBe(0);
    // Readings at the edge of a double are physically impossible: rejected, never stored (issue 17).
    const rejectedBefore = h.engine.pipeline.counters.rejected;
    for (let seq = 0; seq < 3; seq++) await h.publisher.publishAsync('factory/fz_huge/telemetry', JSON.stringify({ device_id: 'fz_huge', seq, temperature: 1.7e308, vibration: -1.7e308 }), { qos: 1 });
    await waitFor('huge readings rejected', () => h.engine.pipeline.counters.rejected - rejectedBefore === 3);
    expect(h.engine.rejects.list(1)[0].reason).toMatch(/^range: temperature: 1\.7e\+308 °C is outside the plausible range/);
    await h.engine.drain();
    expect(await count("SELECT count(*)::INTEGER AS n FROM telemetry WHERE device_id = 'fz_huge'")).toBe(0);
    await historyReadable();
    const res = await fetch(`${h.server!.url}/api/health`);
    expect(res.status).toBe(200);
  });

  it('serial: noise, broken UTF-8 and megabytes without a newline around valid lines; all valid lines stored, console bounded', async () => {
    requireTool('socat', 'socat');
    const pair = await createPtyPair();
    const board = await h.engine.devices.serial.open(pair.hostPath, 115_200);
    const out = createWriteStream(pair.devicePath);
    await new Promise((r, j) => out.once('open', r).once('error', j));
    const write = (b: Buffer | string) => new Promise<void>((r) => (out.write(b) ? r() : out.once('drain', () => r())));
    try {
      const noise = fc.sample(
        fc.oneof(
          mutated(telemetryArb(NOW, fc.constant('good_serial')).map((t) => ({ type: 'telemetry', ...t }))).map((b) => Buffer.concat([b, Buffer.from('\n')])),
          fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
          fc.constantFrom(Buffer.from([0xc3, 0x28, 0x0a]), Buffer.from([0xf0, 0x9f, 0x98]), Buffer.from('ets Jun  8 2016 00:22:57\r\n')),
        ),
        { numRuns: 300, seed: 42 },
      );
      await write('{"type":"status","device_id":"good_serial","state":"online"}\n');
      let sent = 0;
      const FIRST = 2 ** 50;
      for (let i = 0; i < noise.length; i++) {
        await write(noise[i]);
        if (i % 3 === 0) await write(`\n{"type":"telemetry","device_id":"good_serial","seq":${FIRST + sent++},"temperature":41.5}\n`);
        // Twice, 3 MB without a newline: a board stuck printing, in its text and in broken UTF-8.
        if (i === 100 || i === 200) for (let k = 0; k < 48; k++) await write(Buffer.alloc(64 * 1024, i === 100 ? 0x41 : 0xe2));
      }
      await write(`\n{"type":"telemetry","device_id":"good_serial","seq":${FIRST + sent++},"temperature":41.5}\n`);
      await waitFor('every valid serial line stored', async () => {
        await h.engine.drain();
        return (await count("SELECT count(*)::INTEGER AS n FROM telemetry WHERE device_id = 'good_serial' AND seq >= $1", [FIRST])) === sent;
      }, 60_000);
      const held = board.console.since(-1, Number.MAX_SAFE_INTEGER).reduce((n, l) => n + l.text.length + (l.hex?.length ?? 0), 0);
      expect(held, 'characters the console holds after 6 MB without newlines').toBeLessThan(2 * 2 ** 20);
      expect(board.state).toBe('open');
      await historyReadable();
    } finally {
      out.destroy();
      await h.engine.devices.serial.close(pair.hostPath);
      await pair.unplug();
    }
  });
});
