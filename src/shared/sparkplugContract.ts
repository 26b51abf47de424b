import { z } from 'zod';
import { READING_NAMES } from './readings';
import { deviceIdSchema } from './protocol/schemas';

// Sparkplug B's part of the contract: the edge nodes and devices the engine has heard of, and per device the
// user's mapping of its metrics to the twin's readings. contract.ts spreads `sparkplugMethods`.

/** A Sparkplug device (or a node's own metrics): "<group>/<node>" or "<group>/<node>/<device>". */
export const sparkplugKeySchema = z.string().min(3).max(400);

export const sparkplugMappingSchema = z.object({
  /** The twin this device feeds; null: the one derived from its node and device names. */
  twinId: deviceIdSchema.nullable().default(null),
  /** Metric name to reading; null: not stored. Metrics not listed follow the default mapping by name. */
  readings: z.record(z.string().min(1).max(200), z.enum(READING_NAMES).nullable()).default({}),
});
export type SparkplugMapping = z.infer<typeof sparkplugMappingSchema>;

export const sparkplugMetricSchema = z.object({
  name: z.string(),
  alias: z.number().nullable(),
  type: z.string(),
  /** The last value as text (numbers, booleans, strings); null when none came or it was null. */
  value: z.string().nullable(),
  /** The reading it feeds, or null when it is not stored. */
  reading: z.enum(READING_NAMES).nullable(),
  mappedBy: z.enum(['default', 'user']),
});
export type SparkplugMetric = z.infer<typeof sparkplugMetricSchema>;

export const sparkplugDeviceSchema = z.object({
  key: sparkplugKeySchema,
  group: z.string(),
  node: z.string(),
  /** Null for the node's own metrics. */
  device: z.string().nullable(),
  twinId: z.string(),
  online: z.boolean(),
  /** Its birth certificate is known, so its data can be read. */
  born: z.boolean(),
  metrics: z.array(sparkplugMetricSchema),
  mapping: sparkplugMappingSchema,
  /** Rebirth requests sent to its edge node, and why the last one was. */
  rebirths: z.number(),
  lastRebirth: z.string().nullable(),
});
export type SparkplugDevice = z.infer<typeof sparkplugDeviceSchema>;

export const sparkplugMethods = {
  'sparkplug.list': { params: z.object({}), result: z.array(sparkplugDeviceSchema) },
  'sparkplug.setMapping': { params: z.object({ key: sparkplugKeySchema, mapping: sparkplugMappingSchema }), result: sparkplugDeviceSchema },
} as const;
