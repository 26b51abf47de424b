import { get } from 'sparkplug-payload';
import type { UPayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import * as proto from 'sparkplug-payload/lib/sparkplugPayloadProto';
import { SPARKPLUG_NAMESPACE } from './topic';
import { LAST_PLAIN, toNumber, wireType, type SparkplugData } from './wire';

// Eclipse Tahu's payload library (protobuf via protobufjs): Sparkplug B payloads in and out. The engine loads
// this module at the first Sparkplug message (SparkplugHost); reading the decoded metrics is in wire.ts.
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

/**
 * NDATA and DDATA, read from the protobuf layer directly. Two reasons: a data message should leave the datatype
 * out, and the library's decoder then gives every value as null (it reads values by the message's own
 * datatype); and the library converts every metric's every field, which cost more than the rest of the host.
 * A message with a structured value (DataSet, Template, PropertySet) goes through the library's own decoder.
 * Only fields on the wire count (protobufjs answers defaults, such as alias 0, for the others).
 */
export function decodeSparkplugData(bytes: Uint8Array): SparkplugData | UPayload {
  const p = Payload.decode(bytes);
  for (const m of p.metrics) if (wireType(m) > LAST_PLAIN) return decodeSparkplugPayload(bytes);
  return { timestamp: Object.hasOwn(p, 'timestamp') ? toNumber(p.timestamp) : null, seq: Object.hasOwn(p, 'seq') ? toNumber(p.seq) : null, wire: p.metrics };
}
