import { z } from 'zod';
import { READING_NAMES } from './readings';
import { deviceIdSchema } from './protocol/schemas';
import { SEVERITIES } from './healthContract';
import { MANUAL_CHUNK_BYTES } from './agentContract';

// History from other collectors: a trend export (CSV or Parquet, one row per time, one column per reading)
// uploaded in chunks, stored as a motor's history and replayed through its rules and anomaly detector.
// contract.ts spreads `importMethods` and `importEvents` into its own.

/** Chunks as the manuals travel: base64 under the WebSocket's 1 MiB frame limit. */
export const IMPORT_CHUNK_BYTES = MANUAL_CHUNK_BYTES;
/** A file larger than this is refused before a byte is kept (it is streamed, but a disk has limits too). */
export const MAX_IMPORT_BYTES = 8 * 1024 ** 3;
/** The bad rows reported one by one; the rest are counted by kind. */
export const REPORTED_PROBLEMS = 20;

const uploadIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const columnSchema = z.string().min(1).max(200);

export const importOptionsSchema = z.object({
  deviceId: deviceIdSchema,
  /** The column holding the time (default: one named time/timestamp/date, else the first). */
  timeColumn: columnSchema.optional(),
  /** Column → reading; default: the columns named like a reading. */
  map: z.record(columnSchema, z.enum(READING_NAMES)).optional(),
  /** IANA zone of times written without an offset. */
  timezone: z.string().min(1).max(64).default('UTC'),
  /** The vibration baseline is learned over the series' first hours. */
  baselineHours: z.number().positive().max(24 * 365).default(24),
});
export type ImportOptions = z.input<typeof importOptionsSchema>;

export const importProblemSchema = z.object({
  /** Line in a CSV file (header counted), row in a Parquet file. */
  line: z.number(),
  kind: z.string(),
  reason: z.string(),
});
export type ImportProblem = z.infer<typeof importProblemSchema>;

export const importedAlarmSchema = z.object({
  id: z.string(),
  condition: z.string(),
  severity: z.enum(SEVERITIES),
  message: z.string(),
  raisedAt: z.number(),
  clearedAt: z.number().nullable(),
});

export const importBaselineSchema = z.object({
  reading: z.enum(READING_NAMES),
  median: z.number(),
  /** Robust standard deviation (MAD x 1.4826) over the baseline hours. */
  spread: z.number(),
  readings: z.number(),
  /** The levels derived from it, and whether they became the motor's rules (a motor's own rule is never replaced). */
  alert: z.number(),
  danger: z.number().nullable(),
  applied: z.boolean(),
});

export const importReportSchema = z.object({
  deviceId: z.string(),
  file: z.string(),
  format: z.enum(['csv', 'parquet']),
  timeColumn: z.string(),
  columns: z.record(z.string(), z.enum(READING_NAMES)),
  rowsRead: z.number(),
  stored: z.number(),
  /** Rows whose time this motor's history already held: an import repeated stores nothing twice. */
  alreadyStored: z.number(),
  skipped: z.number(),
  skippedByKind: z.record(z.string(), z.number()),
  problems: z.array(importProblemSchema),
  from: z.number().nullable(),
  to: z.number().nullable(),
  twinCreated: z.boolean(),
  baseline: z.array(importBaselineSchema),
  replayed: z.number(),
  alarms: z.array(importedAlarmSchema),
  seconds: z.object({ store: z.number(), replay: z.number() }),
});
export type ImportReport = z.infer<typeof importReportSchema>;

export const IMPORT_PHASES = ['reading', 'storing', 'replaying', 'done', 'failed'] as const;
export type ImportPhase = (typeof IMPORT_PHASES)[number];

export const importProgressSchema = z.object({
  importId: z.string(),
  deviceId: z.string(),
  phase: z.enum(IMPORT_PHASES),
  /** Rows replayed so far of `total` while replaying; 0 of 0 before. */
  done: z.number(),
  total: z.number(),
  message: z.string().nullable(),
  report: importReportSchema.nullable(),
});
export type ImportProgress = z.infer<typeof importProgressSchema>;

export const importMethods = {
  'history.importUpload': {
    params: z.object({
      uploadId: uploadIdSchema,
      name: z.string().trim().min(1).max(255),
      offset: z.number().int().min(0),
      total: z.number().int().min(1).max(MAX_IMPORT_BYTES),
      data: z.string().max(Math.ceil(IMPORT_CHUNK_BYTES / 3) * 4),
    }),
    result: z.object({ received: z.number(), complete: z.boolean() }),
  },
  /** The columns of an uploaded file, and the time column and mapping an import would use by default. */
  'history.importColumns': {
    params: z.object({ uploadId: uploadIdSchema }),
    result: z.object({ columns: z.array(z.string()), timeColumn: z.string(), map: z.record(z.string(), z.enum(READING_NAMES)) }),
  },
  /** Starts the import of a complete upload; progress and the report arrive as `historyImport` events. */
  'history.import': { params: importOptionsSchema.extend({ uploadId: uploadIdSchema }), result: z.object({ importId: z.string() }) },
} as const;

export const importEvents = { historyImport: importProgressSchema } as const;
