import { z } from 'zod';
import { READING_NAMES } from './readings';
import { deviceIdSchema } from './protocol/schemas';

// The health part of the contract: rules, alarms (ISA-18.2 lifecycle), the health index, anomaly baselines,
// waveform analyses and remaining life. contract.ts spreads `healthMethods` and `healthEvents` into its own.

export const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ALARM_STATES = ['active_unacked', 'active_acked', 'cleared_unacked', 'cleared_acked'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

/** Readings, plus values derived from them that rules can test. */
export const SIGNALS = [...READING_NAMES, 'temperature_rise'] as const;
export type Signal = (typeof SIGNALS)[number];

const thresholdClauseSchema = z.object({
  kind: z.literal('threshold'),
  signal: z.enum(SIGNALS),
  op: z.enum(['above', 'below']),
  value: z.number(),
  /** Once true, the clause stays true until the value is back past value ∓ hysteresis (no chattering). */
  hysteresis: z.number().min(0).default(0),
  /** The value must stay past the threshold this long before the clause holds ("above 80 C for 2 min"). */
  forS: z.number().min(0).max(86_400).default(0),
});

const rateClauseSchema = z.object({
  kind: z.literal('rate'),
  signal: z.enum(SIGNALS),
  op: z.enum(['rising', 'falling']),
  /** Units of the signal per minute ("temperature rising faster than 2 C/min"). */
  perMin: z.number().positive(),
  /** The slope is fitted over this trailing window. */
  windowS: z.number().min(10).max(3600).default(120),
});

export const ruleClauseSchema = z.discriminatedUnion('kind', [thresholdClauseSchema, rateClauseSchema]);
export type RuleClause = z.infer<typeof ruleClauseSchema>;

export const ruleSchema = z.object({
  id: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'rule id: 1-40 lower-case letters, digits, "_" or "-"'),
  name: z.string().min(1).max(120),
  /** The alarm condition it raises: one alarm per motor and condition. */
  condition: z.string().regex(/^[A-Z0-9_]{1,40}$/, 'condition: 1-40 upper-case letters, digits or "_"'),
  severity: z.enum(SEVERITIES),
  match: z.enum(['all', 'any']).default('all'),
  clauses: z.array(ruleClauseSchema).min(1).max(8),
  enabled: z.boolean().default(true),
});
export type Rule = z.infer<typeof ruleSchema>;

export const ruleScopeSchema = z.enum(['motor', 'model']);

/** One scope's rules: an id names one rule, so it may appear once. */
export const ruleSetSchema = z
  .array(ruleSchema)
  .max(50)
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', message: `rule id "${r.id}" appears twice`, path: [i, 'id'] });
      seen.add(r.id);
    });
  });

export const resolvedRuleSchema = ruleSchema.extend({ origin: z.enum(['default', 'model', 'motor']), active: z.boolean() });

export const alarmSchema = z.object({
  id: z.string(),
  motorId: z.string(),
  condition: z.string(),
  severity: z.enum(SEVERITIES),
  state: z.enum(ALARM_STATES),
  /** sensor: the data itself is suspect (a reading stopped updating, or froze at one value). */
  source: z.enum(['rule', 'anomaly', 'diagnosis', 'sensor']),
  message: z.string(),
  raisedAt: z.number(),
  updatedAt: z.number(),
  clearedAt: z.number().nullable(),
  ackedAt: z.number().nullable(),
  ackComment: z.string().nullable(),
  shelvedUntil: z.number().nullable(),
  /** How often the condition came back while this alarm was open. */
  repeats: z.number(),
});
export type Alarm = z.infer<typeof alarmSchema>;

/** severity: an active alarm's severity changed with the assessment behind it (an early finding grew). */
export const ALARM_ACTIONS = ['raise', 'repeat', 'clear', 'ack', 'shelve', 'unshelve', 'severity'] as const;
export const alarmTransitionSchema = z.object({
  alarmId: z.string(),
  motorId: z.string(),
  ts: z.number(),
  action: z.enum(ALARM_ACTIONS),
  from: z.enum(ALARM_STATES).nullable(),
  to: z.enum(ALARM_STATES),
  comment: z.string().nullable(),
  message: z.string(),
});
export type AlarmTransition = z.infer<typeof alarmTransitionSchema>;

export const SUB_SCORES = ['thermal', 'vibration', 'speed', 'bearing', 'anomaly'] as const;
export type SubScoreName = (typeof SUB_SCORES)[number];

export const subScoreSchema = z.object({
  name: z.enum(SUB_SCORES),
  /** 0-100, or null when there is nothing to judge it by (its weight is then shared by the others). */
  score: z.number().nullable(),
  weight: z.number(),
  reason: z.string(),
});
export type SubScore = z.infer<typeof subScoreSchema>;

/** ALERT and TRIP for vibration velocity (mm/s RMS) from the baseline and the ISO 20816-3 zone boundaries. */
export const vibrationLevelsSchema = z.object({
  baselineMmS: z.number().nullable(),
  baselineZone: z.enum(['A', 'B', 'C', 'D']).nullable(),
  alertMmS: z.number(),
  tripMmS: z.number(),
  limits: z.object({ ab: z.number(), bc: z.number(), cd: z.number() }),
  /** Group and foundation, and which of them were assumed. */
  basis: z.string(),
  /** How ALERT and TRIP were set. */
  how: z.string(),
});
export type VibrationLevels = z.infer<typeof vibrationLevelsSchema>;

export const anomalyStatusSchema = z.object({
  /** learning: the baseline window is still open, or the present operating state has no baseline yet. */
  phase: z.enum(['learning', 'scoring']),
  /** Seconds of running collected towards the baseline, and how many it needs. */
  collected: z.number(),
  needed: z.number(),
  /** One line for people: "learning: 3 h of 24 h of running", "stopped: not scored", … */
  note: z.string().default(''),
  /** The operating state of the latest reading ("rated speed, rated load", "stopped"). */
  state: z.string().nullable().default(null),
  /** Each operating state seen, with its own baseline or still learning. */
  states: z.array(z.object({ name: z.string(), phase: z.enum(['learning', 'scoring']), runningS: z.number() })).default([]),
  /** The thermal model the temperature rise is judged by. */
  warmUp: z.object({ tauS: z.number(), tauSource: z.enum(['nameplate', 'learned', 'typical']), rise: z.number().nullable(), expectedRise: z.number().nullable() }).nullable().default(null),
  vibrationLevels: vibrationLevelsSchema.nullable().default(null),
  learnedAt: z.number().nullable(),
  features: z.array(z.string()),
  score: z.number().nullable(),
  threshold: z.number().nullable(),
  abnormal: z.boolean(),
  drivers: z.array(z.object({ feature: z.string(), z: z.number() })),
});
export type AnomalyStatus = z.infer<typeof anomalyStatusSchema>;

/** One judgment of a motor, ISO 20816 style: normal, watch (early finding), alert (plan action), danger. */
export const ASSESSMENT_LEVELS = ['normal', 'watch', 'alert', 'danger'] as const;
export type AssessmentLevel = (typeof ASSESSMENT_LEVELS)[number];

export const FINDING_SOURCES = ['zone', 'diagnosis', 'thermal', 'speed', 'alarm'] as const;

export const findingSchema = z.object({
  /** What it is about: vibration, bearing, thermal, speed, or an alarm's condition. */
  about: z.string(),
  /** Where it comes from: the ISO zone, the waveform diagnosis, a sub-score, or an open alarm. */
  source: z.enum(FINDING_SOURCES),
  level: z.enum(ASSESSMENT_LEVELS),
  text: z.string(),
});
export type Finding = z.infer<typeof findingSchema>;

/**
 * The one story of a motor: the health index's band, the alarm severities, the twin's status colour and the 3D
 * overlay all follow its level, and its verdict is the sentence they all show.
 */
export const assessmentSchema = z.object({
  level: z.enum(ASSESSMENT_LEVELS),
  verdict: z.string(),
  /** Worst first. */
  findings: z.array(findingSchema),
  /** The health index lies in this band whatever the weighted sub-scores say. */
  band: z.tuple([z.number(), z.number()]),
});
export type MotorAssessment = z.infer<typeof assessmentSchema>;

export const healthSnapshotSchema = z.object({
  id: z.string(),
  ts: z.number(),
  index: z.number().nullable(),
  subScores: z.array(subScoreSchema),
  /** Plain-language reasons the index is below 100, worst first. */
  pulledDownBy: z.array(z.string()),
  anomaly: anomalyStatusSchema,
  assessment: assessmentSchema,
  /** Read back from the store (the engine has had no reading of this motor since it started), not live. */
  stored: z.boolean(),
});
export type HealthSnapshot = z.infer<typeof healthSnapshotSchema>;

const peakSchema = z.object({ hz: z.number(), amplitude: z.number() });

export const waveformAnalysisSchema = z.object({
  id: z.string(),
  ts: z.number(),
  axis: z.enum(['x', 'y', 'z']),
  fs: z.number(),
  samples: z.number(),
  rpm: z.number().nullable(),
  bearing: z.string().nullable(),
  /** Set when the block could not be analysed: why. */
  error: z.string().nullable(),
  rmsG: z.number().nullable(),
  peakG: z.number().nullable(),
  crestFactor: z.number().nullable(),
  kurtosis: z.number().nullable(),
  velocityRmsMmS: z.number().nullable(),
  isoZone: z.enum(['A', 'B', 'C', 'D']).nullable(),
  diagnosis: z
    .object({
      fault: z.string(),
      confidence: z.number(),
      evidence: z.string(),
      peaks: z.array(peakSchema.extend({ label: z.string(), snr: z.number() })),
    })
    .nullable(),
  warnings: z.array(z.string()),
  /** Coarse acceleration spectrum (dB re 1 g, 0 to maxHz), one waterfall row. */
  waterfall: z.object({ maxHz: z.number(), db: z.array(z.number()) }).nullable(),
});
export type WaveformAnalysis = z.infer<typeof waveformAnalysisSchema>;

export const spectrumPlotSchema = z.object({ df: z.number(), amplitude: z.array(z.number()), peaks: z.array(peakSchema) });

/** One analysis with the spectra at full resolution for the plots. */
export const waveformDetailSchema = waveformAnalysisSchema.extend({
  spectrum: spectrumPlotSchema.nullable(),
  envelope: spectrumPlotSchema.extend({ band: z.object({ lowHz: z.number(), highHz: z.number() }) }).nullable(),
  markers: z.array(z.object({ label: z.string(), hz: z.number() })),
});
export type WaveformDetail = z.infer<typeof waveformDetailSchema>;

/** The line in log(severity) a projection rests on: value(t) = level * exp(slopePerH * (t - to) / 1 h). */
export const trendFitSchema = z.object({ from: z.number(), to: z.number(), points: z.number(), level: z.number(), slopePerH: z.number(), slopeSePerH: z.number() });
export type TrendFitView = z.infer<typeof trendFitSchema>;

export const REMAINING_LIFE_STATUSES = ['estimate', 'crossed', 'learning', 'no_trend', 'too_far'] as const;

export const remainingLifeSchema = z.object({
  id: z.string(),
  metric: z.enum(READING_NAMES),
  limit: z.number(),
  limitSource: z.string(),
  /** estimate: a date; crossed: already there; learning: too little history; no_trend: nothing that holds; too_far: growth, but beyond the horizon. */
  status: z.enum(REMAINING_LIFE_STATUSES),
  crossingAt: z.number().nullable(),
  earliest: z.number().nullable(),
  latest: z.number().nullable(),
  /** The farthest a date may lie: three spans of the fit ahead of its end. */
  horizonAt: z.number().nullable(),
  fit: trendFitSchema.nullable(),
  /** Plant seconds one second of this source stands for (1: a real board; see the twin's device). */
  timeScale: z.number(),
  /** The fitted severity now, where the projection starts (the latest reading while there is no fit). */
  from: z.object({ t: z.number(), value: z.number() }).nullable(),
  explanation: z.string(),
});
export type RemainingLifeView = z.infer<typeof remainingLifeSchema>;

const empty = z.object({}).strict();
const motor = z.object({ id: deviceIdSchema });

export const alarmFilterSchema = z.object({
  id: deviceIdSchema.optional(),
  states: z.array(z.enum(ALARM_STATES)).max(4).optional(),
  severities: z.array(z.enum(SEVERITIES)).max(4).optional(),
  /** Shelved alarms are left out unless asked for. */
  includeShelved: z.boolean().default(true),
  limit: z.number().int().min(1).max(2000).default(500),
});

export const healthMethods = {
  'alarms.list': { params: alarmFilterSchema, result: z.array(alarmSchema) },
  'alarms.transitions': {
    params: z.object({ id: deviceIdSchema.optional(), alarmId: z.string().max(80).optional(), from: z.number().int().optional(), limit: z.number().int().min(1).max(5000).default(1000) }),
    result: z.array(alarmTransitionSchema),
  },
  'alarms.ack': { params: z.object({ alarmId: z.string().min(1).max(80), comment: z.string().trim().max(500).default('') }), result: alarmSchema },
  'alarms.shelve': {
    params: z.object({ alarmId: z.string().min(1).max(80), minutes: z.number().min(1).max(7 * 24 * 60), comment: z.string().trim().max(500).default('') }),
    result: alarmSchema,
  },
  'alarms.unshelve': { params: z.object({ alarmId: z.string().min(1).max(80) }), result: alarmSchema },
  'alarms.summary': { params: empty, result: z.object({ unacknowledged: z.number(), activeBySeverity: z.record(z.enum(SEVERITIES), z.number()) }) },
  /** The rules in force (defaults overridden by the model's, then the motor's own), and each layer on its own. */
  'rules.get': {
    params: motor,
    result: z.object({ rules: z.array(resolvedRuleSchema), defaults: z.array(ruleSchema), motorRules: z.array(ruleSchema), modelRules: z.array(ruleSchema), model: z.string().nullable() }),
  },
  /** Replaces the whole rule set of one motor (key: its id) or of one motor model (key: the nameplate model). */
  'rules.set': {
    params: z.object({ scope: ruleScopeSchema, key: z.string().min(1).max(80), rules: ruleSetSchema }),
    result: z.object({ saved: z.number() }),
  },
  'health.get': { params: motor, result: healthSnapshotSchema },
  'health.list': { params: empty, result: z.array(healthSnapshotSchema) },
  'health.remainingLife': { params: z.object({ id: deviceIdSchema, metric: z.enum(['vib_velocity', 'vibration']).default('vib_velocity') }), result: remainingLifeSchema },
  'anomaly.learnBaseline': { params: motor, result: anomalyStatusSchema },
  'waveforms.list': { params: z.object({ id: deviceIdSchema, limit: z.number().int().min(1).max(200).default(40) }), result: z.array(waveformAnalysisSchema) },
  'waveforms.latest': { params: motor, result: waveformDetailSchema.nullable() },
} as const;

export const healthEvents = {
  /** An alarm changed state (raised, repeated, cleared, acknowledged, shelved); the transition says how. */
  alarm: z.object({
    alarm: alarmSchema,
    transition: alarmTransitionSchema,
    /** Replayed from imported history: shown where it happened, never an alert, a notification or a proposed action now. */
    historical: z.boolean().optional(),
  }),
  /** A motor's health index, at most about once a second per motor. */
  health: healthSnapshotSchema,
  /** A waveform block was analysed. */
  waveformAnalysis: waveformAnalysisSchema,
} as const;
