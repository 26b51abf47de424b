import type { z } from 'zod';
import { MAX_PAYLOAD_BYTES } from './limits';
import {
  ackSchema,
  deviceIdProblem,
  logSchema,
  statusSchema,
  telemetrySchema,
  waveformSchema,
  type AckPayload,
  type LogPayload,
  type StatusPayload,
  type TelemetryPayload,
  type WaveformPayload,
} from './schemas';
import { commandSchema, type DeviceCommand } from './commands';
import { resolveTimestamp } from './timestamps';
import { wellFormedTelemetry } from './telemetryFastPath';

// One decoder for both transports: an MQTT payload (its kind and device come from the topic) and a serial
// line (its kind comes from "type"). Every rejection carries a reason a person can act on.

export type MessageKind = 'telemetry' | 'status' | 'waveform' | 'ack' | 'log';

export type DeviceMessage =
  | { kind: 'telemetry'; payload: TelemetryPayload; ts: number; tsSuspect: boolean }
  | { kind: 'status'; payload: StatusPayload }
  | { kind: 'waveform'; payload: WaveformPayload; ts: number }
  | { kind: 'ack'; payload: AckPayload }
  | { kind: 'log'; payload: LogPayload };

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

const textDecoder = new TextDecoder('utf-8', { fatal: true });

export function payloadText(raw: string | Uint8Array): Decoded<string> {
  const size = typeof raw === 'string' ? byteLength(raw) : raw.byteLength;
  if (size > MAX_PAYLOAD_BYTES) return fail(`size: payload of ${size} bytes exceeds the ${MAX_PAYLOAD_BYTES}-byte limit`);
  if (typeof raw === 'string') return { ok: true, value: raw };
  try {
    return { ok: true, value: textDecoder.decode(raw) };
  } catch {
    return fail('json: payload is not valid UTF-8');
  }
}

function byteLength(s: string): number {
  // Cheap upper bound first: only long strings need the exact count.
  if (s.length * 3 <= MAX_PAYLOAD_BYTES) return s.length;
  return new TextEncoder().encode(s).byteLength;
}

export function parseJsonObject(text: string): Decoded<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const hint = /NaN|Infinity/.test(text) ? ' (NaN and Infinity are not JSON: send null for a missing reading)' : '';
    return fail(`json: not valid JSON: ${(e as Error).message}${hint}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail('json: payload must be a JSON object');
  return { ok: true, value: value as Record<string, unknown> };
}

/** Turns the first zod issue into "field: message", prefixed with a keyword the golden vectors name. */
export function zodReason(error: z.ZodError, input: unknown): string {
  const issue = error.issues[0];
  if (!issue) return 'type: invalid message';
  const path = issue.path.join('.');
  const absent = issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined;
  let keyword = 'type';
  if (absent) keyword = 'missing';
  else if (path === 'device_id') keyword = 'device_id';
  else if (issue.code === 'too_big' || issue.code === 'too_small' || issue.code === 'custom') keyword = 'range';
  else if (path === 'encoding') keyword = 'encoding';
  else if (path === 'status') keyword = 'status';
  else if (path === 'action' || issue.code === 'invalid_union') keyword = 'action';
  const where = path ? `${path}: ` : '';
  return `${keyword}: ${where}${absent ? 'is required' : issue.message}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

const schemas = {
  telemetry: telemetrySchema,
  status: statusSchema,
  waveform: waveformSchema,
  ack: ackSchema,
  log: logSchema,
} as const;

/**
 * Decodes one device message. `topicDeviceId` is the device named by the MQTT topic (or the serial port's
 * device once known); the payload's device_id must match it.
 */
export function decodeDeviceMessage(
  kind: MessageKind,
  raw: string | Uint8Array | Record<string, unknown>,
  topicDeviceId: string | undefined,
  now: number = Date.now(),
): Decoded<DeviceMessage> {
  // The topic names the twin, even for a bare "online": its id must be one a twin may have.
  const topicIdProblem = topicDeviceId === undefined ? null : deviceIdProblem(topicDeviceId);
  if (topicIdProblem) return fail(`device_id: the topic's ${topicIdProblem}`);
  let obj: Record<string, unknown>;
  if (typeof raw === 'string' || raw instanceof Uint8Array) {
    const text = payloadText(raw);
    if (!text.ok) return text;
    if (kind === 'status') {
      const bare = text.value.trim();
      // The MQTT last will is often the bare word: accept it as the status it names.
      if ((bare === 'offline' || bare === 'online') && topicDeviceId) {
        return { ok: true, value: { kind: 'status', payload: { device_id: topicDeviceId, state: bare } } };
      }
    }
    const parsed = parseJsonObject(text.value);
    if (!parsed.ok) return parsed;
    obj = parsed.value;
  } else {
    obj = raw;
  }
  // Well-formed telemetry, nearly all of it, is read without zod; anything else gets zod's verdict and reason.
  let data: unknown = kind === 'telemetry' ? wellFormedTelemetry(obj) : undefined;
  if (!data) {
    const result = schemas[kind].safeParse(obj);
    if (!result.success) return fail(zodReason(result.error, obj));
    data = result.data;
  }
  const payload = data as { device_id?: string; timestamp?: string };
  if (topicDeviceId !== undefined && payload.device_id !== undefined && payload.device_id !== topicDeviceId) {
    return fail(`topic: device_id "${payload.device_id}" does not match the topic's device "${topicDeviceId}"`);
  }
  if (kind === 'telemetry' || kind === 'waveform') {
    const time = resolveTimestamp(payload.timestamp, now);
    if (!time.ok) return time;
    if (kind === 'telemetry') {
      return { ok: true, value: { kind, payload: data as TelemetryPayload, ts: time.value.ts, tsSuspect: time.value.suspect } };
    }
    const wave = data as WaveformPayload;
    const check = checkWaveformSamples(wave.samples);
    if (!check.ok) return check;
    return { ok: true, value: { kind, payload: wave, ts: time.value.ts } };
  }
  return { ok: true, value: { kind, payload: data } as DeviceMessage };
}

/** Checks a waveform block's base64 samples: whole int16 values, a power-of-two count. */
export function checkWaveformSamples(samples: string): Decoded<number> {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(samples) || samples.length % 4 !== 0) return fail('encoding: samples is not valid base64');
  const padding = samples.endsWith('==') ? 2 : samples.endsWith('=') ? 1 : 0;
  const bytes = (samples.length / 4) * 3 - padding;
  if (bytes % 2 !== 0) return fail('encoding: samples hold an odd number of bytes (int16 needs two per sample)');
  const count = bytes / 2;
  if (count < 2 || (count & (count - 1)) !== 0) return fail(`length: a waveform block needs a power-of-two sample count, got ${count}`);
  return { ok: true, value: count };
}

const SERIAL_KINDS: Record<string, MessageKind> = {
  telemetry: 'telemetry',
  status: 'status',
  waveform: 'waveform',
  ack: 'ack',
  log: 'log',
};

export type SerialLine =
  | { kind: 'message'; message: DeviceMessage }
  | { kind: 'text'; text: string }
  | { kind: 'rejected'; reason: string; deviceId?: string };

/**
 * Decodes one serial line. Lines that are not JSON objects (boot ROM banner, debug prints) are text for the
 * console, not errors; a JSON object with a bad or missing "type" or bad content is rejected with a reason.
 */
export function decodeSerialLine(line: string, expectedDeviceId?: string, now: number = Date.now()): SerialLine {
  const trimmed = line.replace(/\r$/, '');
  if (!trimmed.startsWith('{')) return { kind: 'text', text: trimmed };
  const text = payloadText(trimmed);
  if (!text.ok) return { kind: 'rejected', reason: text.reason };
  const parsed = parseJsonObject(text.value);
  if (!parsed.ok) return { kind: 'rejected', reason: parsed.reason };
  const { type, ...rest } = parsed.value;
  const deviceId = typeof rest.device_id === 'string' ? rest.device_id : undefined;
  const kind = typeof type === 'string' ? SERIAL_KINDS[type] : undefined;
  if (!kind) return { kind: 'rejected', reason: `type: "type" must be one of ${Object.keys(SERIAL_KINDS).join(', ')}`, deviceId };
  const decoded = decodeDeviceMessage(kind, rest, expectedDeviceId, now);
  return decoded.ok ? { kind: 'message', message: decoded.value } : { kind: 'rejected', reason: decoded.reason, deviceId };
}

/** Validates a command (host to device); the app uses it before anything is sent. */
export function decodeCommand(raw: string | Record<string, unknown>): Decoded<DeviceCommand> {
  let obj: Record<string, unknown>;
  if (typeof raw === 'string') {
    const text = payloadText(raw);
    if (!text.ok) return text;
    const parsed = parseJsonObject(text.value);
    if (!parsed.ok) return parsed;
    obj = parsed.value;
  } else obj = raw;
  if (obj.type === 'command') {
    const { type: _type, ...rest } = obj;
    obj = rest;
  }
  const result = commandSchema.safeParse(obj);
  return result.success ? { ok: true, value: result.data } : fail(zodReason(result.error, obj));
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
