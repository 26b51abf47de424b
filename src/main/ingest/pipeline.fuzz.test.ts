import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TwinRegistry } from '../twin/twinRegistry';
import { RejectedLog } from '../store/rejectedLog';
import type { TelemetryRow, TelemetryWriter } from '../store/telemetryWriter';
import { REASON, ackArb, mutate, mutationArb, statusArb, telemetryArb, waveformArb } from '../../../tests/support/protocolArbitraries';
import { IngestPipeline } from './pipeline';
import { routeDeviceMessage } from './mqttIngest';

// Property-based tests of the ingest pipeline behind every transport: any topic, any payload, in any
// order. Nothing throws out of it, every message is accounted for exactly once (stored, duplicate,
// rejected with a reason, shed, or handed on), and valid readings interleaved with the rest are all stored.

const NOW = Date.now();

function setup(shedding?: { ratePerS: number; burst: number }) {
  const twins = new TwinRegistry();
  const rows: TelemetryRow[] = [];
  const writer = { enqueue: (r: TelemetryRow) => rows.push(r) } as unknown as TelemetryWriter;
  const rejects = new RejectedLog(null);
  const pipeline = new IngestPipeline(twins, writer, rejects, shedding);
  let handedOn = 0;
  pipeline.on('waveform', () => handedOn++);
  pipeline.on('ack', () => handedOn++);
  pipeline.on('log', () => handedOn++);
  return { twins, rows, rejects, pipeline, handedOn: () => handedOn };
}

const DEVICES = ['motor_01', 'motor_02', 'm'];
const topicArb = fc.oneof(
  fc.tuple(fc.constantFrom(...DEVICES), fc.constantFrom('telemetry', 'status', 'waveform', 'commands/ack', 'commands', 'alerts', 'x/y')).map(([d, k]) => `factory/${d}/${k}`),
  fc.string({ maxLength: 40 }),
);
const payloadArb = fc.oneof(
  telemetryArb(NOW, fc.constantFrom(...DEVICES)).chain((t) => fc.array(mutationArb, { maxLength: 3 }).map((ms) => mutate(t, ms))),
  statusArb.chain((t) => fc.array(mutationArb, { maxLength: 2 }).map((ms) => mutate(t, ms))),
  ackArb.chain((t) => fc.array(mutationArb, { maxLength: 2 }).map((ms) => mutate(t, ms))),
  waveformArb(NOW).chain((t) => fc.array(mutationArb, { maxLength: 2 }).map((ms) => mutate(t, ms))),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  fc.constantFrom(Buffer.from('offline'), Buffer.from('online'), Buffer.alloc(70_000, 0x20)),
);
/** A message from the fuzzer, or (null) the next valid reading of the well-behaved board. */
const streamArb = fc.array(fc.oneof({ weight: 4, arbitrary: fc.tuple(topicArb, payloadArb) }, { weight: 1, arbitrary: fc.constant(null) }), { minLength: 1, maxLength: 60 });

describe('IngestPipeline under fuzzing', () => {
  it('accounts for every message once, gives every rejection a reason, and stores every valid reading', () => {
    fc.assert(
      fc.property(streamArb, (stream) => {
        const { pipeline, rows, rejects, twins, handedOn } = setup();
        let good = 0;
        let deviceTopicMessages = 0;
        let statusTopicMessages = 0;
        for (const item of stream) {
          if (item === null) {
            // The good board's seq is beyond anything the fuzzer makes, so none of its readings is a duplicate.
            const msg = { device_id: 'good_1', seq: 2 ** 50 + good++, temperature: 40 };
            routeDeviceMessage(pipeline, 'factory/good_1/telemetry', Buffer.from(JSON.stringify(msg)));
            continue;
          }
          const [topic, payload] = item;
          if (/^factory\/[^/]+\/(telemetry|status|waveform|commands\/ack)$/.test(topic)) deviceTopicMessages++;
          if (/^factory\/[^/]+\/status$/.test(topic)) statusTopicMessages++;
          expect(() => routeDeviceMessage(pipeline, topic, payload)).not.toThrow();
        }
        const c = pipeline.counters;
        // Each message on a device topic is received once and ends in exactly one place.
        expect(c.received).toBe(deviceTopicMessages + good);
        const statuses = c.received - c.accepted - c.duplicates - c.shed - (c.rejected - (stream.length - deviceTopicMessages - good)) - handedOn();
        expect(statuses, 'messages neither stored, duplicate, rejected, shed nor handed on must be status messages').toBeGreaterThanOrEqual(0);
        expect(statuses).toBeLessThanOrEqual(statusTopicMessages);
        expect(rows.length).toBe(c.accepted);
        expect(rows.filter((r) => r.deviceId === 'good_1').length).toBe(good);
        for (const r of rejects.list(1000)) expect(r.reason).toMatch(REASON);
        // Nothing but well-formed readings reaches the database or the twins.
        for (const r of rows) for (const v of Object.values(r.values)) expect(v === null || Number.isFinite(v)).toBe(true);
        for (const t of twins.all()) expect(DEVICES.concat('good_1')).toContain(t.id);
      }),
      { numRuns: 200 },
    );
  });

  it('sheds a flooding device without losing one reading of a device at its normal rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 50, max: 2000 }), fc.integer({ min: 10, max: 40 }), (floodPerTick, burst) => {
        const { pipeline, rows, twins } = setup({ ratePerS: 100, burst });
        let floodSeq = 0;
        for (let tick = 0; tick < 10; tick++) {
          for (let i = 0; i < floodPerTick; i++) routeDeviceMessage(pipeline, 'factory/flood/telemetry', Buffer.from(`{"device_id":"flood","seq":${floodSeq++},"rpm":1}`));
          routeDeviceMessage(pipeline, 'factory/steady/telemetry', Buffer.from(`{"device_id":"steady","seq":${tick},"rpm":1}`));
        }
        expect(rows.filter((r) => r.deviceId === 'steady')).toHaveLength(10);
        const flood = twins.get('flood')!;
        expect(flood.counts.shed + rows.filter((r) => r.deviceId === 'flood').length).toBe(floodSeq);
        expect(flood.counts.shed).toBeGreaterThan(0);
        expect(twins.get('steady')!.counts.shed).toBe(0);
        expect(pipeline.counters.shed).toBe(flood.counts.shed);
        // The gaps shedding leaves in the flood's seq are ours, not messages missed on the way.
        expect(flood.counts.missed).toBe(0);
      }),
      { numRuns: 30 },
    );
  });
});
