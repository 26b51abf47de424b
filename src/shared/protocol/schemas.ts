import { z } from 'zod';
import { DEVICE_ID_PATTERN } from './limits';

// zod schemas for every device message of PROTOCOL.md. Unknown extra fields are tolerated (a newer board may
// send more) and dropped; known fields are strict about type.

const DEVICE_ID_RULE = 'must be 1-64 letters, digits, "_", "-" or "." (no "/", "+", "#")';

export const deviceIdSchema = z.string({ error: 'device_id must be a string' }).regex(DEVICE_ID_PATTERN, `device_id ${DEVICE_ID_RULE}`);

export const isDeviceId = (id: string): boolean => DEVICE_ID_PATTERN.test(id);

/**
 * Why an id cannot name a twin, or null when it can. The id is quoted short: a 3,000-character id must not
 * become a 3,000-character reason.
 */
export function deviceIdProblem(id: string): string | null {
  if (isDeviceId(id)) return null;
  const shown = id.length > 64 ? `${id.slice(0, 64)}…` : id;
  return `device id ${JSON.stringify(shown)} ${DEVICE_ID_RULE}`;
}

/** A reading: a finite number, or null when the board cannot take it (never a made-up zero). */
const reading = z.number({ error: 'must be a number or null' }).nullable().optional();

export const telemetrySchema = z.object({
  device_id: deviceIdSchema,
  timestamp: z.string({ error: 'timestamp must be an ISO 8601 string' }).optional(),
  seq: z.number().int('seq must be an integer').nonnegative('seq must not be negative').optional(),
  temperature: reading,
  vibration: reading,
  rpm: reading,
  ambient: reading,
  current: reading,
  vib_velocity: reading,
  vib_peak: reading,
  vib_x: reading,
  vib_y: reading,
  vib_z: reading,
  uptime_s: reading,
  rssi: reading,
});
export type TelemetryPayload = z.infer<typeof telemetrySchema>;

export const statusSchema = z.object({
  device_id: deviceIdSchema,
  state: z.enum(['online', 'offline'], { error: 'state must be "online" or "offline"' }),
  fw: z.string().max(64).optional(),
  board: z.string().max(64).optional(),
  calibration_id: z.string().max(128).nullable().optional(),
  /** A simulator's declared time compression: plant seconds per second of its own (a real board sends none). */
  time_scale: z.number().min(1).max(1_000_000).optional(),
  timestamp: z.string().optional(),
  sensors: z.record(z.string(), z.unknown()).optional(),
  errors: z.array(z.unknown()).optional(),
});
export type StatusPayload = z.infer<typeof statusSchema>;

export const waveformSchema = z.object({
  device_id: deviceIdSchema,
  timestamp: z.string().optional(),
  axis: z.enum(['x', 'y', 'z'], { error: 'axis must be "x", "y" or "z"' }),
  sample_rate_hz: z.number().positive('sample_rate_hz must be positive').max(1_000_000),
  scale_g_per_lsb: z.number().positive('scale_g_per_lsb must be positive'),
  encoding: z.literal('int16le-base64', { error: 'encoding must be "int16le-base64"' }),
  samples: z.string().min(1, 'samples must not be empty'),
  seq: z.number().int().nonnegative().optional(),
});
export type WaveformPayload = z.infer<typeof waveformSchema>;

export const ACK_STATUSES = ['received', 'applied', 'rejected', 'expired'] as const;
export const ackSchema = z.object({
  id: z.string().min(1).max(128).nullable().optional(),
  status: z.enum(ACK_STATUSES, { error: `status must be one of ${ACK_STATUSES.join(', ')}` }),
  detail: z.string().max(1024).optional(),
  device_id: deviceIdSchema.optional(),
});
export type AckPayload = z.infer<typeof ackSchema>;

export const logSchema = z.object({
  level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  msg: z.string().max(4096),
  device_id: deviceIdSchema.optional(),
});
export type LogPayload = z.infer<typeof logSchema>;
