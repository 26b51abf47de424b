import { get } from 'sparkplug-payload';
import type { UPayload } from 'sparkplug-payload/lib/sparkplugbpayload';
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
