import { z } from 'zod';

// Commands from host to device (PROTOCOL.md "Commands" and "Calibration"). The ranges here are the
// protocol's; a motor's own limits (nameplate, approval) narrow them further in the command service.

export const COMMAND_ACTIONS = [
  'REDUCE_LOAD',
  'SET_SPEED',
  'STOP',
  'START',
  'IDENTIFY',
  'SET_RATE',
  'CALIBRATE',
  'REBOOT',
] as const;
export type CommandAction = (typeof COMMAND_ACTIONS)[number];

const envelope = {
  id: z.string().min(1).max(128).optional(),
  issued_at: z.string().optional(),
  expires_at: z.string().optional(),
};

const noValue = z.undefined({ error: 'takes no value' }).optional();

const calibrateSchema = z.discriminatedUnion(
  'sensor',
  [
    z.object({
      ...envelope,
      action: z.literal('CALIBRATE'),
      sensor: z.literal('temperature'),
      offset: z.number().min(-20, 'temperature offset out of range ±20 C').max(20, 'temperature offset out of range ±20 C'),
      gain: z.number().min(0.5, 'temperature gain out of range 0.5-2.0').max(2, 'temperature gain out of range 0.5-2.0').default(1),
    }),
    z.object({
      ...envelope,
      action: z.literal('CALIBRATE'),
      sensor: z.literal('accel'),
      zero: z.tuple([z.number(), z.number(), z.number()]).refine((v) => v.every((x) => Math.abs(x) <= 0.5), 'accel zero out of range ±0.5 g'),
    }),
    z.object({
      ...envelope,
      action: z.literal('CALIBRATE'),
      sensor: z.literal('rpm'),
      pulses_per_rev: z.number().int('pulses_per_rev must be an integer').min(1, 'pulses_per_rev out of range 1-64').max(64, 'pulses_per_rev out of range 1-64'),
    }),
  ],
  { error: 'CALIBRATE needs sensor "temperature", "accel" or "rpm"' },
);

export const commandSchema = z.discriminatedUnion(
  'action',
  [
    z.object({ ...envelope, action: z.literal('REDUCE_LOAD'), value: z.number().min(0, 'REDUCE_LOAD value out of range 0-50 %').max(50, 'REDUCE_LOAD value out of range 0-50 %') }),
    z.object({ ...envelope, action: z.literal('SET_SPEED'), value: z.number().positive('SET_SPEED value out of range (rpm must be > 0)').max(100_000, 'SET_SPEED value out of range') }),
    z.object({ ...envelope, action: z.literal('STOP'), value: noValue }),
    z.object({ ...envelope, action: z.literal('START'), value: noValue }),
    z.object({ ...envelope, action: z.literal('IDENTIFY'), value: noValue }),
    z.object({ ...envelope, action: z.literal('REBOOT'), value: noValue }),
    z.object({ ...envelope, action: z.literal('SET_RATE'), value: z.number().min(1, 'SET_RATE value out of range 1-10 Hz').max(10, 'SET_RATE value out of range 1-10 Hz') }),
    calibrateSchema,
  ],
  { error: `unknown action: must be one of ${COMMAND_ACTIONS.join(', ')}` },
);
export type DeviceCommand = z.infer<typeof commandSchema>;
