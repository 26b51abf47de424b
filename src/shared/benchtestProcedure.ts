import { z } from 'zod';

// A bench test procedure as stored in resources/procedures/*.json and in the database when a user copies
// one: steps (manual prompts or measured runs) and the acceptance criteria judged on the runs' data.
// Shared because the UI edits procedures and must check them the same way the engine does.

export const procedureNameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a procedure name is lower-case letters, digits, ".", "_" or "-" (at most 64)');

export const MEASURED = ['temperature', 'rpm', 'vibration', 'vib_velocity', 'ambient', 'current'] as const;

const manualStepSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'a step id is lower-case letters, digits, "_" or "-"'),
    kind: z.literal('manual'),
    title: z.string().min(1).max(120),
    prompt: z.string().min(1).max(1000),
  })
  .strict();

const runStepSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'a step id is lower-case letters, digits, "_" or "-"'),
    kind: z.literal('run'),
    title: z.string().min(1).max(120),
    prompt: z.string().max(1000).optional(),
    /** Motor seconds (the simulator's speedup compresses them). The step ends at this time at the latest. */
    durationS: z.number().positive().max(24 * 3600),
    /** Ends the step early once the temperature has settled: thermal stability for a warm-up. */
    endWhen: z
      .object({ temperatureRateBelowKPerMin: z.number().positive(), minS: z.number().nonnegative() })
      .strict()
      .optional(),
    /** More than this share of missing readings (or no reading for `maxGapS`) makes the step invalid. */
    maxMissingPct: z.number().min(0).max(100).default(5),
    maxGapS: z.number().positive().default(30),
  })
  .strict();

/** How the drive is set for a speed step or switched off for a run-down: a command through the command gate
 * (a drive or simulator that takes SET_SPEED and STOP), or the operator by hand, confirming on screen. */
const driveSchema = z.enum(['command', 'operator']).default('command');

const speedStepSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'a step id is lower-case letters, digits, "_" or "-"'),
    kind: z.literal('speed'),
    title: z.string().min(1).max(120),
    prompt: z.string().max(1000).optional(),
    /** The set speed as a share of the nameplate speed. */
    speedPct: z.number().min(10).max(100),
    drive: driveSchema,
    /** Motor seconds after the set speed is reached before measuring: the speed and the mounts settle. */
    settleS: z.number().nonnegative().max(3600).default(10),
    durationS: z.number().positive().max(24 * 3600),
    maxMissingPct: z.number().min(0).max(100).default(5),
    maxGapS: z.number().positive().default(30),
  })
  .strict();

const rundownStepSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'a step id is lower-case letters, digits, "_" or "-"'),
    kind: z.literal('rundown'),
    title: z.string().min(1).max(120),
    prompt: z.string().max(1000).optional(),
    drive: driveSchema,
    /** The shaft counts as stopped below this speed; the step ends then, or after `durationS` at the latest. */
    stoppedBelowRpm: z.number().positive().max(600).default(30),
    durationS: z.number().positive().max(3600),
    maxMissingPct: z.number().min(0).max(100).default(5),
    maxGapS: z.number().positive().default(30),
  })
  .strict();

export const stepSchema = z.discriminatedUnion('kind', [manualStepSchema, runStepSchema, speedStepSchema, rundownStepSchema]);
export type ProcedureStep = z.infer<typeof stepSchema>;
export type RunStep = z.infer<typeof runStepSchema>;
export type SpeedStep = z.infer<typeof speedStepSchema>;
export type RundownStep = z.infer<typeof rundownStepSchema>;
/** Steps that record readings (every kind but a manual prompt). */
export type MeasuredStep = RunStep | SpeedStep | RundownStep;
/** Steps the acceptance criteria may judge: a run-down is reported, not judged. */
export const JUDGED_STEP_KINDS: readonly ProcedureStep['kind'][] = ['run', 'speed'];

const base = { id: z.string().regex(/^[a-z0-9_]{1,40}$/), step: z.string(), source: z.string().min(1).max(600) };

export const criterionSchema = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('iso_zone'), acceptZones: z.array(z.enum(['A', 'B', 'C'])).min(1) }).strict(),
  z.object({ ...base, kind: z.literal('temperature_rise'), frameMarginK: z.number().min(0).max(60) }).strict(),
  z.object({ ...base, kind: z.literal('temperature_rise_rate'), maxKPerMin: z.number().positive(), windowS: z.number().positive() }).strict(),
  z.object({ ...base, kind: z.literal('speed'), tolerancePct: z.number().positive().max(20) }).strict(),
  z.object({ ...base, kind: z.literal('speed_stability'), maxStdRpm: z.number().positive() }).strict(),
  z.object({ ...base, kind: z.literal('bearing_tones'), maxConfidence: z.number().min(0).max(1) }).strict(),
  /** A line's velocity as a share of the ISO zone A/B boundary of the motor's group. */
  z.object({ ...base, kind: z.literal('line_1x'), shareOfZoneAB: z.number().positive().max(2) }).strict(),
  z.object({ ...base, kind: z.literal('line_2x'), shareOfZoneAB: z.number().positive().max(2) }).strict(),
  z.object({ ...base, kind: z.literal('sensor_sanity'), maxMissingPct: z.number().min(0).max(100) }).strict(),
]);
export type Criterion = z.infer<typeof criterionSchema>;
export type CriterionKind = Criterion['kind'];

export const procedureSchema = z
  .object({
    name: procedureNameSchema,
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'a version is MAJOR.MINOR.PATCH, e.g. 1.0.0'),
    title: z.string().min(1).max(120),
    description: z.string().max(2000).default(''),
    steps: z.array(stepSchema).min(1).max(50),
    criteria: z.array(criterionSchema).min(1).max(40),
  })
  .strict()
  .superRefine((p, ctx) => {
    const runIds = new Set(p.steps.filter((s) => JUDGED_STEP_KINDS.includes(s.kind)).map((s) => s.id));
    const seen = new Set<string>();
    p.steps.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `step id "${s.id}" is used twice` });
      seen.add(s.id);
    });
    p.criteria.forEach((c, i) => {
      if (!runIds.has(c.step)) ctx.addIssue({ code: 'custom', path: ['criteria', i, 'step'], message: `criterion "${c.id}" names step "${c.step}", which is not a run or speed step of this procedure` });
    });
  });
export type Procedure = z.infer<typeof procedureSchema>;
