import { get } from 'sparkplug-payload';
import type { UMetric, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import * as proto from 'sparkplug-payload/lib/sparkplugPayloadProto';
import { SPARKPLUG_NAMESPACE } from './topic';

// Eclipse Tahu's payload library (protobuf via protobufjs): Sparkplug B payloads in and out.
const codec = get(SPARKPLUG_NAMESPACE);
if (!codec) throw new Error(`sparkplug-payload does not know ${SPARKPLUG_NAMESPACE}`);

export type SparkplugPayload = UPayload;

/** Throws on bytes that are not a Sparkplug B payload (protobuf wire errors). */
export const decodeSparkplugPayload = (bytes: Uint8Array): SparkplugPayload => codec.decodePayload(bytes);

export const encodeSparkplugPayload = (payload: SparkplugPayload): Uint8Array => codec.encodePayload(payload);

/** The NCMD that asks an edge node to publish its NBIRTH and every DBIRTH again. */
export const rebirthRequest = (now: number): Uint8Array =>
  encodeSparkplugPayload({ timestamp: now, metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }] });

// A CommonJS module whose exports are assigned at run time: under ESM its namespace is the default export.
const protoRoot = (proto as unknown as { default?: typeof proto }).default ?? proto;
const { Payload } = protoRoot.org.eclipse.tahu.protobuf;
type WireMetric = proto.org.eclipse.tahu.protobuf.Payload.IMetric;

/** Sparkplug's datatype codes for the plain values a data message carries (spec 6.4.16). */
const PLAIN_TYPES: Record<string, number> = { Int8: 1, Int16: 2, Int32: 3, Int64: 4, UInt8: 5, UInt16: 6, UInt32: 7, UInt64: 8, Float: 9, Double: 10, Boolean: 11, String: 12, DateTime: 13, Text: 14, UUID: 15 };
const TYPE_NAMES = Object.fromEntries(Object.entries(PLAIN_TYPES).map(([name, code]) => [code, name]));

/** A metric of a data message: its value is read with `dataValue` once the birth told the type. */
export interface DataMetric extends Omit<UMetric, 'type' | 'value'> {
  /** The type the message itself states; data messages usually leave it out (the spec says they should). */
  type?: string;
  wire: WireMetric;
}

/**
 * NDATA and DDATA, read from the protobuf layer directly. Two reasons: a data message should leave the datatype
 * out, and the library's decoder then gives every value as null (it reads values by the message's own
 * datatype); and the library converts every metric's every field, which cost more than the rest of the host.
 * Structured values (DataSet, Template, PropertySet) go through the library's own decoder.
 * Only fields on the wire count (protobufjs answers defaults, such as alias 0, for the others).
 */
export function decodeSparkplugData(bytes: Uint8Array): { timestamp: number | null; seq: number | null; metrics: DataMetric[] } | UPayload {
  const p = Payload.decode(bytes);
  const metrics: DataMetric[] = [];
  for (const m of p.metrics) {
    const type = has(m, 'datatype') && m.datatype ? TYPE_NAMES[m.datatype] : undefined;
    if (has(m, 'datatype') && m.datatype && type === undefined) return decodeSparkplugPayload(bytes);
    metrics.push({
      name: has(m, 'name') ? (m.name ?? undefined) : undefined,
      alias: has(m, 'alias') ? toNumber(m.alias) : undefined,
      timestamp: has(m, 'timestamp') ? toNumber(m.timestamp) : undefined,
      type,
      wire: m,
    } as DataMetric);
  }
  return { timestamp: has(p, 'timestamp') ? toNumber(p.timestamp) : null, seq: has(p, 'seq') ? toNumber(p.seq) : null, metrics };
}

const has = (o: object, field: string) => Object.prototype.hasOwnProperty.call(o, field);
const toNumber = (v: unknown): number => (typeof v === 'object' && v !== null && 'toNumber' in v ? (v as { toNumber(): number }).toNumber() : Number(v));

/** A data metric's value by its type (the birth's when the message leaves it out), as the library reads it. */
export function dataValue(type: string, m: WireMetric): unknown {
  // The oneof's name of the field that came on the wire (intValue, longValue, floatValue…), if any.
  const field = (m as { value?: string }).value;
  if (m.isNull || !field) return null;
  const raw = (m as Record<string, unknown>)[field];
  switch (PLAIN_TYPES[type]) {
    case 1:
    case 2:
    case 3:
      return toNumber(raw) | 0;
    case 5:
    case 6:
      return toNumber(raw);
    case 7:
      return toNumber(raw) >>> 0;
    case 4:
      return typeof raw === 'object' && raw !== null && 'toSigned' in raw ? (raw as { toSigned(): { toNumber(): number } }).toSigned().toNumber() : toNumber(raw);
    case 8:
    case 13:
    case 9:
    case 10:
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
