import { describe, expect, it } from 'vitest';
import { TwinRegistry } from '../twin/twinRegistry';
import { RejectedLog } from '../store/rejectedLog';
import type { TelemetryRow, TelemetryWriter } from '../store/telemetryWriter';
import type { MotorDatabase } from '../store/database';
import { IngestPipeline } from '../ingest/pipeline';
import { encodeSparkplugPayload } from './codec';
import { SparkplugMappings } from './mappingStore';
import { SparkplugHost, type SparkplugCodec } from './sparkplugHost';

// The host loads its codec (Tahu's library, protobufjs) at the first Sparkplug message, as the engine wires it.

function host(codec: () => Promise<SparkplugCodec>) {
  const twins = new TwinRegistry();
  const rows: TelemetryRow[] = [];
  const writer = { enqueue: (r: TelemetryRow) => rows.push(r) } as unknown as TelemetryWriter;
  const rejects = new RejectedLog(null);
  const pipeline = new IngestPipeline(twins, writer, rejects);
  // No mapping is read or stored here: the database is never reached.
  const h = new SparkplugHost({ pipeline, twins, mappings: new SparkplugMappings(null as unknown as MotorDatabase), publish: async () => undefined, codec });
  return { h, twins, rows, rejects, pipeline };
}

/** A node's birth, its device's birth and one data message, as an edge node sends them on connecting. */
function lineUp(): Array<[string, Uint8Array]> {
  const now = Date.now();
  return [
    ['spBv1.0/plant/NBIRTH/edge1', encodeSparkplugPayload({ timestamp: now, seq: 0, metrics: [{ name: 'bdSeq', type: 'UInt64', value: 3 }] })],
    ['spBv1.0/plant/DBIRTH/edge1/pump3', encodeSparkplugPayload({ timestamp: now, seq: 1, metrics: [{ name: 'Motor/Temperature', alias: 1, type: 'Float', value: 60 }] })],
    ['spBv1.0/plant/DDATA/edge1/pump3', encodeSparkplugPayload({ timestamp: now, seq: 2, metrics: [{ alias: 1, type: 'Float', value: 71.5 }] })],
  ];
}

describe('Sparkplug host: the codec loaded at the first message', () => {
  it('handles the messages heard while the codec loads, in the order they came', async () => {
    let loads = 0;
    const { h, twins, rows } = host(() => (loads++, import('./codec')));
    for (const [topic, payload] of lineUp()) h.handle(topic, payload);
    await h.settled();
    // The data message was read by the alias its birth defined, so the births went first.
    expect(twins.get('edge1.pump3')?.readings.temperature?.value).toBe(71.5);
    expect(rows).toHaveLength(2);
    for (const [topic, payload] of lineUp()) h.handle(topic, payload);
    await h.settled();
    expect(loads).toBe(1);
  });

  it('refuses each message with the reason when the codec does not load, and tries again at the next one', async () => {
    let loads = 0;
    const { h, twins, rejects, pipeline } = host(() => (++loads === 1 ? Promise.reject(new Error("Cannot find package 'sparkplug-payload'")) : import('./codec')));
    for (const [topic, payload] of lineUp()) h.handle(topic, payload);
    await h.settled();
    expect(pipeline.counters).toMatchObject({ received: 3, rejected: 3 });
    expect(rejects.list(10).map((r) => r.reason)).toEqual(Array(3).fill("sparkplug: the Sparkplug B codec did not load (Cannot find package 'sparkplug-payload')"));
    expect(twins.size).toBe(0);
    for (const [topic, payload] of lineUp()) h.handle(topic, payload);
    await h.settled();
    expect(twins.get('edge1.pump3')?.readings.temperature?.value).toBe(71.5);
  });
});
