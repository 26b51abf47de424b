import { z } from 'zod';
import { READING_NAMES } from './readings';
import { deviceIdSchema } from './protocol/schemas';
import { certificateSchema } from './serialContract';

// A laptop and a plant server. Two halves: the bodies a laptop pushes to the plant server's HTTP API
// (bench runs, calibration certificates, telemetry of chosen motors), each stored once whatever is re-sent;
// and the RPC methods the laptop's own engine offers its UI to log in to a plant server, open it in the app,
// and push. The password crosses only the app's own channel to its own engine, never to the page's storage.

const epochMs = z.number().int().min(0).max(Date.UTC(9999, 11, 31));
const finite = z.number().finite();

/** One bench run: its whole record (as the laptop stored it), its readings and waveform results. Key: runId. */
export const pushedBenchRunSchema = z.object({
  runId: z.string().min(1).max(128),
  serialNumber: z.string().min(1).max(200),
  model: z.string().max(200).nullable(),
  deviceId: deviceIdSchema,
  procedure: z.string().min(1).max(200),
  procedureVersion: z.string().min(1).max(50),
  operator: z.string().min(1).max(200),
  startedAt: epochMs,
  endedAt: epochMs.nullable(),
  verdict: z.enum(['pass', 'fail', 'incomplete']),
  /** The run's record as the report generator reads it; checked above for the fields stored apart. */
  record: z.record(z.string(), z.unknown()),
  samples: z
    .array(
      z.object({
        t: finite,
        ts: epochMs,
        step: z.string().max(200),
        attempt: z.number().int().min(0),
        temperature: finite.nullable(),
        rpm: finite.nullable(),
        vibVelocity: finite.nullable(),
        ambient: finite.nullable(),
      }),
    )
    .max(200_000),
  blocks: z
    .array(
      z.object({
        t: finite,
        ts: epochMs,
        step: z.string().max(200),
        attempt: z.number().int().min(0),
        velocityRmsMmS: finite,
        oneXMmS: finite,
        twoXMmS: finite,
        bearingFault: z.string().max(100).nullable(),
        bearingConfidence: finite,
      }),
    )
    .max(50_000),
});
export type PushedBenchRun = z.infer<typeof pushedBenchRunSchema>;

export const benchRunsPushSchema = z.object({ runs: z.array(pushedBenchRunSchema).min(1).max(20) }).strict();
export const certificatesPushSchema = z.object({ certificates: z.array(certificateSchema.extend({ deviceId: deviceIdSchema, id: z.string().min(1).max(128) })).min(1).max(1000) }).strict();

/** A telemetry row as the laptop stored it. Key on the server: (device, ts). */
export const pushedTelemetryRowSchema = z.object({
  ts: epochMs,
  seq: z.number().int().min(0).nullable(),
  values: z.partialRecord(z.enum(READING_NAMES), finite.nullable()),
});
export const telemetryPushSchema = z.object({ deviceId: deviceIdSchema, rows: z.array(pushedTelemetryRowSchema).min(1).max(20_000) }).strict();

/** Every push answers what it stored and what the server already held (stored nothing twice). */
export const pushReceiptSchema = z.object({ stored: z.number().int().min(0), alreadyThere: z.number().int().min(0) });
export type PushReceipt = z.infer<typeof pushReceiptSchema>;

export const PLANT_PUSH_PATHS = { benchRuns: '/api/push/bench-runs', certificates: '/api/push/certificates', telemetry: '/api/push/telemetry' } as const;

// ---- The laptop engine's side, for its UI ----

/** Which engine the app shows: this laptop's own, or the plant server it logged in to. */
export const plantLinkStatusSchema = z.object({
  open: z.enum(['laptop', 'plant']),
  /** The plant server logged in to (https://host:port), null before any login. */
  url: z.string().nullable(),
  username: z.string().nullable(),
  loggedIn: z.boolean(),
  /** Why the plant server cannot be used right now (refused login, unreachable, session ended). */
  problem: z.string().nullable(),
});
export type PlantLinkStatus = z.infer<typeof plantLinkStatusSchema>;

const pushCount = z.object({ sent: z.number().int(), stored: z.number().int(), alreadyThere: z.number().int() });
export const plantPushResultSchema = z.object({ benchRuns: pushCount, certificates: pushCount, telemetry: z.array(pushCount.extend({ deviceId: z.string() })) });
export type PlantPushResult = z.infer<typeof plantPushResultSchema>;

export const plantMethods = {
  'plant.status': { params: z.object({}).strict(), result: plantLinkStatusSchema },
  /** Logs in to a plant server (https only) and keeps the session in the engine; it does not open it yet. */
  'plant.login': {
    params: z
      .object({
        url: z
          .string()
          .trim()
          .max(300)
          .refine((u) => /^https:\/\/[^/\s]+\/?$/i.test(u), 'the plant server is an https:// address (https://plant.example:8787), without a path'),
        /** Empty: the password is the server's API token. */
        username: z.string().trim().max(100),
        password: z.string().min(1, 'give the password (or the API token)').max(500),
        /** The plant's own CA certificate (PEM) when its server's certificate is not signed by a public one. */
        caPem: z.string().max(20_000).regex(/-----BEGIN CERTIFICATE-----/, 'a CA certificate in PEM form (-----BEGIN CERTIFICATE-----)').optional(),
      })
      .strict(),
    result: plantLinkStatusSchema,
  },
  'plant.logout': { params: z.object({}).strict(), result: plantLinkStatusSchema },
  /** Which engine the app shows from its next connection: the page reloads after this. */
  'plant.open': { params: z.object({ open: z.enum(['laptop', 'plant']) }).strict(), result: plantLinkStatusSchema },
  /** Pushes this laptop's bench runs, certificates and the telemetry of the chosen motors to the plant server. */
  'plant.push': {
    params: z
      .object({
        benchRuns: z.boolean().default(true),
        certificates: z.boolean().default(true),
        motors: z.array(deviceIdSchema).max(200).default([]),
        /** Telemetry from this time on (default: all that is stored). */
        from: epochMs.optional(),
      })
      .strict(),
    result: plantPushResultSchema,
  },
  /** What this laptop holds that could be pushed: its motors with stored telemetry. */
  'plant.pushable': {
    params: z.object({}).strict(),
    result: z.object({ motors: z.array(z.object({ deviceId: z.string(), rows: z.number() })), benchRuns: z.number(), certificates: z.number() }),
  },
} as const;
