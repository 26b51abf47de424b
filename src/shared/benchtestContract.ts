import { z } from 'zod';
import { deviceIdSchema } from './protocol/schemas';
import { nameplateSchema } from './twin';
import { procedureNameSchema, procedureSchema } from './benchtestProcedure';

// Bench testing of new motors: procedures, live runs, verdicts and reports. Spread into contract.ts.

export const CRITERION_RESULTS = ['pass', 'fail', 'warn', 'incomplete'] as const;
export const VERDICTS = ['pass', 'fail', 'incomplete'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const criterionResultSchema = z.object({
  id: z.string(),
  name: z.string(),
  value: z.number().nullable(),
  /** Every limit is an upper one: the value passes at or below it. */
  limit: z.number().nullable(),
  unit: z.string(),
  result: z.enum(CRITERION_RESULTS),
  detail: z.string(),
  source: z.string(),
  step: z.string(),
});
export type CriterionResult = z.infer<typeof criterionResultSchema>;

export const stepStateSchema = z.object({
  id: z.string(),
  kind: z.enum(['manual', 'run', 'speed', 'rundown']),
  title: z.string(),
  state: z.enum(['pending', 'running', 'waiting', 'done', 'invalid', 'skipped', 'aborted']),
  note: z.string().nullable(),
  startedAtS: z.number().nullable(),
  /** When readings began to count (after a speed step set the drive and settled, or a run-down's drive went off). */
  measuredFromS: z.number().nullable().default(null),
  endedAtS: z.number().nullable(),
  attempt: z.number().int(),
});
export type StepState = z.infer<typeof stepStateSchema>;

export const benchSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sim'), fault: z.string().nullable(), speedup: z.number() }),
  z.object({ kind: z.literal('serial'), path: z.string() }),
  z.object({ kind: z.literal('mqtt'), deviceId: deviceIdSchema }),
]);
export type BenchSource = z.infer<typeof benchSourceSchema>;

export const liveValueSchema = z.object({ name: z.string(), value: z.number().nullable(), limit: z.number().nullable(), unit: z.string(), ok: z.boolean().nullable() });

export const benchRunStateSchema = z.object({
  runId: z.string(),
  deviceId: z.string(),
  serialNumber: z.string(),
  procedure: z.object({ name: z.string(), version: z.string(), title: z.string() }),
  operator: z.string(),
  source: benchSourceSchema,
  state: z.enum(['running', 'paused', 'waiting', 'finished', 'aborted']),
  currentStep: z.string().nullable(),
  /** What the operator is asked to do now (a manual step, or setting the drive by hand). */
  prompt: z.string().nullable(),
  /** Motor seconds left in the current run step (null for a manual step). */
  remainingS: z.number().nullable(),
  motorTimeS: z.number(),
  steps: z.array(stepStateSchema),
  live: z.array(liveValueSchema),
  /** The latest waveform block's spectrum (velocity lines as acceleration, g), with 1x/2x/3x markers. */
  spectrum: z.object({ df: z.number(), amplitude: z.array(z.number()), markers: z.array(z.object({ label: z.string(), hz: z.number() })) }).nullable(),
  abortReason: z.string().nullable(),
  verdict: z.enum(VERDICTS).nullable(),
  criteria: z.array(criterionResultSchema),
  warnings: z.array(z.string()),
});
export type BenchRunState = z.infer<typeof benchRunStateSchema>;

export const benchReportSummarySchema = z.object({
  runId: z.string(),
  serialNumber: z.string(),
  model: z.string().nullable(),
  deviceId: z.string(),
  procedure: z.string(),
  procedureVersion: z.string(),
  operator: z.string(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  verdict: z.enum(VERDICTS),
});
export type BenchReportSummary = z.infer<typeof benchReportSummarySchema>;

export const benchStartSchema = z
  .object({
    procedure: procedureNameSchema.default('no-load-acceptance'),
    serialNumber: z.string().trim().min(1, 'the motor serial number is required').max(80),
    operator: z.string().trim().min(1, 'the operator is required').max(80),
    nameplate: nameplateSchema.partial().default({}),
    /** Where the readings come from. */
    source: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('sim'), fault: z.string().max(40).nullable().default(null), speedup: z.number().min(1).max(1000).default(1) }),
      z.object({ kind: z.literal('device'), deviceId: deviceIdSchema }),
    ]),
    /** A serial number already tested is refused unless the operator asks to test it again. */
    retest: z.boolean().default(false),
  })
  .strict();
export type BenchStart = z.input<typeof benchStartSchema>;

const runIdParams = z.object({ runId: z.string().min(1).max(64) });

export const benchtestMethods = {
  'benchtest.procedures': { params: z.object({}).strict(), result: z.array(z.object({ procedure: procedureSchema, builtIn: z.boolean() })) },
  'benchtest.saveProcedure': { params: z.object({ procedure: procedureSchema }), result: z.object({ saved: z.boolean() }) },
  'benchtest.start': { params: benchStartSchema, result: benchRunStateSchema },
  'benchtest.state': { params: runIdParams, result: benchRunStateSchema },
  'benchtest.active': { params: z.object({}).strict(), result: z.array(benchRunStateSchema) },
  'benchtest.confirm': { params: runIdParams.extend({ note: z.string().max(500).optional() }), result: benchRunStateSchema },
  'benchtest.pause': { params: runIdParams, result: benchRunStateSchema },
  'benchtest.resume': { params: runIdParams, result: benchRunStateSchema },
  'benchtest.abort': { params: runIdParams.extend({ reason: z.string().trim().min(1, 'say why the run is aborted').max(500) }), result: benchRunStateSchema },
  'benchtest.rerunStep': { params: runIdParams.extend({ stepId: z.string().max(40) }), result: benchRunStateSchema },
  'benchtest.reports': { params: z.object({ serialNumber: z.string().max(80).optional() }), result: z.array(benchReportSummarySchema) },
  'benchtest.report': {
    params: runIdParams.extend({ format: z.enum(['html', 'pdf']).default('html') }),
    result: z.object({ file: z.string(), downloadPath: z.string() }),
  },
} as const;

export const benchtestEvents = {
  /** A bench run changed: step, countdown, live values, verdict. */
  benchRun: benchRunStateSchema,
} as const;
