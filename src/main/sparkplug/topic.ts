// Sparkplug B topics (Sparkplug 3.0, chapter 4): spBv1.0/<group>/<type>/<node>[/<device>].
export const SPARKPLUG_NAMESPACE = 'spBv1.0';
export const SPARKPLUG_SUBSCRIPTION = `${SPARKPLUG_NAMESPACE}/#`;

export const isSparkplugTopic = (topic: string): boolean => topic.startsWith(`${SPARKPLUG_NAMESPACE}/`);

/** What an edge node publishes; commands (NCMD, DCMD) and host STATE are not telemetry and are let pass. */
export type SparkplugDataType = 'NBIRTH' | 'NDATA' | 'NDEATH' | 'DBIRTH' | 'DDATA' | 'DDEATH';
const NODE_TYPES = new Set(['NBIRTH', 'NDATA', 'NDEATH']);
const DEVICE_TYPES = new Set(['DBIRTH', 'DDATA', 'DDEATH']);
const PASSED_BY = new Set(['NCMD', 'DCMD']);

export interface SparkplugTopic {
  group: string;
  type: SparkplugDataType;
  node: string;
  device: string | null;
  /** sparkplugKey of the node, and of the node or device the message is about. */
  nodeKey: string;
  key: string;
}

export type ParsedSparkplugTopic = { ok: true; value: SparkplugTopic } | { ok: false; reason: string } | { ok: 'ignore' };

export function parseSparkplugTopic(topic: string): ParsedSparkplugTopic {
  const parts = topic.split('/');
  // spBv1.0/STATE/<host>: another host application's presence, nothing about motors.
  if (parts[1] === 'STATE') return { ok: 'ignore' };
  const [, group, type, node, device] = parts;
  if (PASSED_BY.has(type)) return { ok: 'ignore' };
  const isNode = NODE_TYPES.has(type);
  if (!isNode && !DEVICE_TYPES.has(type)) return { ok: false, reason: `sparkplug topic: message type ${JSON.stringify((type ?? '').slice(0, 20))} is not NBIRTH, NDATA, NDEATH, DBIRTH, DDATA or DDEATH` };
  const want = isNode ? 4 : 5;
  if (parts.length !== want || !group || !node || (!isNode && !device)) {
    return { ok: false, reason: `sparkplug topic: ${type} needs spBv1.0/<group>/${type}/<node>${isNode ? '' : '/<device>'}` };
  }
  const nodeKey = sparkplugKey(group, node, null);
  return { ok: true, value: { group, type: type as SparkplugDataType, node, device: isNode ? null : device, nodeKey, key: isNode ? nodeKey : `${nodeKey}/${device}` } };
}

/** Where MotorTwin asks an edge node to send its births again. */
export const nodeCommandTopic = (group: string, node: string): string => `${SPARKPLUG_NAMESPACE}/${group}/NCMD/${node}`;

/** A Sparkplug device's key: group, node and device, the identity Sparkplug gives it. */
export const sparkplugKey = (group: string, node: string, device: string | null): string => (device === null ? `${group}/${node}` : `${group}/${node}/${device}`);
