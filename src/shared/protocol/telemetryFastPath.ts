import { isDeviceId, type TelemetryPayload } from './schemas';

/** A reading as telemetrySchema takes one: a finite number, or null. */
const isReading = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));

/**
 * telemetrySchema's payload for well-formed telemetry, built without zod: the same fields in the same order,
 * or undefined for anything out of the ordinary, which zod then judges (and gives the reason for). Nearly
 * every message is well formed, and zod's walk of the 15 fields (a result object and an issue list for each)
 * cost more than the rest of the decode bar JSON.parse. telemetrySchema stays the definition: this accepts
 * a part of what it accepts, exactly as it does (telemetryFastPath.test.ts).
 *
 * Written out field by field on purpose: with each name a literal, every read and write has one shape to
 * handle; a loop over the names made them generic look-ups and the whole as slow as zod.
 */
export function wellFormedTelemetry(obj: Record<string, unknown>): TelemetryPayload | undefined {
  const deviceId = obj.device_id;
  if (typeof deviceId !== 'string' || !isDeviceId(deviceId)) return undefined;
  const p: Record<string, unknown> = { device_id: deviceId };
  // An absent field is skipped; one present but undefined (never from JSON) zod keeps as such: left to it.
  let v = obj.timestamp;
  if (typeof v === 'string') p.timestamp = v;
  else if (v !== undefined || 'timestamp' in obj) return undefined;
  v = obj.seq;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) p.seq = v;
  else if (v !== undefined || 'seq' in obj) return undefined;
  if ((v = obj.temperature) === undefined ? 'temperature' in obj : !isReading(v)) return undefined;
  if (v !== undefined) p.temperature = v;
  if ((v = obj.vibration) === undefined ? 'vibration' in obj : !isReading(v)) return undefined;
  if (v !== undefined) p.vibration = v;
  if ((v = obj.rpm) === undefined ? 'rpm' in obj : !isReading(v)) return undefined;
  if (v !== undefined) p.rpm = v;
  if ((v = obj.ambient) === undefined ? 'ambient' in obj : !isReading(v)) return undefined;
  if (v !== undefined) p.ambient = v;
  if ((v = obj.current) === undefined ? 'current' in obj : !isReading(v)) return undefined;
  if (v !== undefined) p.current = v;
  if ((v = obj.vib_velocity) === undefined ? 'vib_velocity' in obj : !isReading(v)) return undefined;
  if (v !== undefined) p.vib_velocity = v;
  if ((v = obj.vib_peak) === undefined ? 'vib_peak' in obj : !isReading(v)) return undefined;
  if (v !== undefined) p.vib_peak = v;
  if ((v = obj.vib_x) === undefined ? 'vib_x' in obj : !isReading(v)) return undefined;
  if (v !== undefined) p.vib_x = v;
  if ((v = obj.vib_y) === undefined ? 'vib_y' in obj : !isReading(v)) return undefined;
  if (v !== undefined) p.vib_y = v;
  if ((v = obj.vib_z) === undefined ? 'vib_z' in obj : !isReading(v)) return undefined;
  if (v !== undefined) p.vib_z = v;
  if ((v = obj.uptime_s) === undefined ? 'uptime_s' in obj : !isReading(v)) return undefined;
  if (v !== undefined) p.uptime_s = v;
  if ((v = obj.rssi) === undefined ? 'rssi' in obj : !isReading(v)) return undefined;
  if (v !== undefined) p.rssi = v;
  return p as TelemetryPayload;
}
