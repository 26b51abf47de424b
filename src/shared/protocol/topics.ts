import type { MessageKind } from './decode';
import { deviceIdProblem } from './schemas';

// MQTT topics of PROTOCOL.md: factory/<device_id>/<kind>.
export const TOPIC_ROOT = 'factory';

export const SUBSCRIPTIONS = [
  `${TOPIC_ROOT}/+/telemetry`,
  `${TOPIC_ROOT}/+/status`,
  `${TOPIC_ROOT}/+/waveform`,
  `${TOPIC_ROOT}/+/commands/ack`,
] as const;

const KIND_BY_SUFFIX: Record<string, MessageKind> = {
  telemetry: 'telemetry',
  status: 'status',
  waveform: 'waveform',
  'commands/ack': 'ack',
};

export function parseTopic(topic: string): { deviceId: string; kind: MessageKind } | undefined {
  const parts = topic.split('/');
  if (parts.length < 3 || parts[0] !== TOPIC_ROOT || !parts[1]) return undefined;
  const kind = KIND_BY_SUFFIX[parts.slice(2).join('/')];
  return kind ? { deviceId: parts[1], kind } : undefined;
}

/** A device's topic; throws rather than build one from an id the protocol forbids (a command would go astray). */
export function topicFor(deviceId: string, suffix: 'telemetry' | 'status' | 'waveform' | 'commands' | 'commands/ack' | 'alerts'): string {
  const problem = deviceIdProblem(deviceId);
  if (problem) throw new Error(`no topic for ${problem}`);
  return `${TOPIC_ROOT}/${deviceId}/${suffix}`;
}
