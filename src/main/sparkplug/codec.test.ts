import { describe, expect, it } from 'vitest';
import * as proto from 'sparkplug-payload/lib/sparkplugPayloadProto';
import { SparkplugHostState, metricValue, type MetricDef, type SparkplugSink } from './hostState';
import { parseSparkplugTopic, type SparkplugTopic } from './topic';
import { decodeSparkplugData, decodeSparkplugPayload, encodeSparkplugPayload } from './codec';
import { dataValue, typeCode, wireType, type SparkplugData } from './wire';

// Data messages as edge nodes really send them: the spec says NDATA and DDATA should leave the datatype out,
// the birth having told it. The library's own decoder reads such a value as null.

const protoRoot = (proto as unknown as { default?: typeof proto }).default ?? proto;
const { Payload } = protoRoot.org.eclipse.tahu.protobuf;
/** Encoded at the protobuf layer, so the datatype can be left out as a compliant edge node does. */
const untyped = (seq: number, metrics: Array<Record<string, unknown>>) => Payload.encode(Payload.create({ timestamp: Date.now(), seq, metrics: metrics.map((m) => Payload.Metric.create(m)) })).finish();

const topic = (t: string): SparkplugTopic => {
  const p = parseSparkplugTopic(t);
  if (p.ok !== true) throw new Error(t);
  return p.value;
};

describe('Sparkplug data messages', () => {
  it('take each value by the type the birth gave when the message leaves the datatype out', () => {
    const values: Array<Record<string, unknown>> = [];
    const sink: SparkplugSink = {
      metrics: (_d, _ts, ms: MetricDef[]) => values.push(Object.fromEntries(ms.map((m) => [m.name, metricValue(m)]))),
      online: () => undefined,
      offline: () => undefined,
      reject: (_d, reason) => {
        throw new Error(reason);
      },
      rebirth: () => undefined,
    };
    const host = new SparkplugHostState(sink, 0);
    host.handle(topic('spBv1.0/plant/NBIRTH/edge1'), decodeSparkplugPayload(encodeSparkplugPayload({ timestamp: Date.now(), seq: 0, metrics: [{ name: 'bdSeq', type: 'UInt64', value: 3 }] })), 1);
    const birth = { timestamp: Date.now(), seq: 1, metrics: [
      { name: 'Motor/Temperature', alias: 1, type: 'Float' as const, value: 60 },
      { name: 'Speed', alias: 2, type: 'Int32' as const, value: 1480 },
      { name: 'Running hours', alias: 3, type: 'UInt64' as const, value: 12 },
      { name: 'Tripped', alias: 4, type: 'Boolean' as const, value: false },
    ] };
    host.handle(topic('spBv1.0/plant/DBIRTH/edge1/pump3'), decodeSparkplugPayload(encodeSparkplugPayload(birth)), 2);
    const bytes = untyped(2, [{ alias: 1, floatValue: 61.5 }, { alias: 2, intValue: 1475 }, { alias: 3, longValue: 13 }, { alias: 4, booleanValue: true }]);
    // What the library alone makes of it: every value null.
    expect((decodeSparkplugPayload(bytes).metrics ?? []).map((m) => m.value)).toEqual([null, null, null, null]);
    host.handle(topic('spBv1.0/plant/DDATA/edge1/pump3'), decodeSparkplugData(bytes), 3);
    expect(values.at(-1)).toEqual({ 'Motor/Temperature': 61.5, Speed: 1475, 'Running hours': 13, Tripped: true });
  });

  it('read values as the library does where the message states its type, and null where it says null', () => {
    const typed = encodeSparkplugPayload({ timestamp: 5, seq: 9, metrics: [{ alias: 1, type: 'Int16', value: -3 }, { alias: 2, type: 'Double', value: 2.5 }, { alias: 3, type: 'String', value: 'run' }, { alias: 4, type: 'Int64', value: -7 }] });
    const lean = decodeSparkplugData(typed) as SparkplugData;
    expect({ seq: lean.seq, timestamp: lean.timestamp }).toEqual({ seq: 9, timestamp: 5 });
    expect(lean.wire.map((m) => dataValue(wireType(m), m))).toEqual([-3, 2.5, 'run', -7]);
    // An edge node that puts a Float's value in the double field (or an Int32's in the long one) is still read.
    const elsewhere = decodeSparkplugData(untyped(1, [{ alias: 1, doubleValue: 61.25 }, { alias: 2, longValue: 1480 }])) as SparkplugData;
    expect([dataValue(typeCode('Float'), elsewhere.wire[0]), dataValue(typeCode('Int32'), elsewhere.wire[1])]).toEqual([61.25, 1480]);
    const nulled = untyped(1, [{ alias: 1, isNull: true }]);
    const m = (decodeSparkplugData(nulled) as SparkplugData).wire[0];
    expect(dataValue(typeCode('Float'), m)).toBeNull();
  });
});
