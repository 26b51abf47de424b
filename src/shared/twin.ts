import { z } from 'zod';
import { READING_NAMES, type ReadingName } from './readings';
import { deviceIdSchema } from './protocol/schemas';

// The twin: attributes (nameplate, limits), reported state (readings, connection, status) and counters,
// in the shape both the engine and the UI use.

export const INSULATION_CLASSES = ['A', 'B', 'F', 'H'] as const;

export const nameplateSchema = z.object({
  ratedKw: z.number().positive().max(100_000).nullable().default(null),
  ratedRpm: z.number().positive().max(100_000).nullable().default(null),
  ratedVoltage: z.number().positive().max(100_000).nullable().default(null),
  ratedCurrent: z.number().positive().max(100_000).nullable().default(null),
  insulationClass: z.enum(INSULATION_CLASSES).nullable().default(null),
  bearingDe: z.string().max(40).nullable().default(null),
  bearingNde: z.string().max(40).nullable().default(null),
  isoGroup: z.union([z.literal(1), z.literal(2)]).nullable().default(null),
  foundation: z.enum(['rigid', 'flexible']).nullable().default(null),
  manufacturer: z.string().max(80).nullable().default(null),
  model: z.string().max(80).nullable().default(null),
  serialNumber: z.string().max(80).nullable().default(null),
  /** Thermal time constant of the frame in minutes: how fast it warms up after a start (else learned). */
  thermalTimeConstantMin: z.number().positive().max(24 * 60).nullable().default(null),
  /** Hours of running the anomaly baseline is learned from (default 24). */
  baselineHours: z.number().min(0.001).max(24 * 30).nullable().default(null),
});
export type Nameplate = z.infer<typeof nameplateSchema>;

/** A warning and an alarm level for one reading; either may be off (null). */
export const limitSchema = z
  .object({
    warnAbove: z.number().nullable().default(null),
    alarmAbove: z.number().nullable().default(null),
    warnBelow: z.number().nullable().default(null),
    alarmBelow: z.number().nullable().default(null),
  })
  .refine((l) => l.warnAbove === null || l.alarmAbove === null || l.warnAbove <= l.alarmAbove, 'warnAbove must not exceed alarmAbove')
  .refine((l) => l.warnBelow === null || l.alarmBelow === null || l.warnBelow >= l.alarmBelow, 'warnBelow must not be below alarmBelow');
export type Limit = z.infer<typeof limitSchema>;

export const limitsSchema = z.partialRecord(z.enum(READING_NAMES), limitSchema);
export type Limits = z.infer<typeof limitsSchema>;

/** The original design's two rules, as status limits until the rules engine takes over. */
export const DEFAULT_LIMITS: Limits = {
  temperature: { warnAbove: 70, alarmAbove: 80, warnBelow: null, alarmBelow: null },
  vibration: { warnAbove: 0.035, alarmAbove: 0.05, warnBelow: null, alarmBelow: null },
};

export const CONNECTION_STATES = ['online', 'stale', 'offline', 'unknown'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

export const TWIN_STATUSES = ['ok', 'warning', 'alarm', 'unknown'] as const;
export type TwinStatus = (typeof TWIN_STATUSES)[number];

/** import: a motor known only from history imported from another collector. */
export const twinSourceSchema = z.enum(['mqtt', 'serial', 'sim', 'modbus', 'import']);
export type TwinSource = z.infer<typeof twinSourceSchema>;

export const readingValueSchema = z.object({ value: z.number().nullable(), ts: z.number() });
export type ReadingValue = z.infer<typeof readingValueSchema>;

/**
 * A reading beyond the twin's own list that a source declares with its unit (a relay's thermal capacity
 * used, a drive's DC bus voltage): shown with the motor's readings, stored, not judged by limits or rules.
 */
export const declaredReadingSchema = readingValueSchema.extend({
  unit: z.string(),
  label: z.string(),
  /** What a code means ("thermal overload" for a last trip cause of 1). */
  text: z.string().nullable(),
});
export type DeclaredReading = z.infer<typeof declaredReadingSchema>;

export const statusReasonSchema = z.object({
  level: z.enum(['warning', 'alarm']),
  reading: z.string(),
  text: z.string(),
});
export type StatusReason = z.infer<typeof statusReasonSchema>;

export const twinCountsSchema = z.object({
  received: z.number(),
  stored: z.number(),
  rejected: z.number(),
  duplicates: z.number(),
  missed: z.number(),
  /** Dropped unread because the device sent faster than the engine's per-device ceiling. */
  shed: z.number(),
});
export type TwinCounts = z.infer<typeof twinCountsSchema>;

export const twinSnapshotSchema = z.object({
  id: deviceIdSchema,
  name: z.string(),
  source: twinSourceSchema,
  simulated: z.boolean(),
  connection: z.enum(CONNECTION_STATES),
  lastSeen: z.number().nullable(),
  status: z.enum(TWIN_STATUSES),
  statusReasons: z.array(statusReasonSchema),
  readings: z.partialRecord(z.enum(READING_NAMES), readingValueSchema),
  declared: z.record(z.string(), declaredReadingSchema).optional(),
  device: z.object({
    fw: z.string().nullable(),
    board: z.string().nullable(),
    calibrationId: z.string().nullable(),
    /** Plant seconds one second of this source stands for, as it declares (absent: 1, a real board). A simulator
     * that compresses wear says by how much, and remaining-life windows shrink by as much for it alone. */
    timeScale: z.number().positive().optional(),
  }),
  nameplate: nameplateSchema,
  limits: limitsSchema,
  counts: twinCountsSchema,
});
export type TwinSnapshot = z.infer<typeof twinSnapshotSchema>;

export const twinAttributesPatchSchema = z.object({
  id: deviceIdSchema,
  name: z.string().trim().min(1).max(80).optional(),
  nameplate: nameplateSchema.partial().optional(),
  limits: limitsSchema.optional(),
});
export type TwinAttributesPatch = z.infer<typeof twinAttributesPatchSchema>;

export type ReadingMap = Partial<Record<ReadingName, number | null>>;
