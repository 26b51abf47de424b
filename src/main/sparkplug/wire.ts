import type * as proto from 'sparkplug-payload/lib/sparkplugPayloadProto';

// Reading metrics as the protobuf layer decoded them: no library code, so the host's state machine loads
// without the codec (codec.ts), which waits for the first Sparkplug message.

/** Sparkplug's datatype codes for the plain values a data message carries (spec 6.4.16). */
const PLAIN_TYPES: Record<string, number> = { Int8: 1, Int16: 2, Int32: 3, Int64: 4, UInt8: 5, UInt16: 6, UInt32: 7, UInt64: 8, Float: 9, Double: 10, Boolean: 11, String: 12, DateTime: 13, Text: 14, UUID: 15 };
export const LAST_PLAIN = 15;

/** The code of a plain type by its name (a birth's), 0 for a structured or unknown one. */
export const typeCode = (name: string): number => (Object.hasOwn(PLAIN_TYPES, name) ? PLAIN_TYPES[name] : 0);

export type WireMetric = proto.org.eclipse.tahu.protobuf.Payload.IMetric;

/** NDATA or DDATA as `decodeSparkplugData` reads it: the metrics as protobuf decoded them, read with the wire* helpers. */
export interface SparkplugData {
  timestamp: number | null;
  seq: number | null;
  wire: WireMetric[];
}

export const toNumber = (v: unknown): number => (typeof v === 'object' && v !== null && 'toNumber' in v ? (v as { toNumber(): number }).toNumber() : Number(v));

/** A wire metric's alias, null when it carries none. */
export const wireAlias = (m: WireMetric): number | null => (Object.hasOwn(m, 'alias') ? toNumber(m.alias) : null);

/** A wire metric's name, null when it carries none. */
export const wireName = (m: WireMetric): string | null => (Object.hasOwn(m, 'name') ? (m.name ?? null) : null);

/**
 * The datatype code a wire metric states itself, 0 when it leaves it out (data messages should). The generated
 * class answers its default, 0, for a field not on the wire, so no own-property test is needed here.
 */
export const wireType = (m: WireMetric): number => m.datatype ?? 0;

/**
 * A wire metric's value by its datatype code (the birth's when the message leaves it out), as the library reads it.
 * Each type reads its own field by name, else whichever field the edge node used: protobufjs' oneof getter lists the
 * message's keys on every call, which cost more than the rest of reading the metric.
 */
export function dataValue(code: number, m: WireMetric): unknown {
  if (m.isNull) return null;
  switch (code) {
    case 1:
    case 2:
    case 3:
      return Object.hasOwn(m, 'intValue') ? (m.intValue as number) | 0 : other(code, m);
    case 5:
    case 6:
      return Object.hasOwn(m, 'intValue') ? (m.intValue as number) : other(code, m);
    case 7:
      return Object.hasOwn(m, 'intValue') ? (m.intValue as number) >>> 0 : other(code, m);
    case 9:
      return Object.hasOwn(m, 'floatValue') ? (m.floatValue as number) : other(code, m);
    case 10:
      return Object.hasOwn(m, 'doubleValue') ? (m.doubleValue as number) : other(code, m);
    case 4:
    case 8:
    case 13:
      return Object.hasOwn(m, 'longValue') ? converted(code, m.longValue) : other(code, m);
    case 11:
      return Object.hasOwn(m, 'booleanValue') ? Boolean(m.booleanValue) : other(code, m);
    case 12:
    case 14:
    case 15:
      return Object.hasOwn(m, 'stringValue') ? String(m.stringValue) : other(code, m);
    default:
      return undefined;
  }
}

/** The value of a metric that sent it in another field than its type's. */
function other(code: number, m: WireMetric): unknown {
  const field = (m as { value?: string }).value;
  return field ? converted(code, (m as Record<string, unknown>)[field]) : null;
}

/** A raw protobuf value as the library gives a value of the type. */
function converted(code: number, raw: unknown): unknown {
  switch (code) {
    case 1:
    case 2:
    case 3:
      return toNumber(raw) | 0;
    case 7:
      return toNumber(raw) >>> 0;
    case 4:
      return typeof raw === 'object' && raw !== null && 'toSigned' in raw ? (raw as { toSigned(): { toNumber(): number } }).toSigned().toNumber() : toNumber(raw);
    case 5:
    case 6:
    case 8:
    case 9:
    case 10:
    case 13:
      return toNumber(raw);
    case 11:
      return Boolean(raw);
    case 12:
    case 14:
    case 15:
      return String(raw);
    default:
      return undefined;
  }
}
