import { z } from 'zod';
import { READING_NAMES } from './readings';
import { deviceIdSchema } from './protocol/schemas';
import { twinAttributesPatchSchema, twinSnapshotSchema, statusReasonSchema, CONNECTION_STATES, TWIN_STATUSES } from './twin';
import { healthEvents, healthMethods } from './healthContract';
import { serialEvents, serialMethods } from './serialContract';
import { commandEvents, commandMethods } from './commandsContract';
import { twin3dMethods } from './twin3dContract';
import { sparkplugMethods } from './sparkplugContract';
import { agentEvents, agentMethods } from './agentContract';
import { benchtestEvents, benchtestMethods } from './benchtestContract';
import { modbusMethods } from './modbusContract';
import { brokerMethods, brokerStatusSchema } from './brokerContract';
import { importEvents, importMethods } from './importContract';
import { plantMethods } from './plantContract';

// The one contract between the engine and every UI: RPC methods (params and result schemas) and event
// streams. It is carried over a MessagePort in the desktop app and a WebSocket in `serve`; both ends
// validate what they receive against these schemas.

export const SIM_FAULTS = [
  'bearing_outer',
  'bearing_inner',
  'unbalance',
  'misalignment',
  'overheating',
  'sensor_dropout',
  'stuck_sensor',
  'malformed',
] as const;
export type SimFault = (typeof SIM_FAULTS)[number];

const empty = z.object({}).strict();

/** Milliseconds since 1970 that a Date can hold and a person could mean (years 1970-9999). */
export const epochMsSchema = z
  .number()
  .int()
  .min(0, 'must be a time after 1970-01-01 (milliseconds since 1970)')
  .max(Date.UTC(9999, 11, 31), 'must be a time before the year 10000 (milliseconds since 1970)');

export const historyQuerySchema = z
  .object({
    id: deviceIdSchema,
    metrics: z.array(z.enum(READING_NAMES)).min(1).max(READING_NAMES.length),
    from: epochMsSchema,
    to: epochMsSchema,
    maxPoints: z.number().int().min(10).max(10_000).default(2000),
  })
  .refine((q) => q.to > q.from, 'to must be after from');
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

export const historySeriesSchema = z.object({ min: z.array(z.number().nullable()), max: z.array(z.number().nullable()), avg: z.array(z.number().nullable()) });
export const historyResultSchema = z.object({
  id: z.string(),
  resolution: z.enum(['raw', '1m', '1h']),
  bucketMs: z.number(),
  t: z.array(z.number()),
  series: z.partialRecord(z.enum(READING_NAMES), historySeriesSchema),
});
export type HistoryResult = z.infer<typeof historyResultSchema>;

export const rejectedMessageSchema = z.object({
  ts: z.number(),
  deviceId: z.string().nullable(),
  source: z.string(),
  topic: z.string(),
  reason: z.string(),
  payload: z.string(),
});
export type RejectedMessage = z.infer<typeof rejectedMessageSchema>;

export const engineStatusSchema = z.object({
  version: z.string(),
  uptimeS: z.number(),
  dataDir: z.string(),
  /** The first broker (where simulated motors publish); `brokers` lists every one, this one first. */
  broker: brokerStatusSchema,
  brokers: z.array(brokerStatusSchema),
  ingest: z.object({
    received: z.number(),
    stored: z.number(),
    rejected: z.number(),
    duplicates: z.number(),
    missed: z.number(),
    /** Dropped unread because a device sent faster than its ceiling; `shedding` names who, lately. */
    shed: z.number(),
    shedding: z.array(z.object({ id: z.string(), shed: z.number() })),
    pendingWrites: z.number(),
    messagesPerSecond: z.number(),
    storageError: z.string().nullable(),
  }),
  /** What opening the history found a crash or a damaged file had cost: empty when nothing was lost. */
  storage: z.object({ warnings: z.array(z.string()), lostRows: z.number().nullable() }),
  /** Where telemetry, rollups, alarms, commands and audit live: the DuckDB file, or PostgreSQL (URL without password). */
  store: z.object({ kind: z.enum(['duckdb', 'postgres']), location: z.string() }),
  twins: z.number(),
});
export type EngineStatus = z.infer<typeof engineStatusSchema>;

export const exportRequestSchema = z
  .object({
    id: deviceIdSchema,
    from: epochMsSchema,
    to: epochMsSchema,
    format: z.enum(['csv', 'parquet']),
  })
  .refine((q) => q.to > q.from, 'to must be after from');
export type ExportRequest = z.infer<typeof exportRequestSchema>;

export const exportResultSchema = z.object({ file: z.string(), rows: z.number(), bytes: z.number(), downloadPath: z.string() });

export const connectInfoSchema = z.object({
  brokerUrl: z.string(),
  brokerHost: z.string(),
  brokerPort: z.number().nullable(),
  mode: z.enum(['embedded', 'external']),
  authRequired: z.boolean(),
  telemetryTopic: z.string(),
  examplePayload: z.string(),
  exampleCommand: z.string(),
});

export const simInfoSchema = z.object({ id: z.string(), fault: z.enum(SIM_FAULTS).nullable(), rateHz: z.number(), load: z.number() });

export const methods = {
  'engine.status': { params: empty, result: engineStatusSchema },
  'engine.connectInfo': { params: empty, result: connectInfoSchema },
  'twins.list': { params: empty, result: z.array(twinSnapshotSchema) },
  'twins.get': { params: z.object({ id: deviceIdSchema }), result: twinSnapshotSchema },
  'twins.update': { params: twinAttributesPatchSchema, result: twinSnapshotSchema },
  'history.query': { params: historyQuerySchema, result: historyResultSchema },
  'history.export': { params: exportRequestSchema, result: exportResultSchema },
  'rejected.list': { params: z.object({ limit: z.number().int().min(1).max(1000).default(200) }), result: z.array(rejectedMessageSchema) },
  'sim.list': { params: empty, result: z.array(simInfoSchema) },
  'sim.add': {
    params: z.object({ id: deviceIdSchema.optional(), fault: z.enum(SIM_FAULTS).nullable().optional(), rateHz: z.number().min(0.1).max(50).optional() }),
    result: simInfoSchema,
  },
  'sim.setFault': { params: z.object({ id: deviceIdSchema, fault: z.enum(SIM_FAULTS).nullable() }), result: simInfoSchema },
  'sim.remove': { params: z.object({ id: deviceIdSchema }), result: z.object({ removed: z.boolean() }) },
  ...healthMethods,
  ...serialMethods,
  ...commandMethods,
  ...twin3dMethods,
  ...sparkplugMethods,
  ...agentMethods,
  ...benchtestMethods,
  ...modbusMethods,
  ...brokerMethods,
  ...importMethods,
  ...plantMethods,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type ParamsOf<M extends MethodName> = z.input<Methods[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<Methods[M]['result']>;

/** Live readings of many twins, batched: every point since the last batch, in order. */
export const telemetryPointSchema = z.object({
  id: z.string(),
  ts: z.number(),
  values: z.partialRecord(z.enum(READING_NAMES), z.number().nullable()),
});
export type TelemetryPoint = z.infer<typeof telemetryPointSchema>;

export const twinLiveSchema = z.object({
  id: z.string(),
  connection: z.enum(CONNECTION_STATES),
  status: z.enum(TWIN_STATUSES),
  statusReasons: z.array(statusReasonSchema),
  lastSeen: z.number().nullable(),
});

export const events = {
  /** Telemetry points stored or about to be, batched every ~30 ms. */
  telemetry: z.array(telemetryPointSchema),
  /** A twin's attributes, connection or status changed (full snapshot). */
  twin: twinSnapshotSchema,
  /** A twin was forgotten. */
  twinRemoved: z.object({ id: z.string() }),
  rejected: rejectedMessageSchema,
  status: engineStatusSchema,
  ...healthEvents,
  ...serialEvents,
  ...commandEvents,
  ...agentEvents,
  ...benchtestEvents,
  ...importEvents,
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventOf<E extends EventName> = z.output<Events[E]>;
