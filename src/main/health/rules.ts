import { z } from 'zod';
import { describeClause, formatSignal as fmt } from '../../shared/ruleText';
import { SIGNALS, type Rule, type RuleClause, type Signal } from '../../shared/healthContract';
import type { ReadingMap } from '../../shared/twin';

// Deterministic rules over readings and derived values. Each clause keeps a little state (latched with
// hysteresis, since when, recent points for a slope) so a rule can say "above 80 C for 2 min" or
// "rising faster than 2 C/min"; the state is plain JSON so it can be stored and survive a restart.

/** Per clause: latched (with hysteresis) since `since`; rate clauses keep thinned points and their slope. */
export const clauseStateSchema = z.object({
  on: z.boolean(),
  since: z.number().nullable(),
  pts: z.array(z.tuple([z.number(), z.number()])).optional(),
  slope: z.number().nullable().optional(),
});
export type ClauseState = z.infer<typeof clauseStateSchema>;

export const ruleStateSchema = z.object({
  active: z.boolean(),
  /** A fingerprint of the rule the state belongs to: an edited rule starts afresh. */
  key: z.string(),
  clauses: z.array(clauseStateSchema),
});
export type RuleState = z.infer<typeof ruleStateSchema>;

export const motorRuleStateSchema = z.object({ lastTs: z.number(), rules: z.record(z.string(), ruleStateSchema) });
export type MotorRuleState = z.infer<typeof motorRuleStateSchema>;

/** A rule that changed state on a reading. */
export interface RuleVerdict {
  rule: Rule;
  active: boolean;
  message: string;
}

export function freshRuleState(rule: Rule): RuleState {
  return { active: false, key: ruleKey(rule), clauses: rule.clauses.map(() => ({ on: false, since: null })) };
}

export const ruleKey = (r: Rule) => JSON.stringify([r.match, r.clauses]);

/** At most this many points per rate window: the slope needs shape, not every reading. */
const RATE_POINTS = 60;

type Reader = (r: ReadingMap) => number | null | undefined;
const temperatureRise: Reader = (r) => {
  const t = r.temperature;
  const a = r.ambient;
  return t === null || t === undefined || a === null || a === undefined ? null : t - a;
};
const READERS = new Map<Signal, Reader>(SIGNALS.map((s) => [s, s === 'temperature_rise' ? temperatureRise : (r: ReadingMap) => r[s]]));

/** One clause ready to step: its limits are worked out when the rules change, not on every reading. */
interface ClauseStep {
  clause: RuleClause;
  state: ClauseState;
  read: Reader;
  rate: boolean;
  /** Threshold above, or rate rising. */
  up: boolean;
  /** The threshold, or the rate per minute. */
  limit: number;
  /** Where a latched clause lets go: the threshold less its hysteresis, or half the rate. */
  release: number;
  forMs: number;
  windowMs: number;
}

interface RuleStep {
  rule: Rule;
  state: RuleState;
  all: boolean;
  clauses: ClauseStep[];
}

/** A motor's rules with their state, compiled for stepping; make one whenever the rules change. */
export type RulePlan = RuleStep[];

function stepThreshold(c: ClauseStep, v: number, ts: number): boolean {
  const s = c.state;
  if (!s.on) {
    if (c.up ? v > c.limit : v < c.limit) {
      s.on = true;
      s.since = ts;
    }
  } else if (c.up ? v <= c.release : v >= c.release) {
    s.on = false;
    s.since = null;
  }
  return s.on && s.since !== null && ts - s.since >= c.forMs;
}

function stepRate(c: ClauseStep, v: number, ts: number): boolean {
  const s = c.state;
  const pts = (s.pts ??= []);
  const last = pts[pts.length - 1];
  if (!last || ts - last[0] >= c.windowMs / RATE_POINTS) {
    pts.push([ts, v]);
    while (pts.length && pts[0][0] < ts - c.windowMs) pts.shift();
    s.slope = slopePerMin(pts, c.windowMs);
  }
  const slope = s.slope ?? null;
  if (slope === null) return s.on;
  const signed = c.up ? slope : -slope;
  // Hysteresis on the slope: it must fall to half the rate before the clause lets go.
  if (!s.on && signed > c.limit) {
    s.on = true;
    s.since = ts;
  } else if (s.on && signed < c.release) {
    s.on = false;
    s.since = null;
  }
  return s.on;
}

/** Least-squares slope in units per minute, once the points span half the window. */
function slopePerMin(pts: [number, number][], windowMs: number): number | null {
  const n = pts.length;
  if (n < 4 || pts[n - 1][0] - pts[0][0] < windowMs / 2) return null;
  const t0 = pts[0][0];
  let mt = 0;
  let mv = 0;
  for (let i = 0; i < n; i++) {
    mt += (pts[i][0] - t0) / 60_000;
    mv += pts[i][1];
  }
  mt /= n;
  mv /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dt = (pts[i][0] - t0) / 60_000 - mt;
    sxx += dt * dt;
    sxy += dt * (pts[i][1] - mv);
  }
  return sxx > 0 ? sxy / sxx : null;
}

function clauseStep(c: RuleClause, state: ClauseState): ClauseStep {
  const read = READERS.get(c.signal)!;
  if (c.kind === 'threshold') {
    const up = c.op === 'above';
    return { clause: c, state, read, rate: false, up, limit: c.value, release: up ? c.value - c.hysteresis : c.value + c.hysteresis, forMs: c.forS * 1000, windowMs: 0 };
  }
  return { clause: c, state, read, rate: true, up: c.op === 'rising', limit: c.perMin, release: c.perMin / 2, forMs: 0, windowMs: c.windowS * 1000 };
}

/**
 * Drops the state of rules that were edited or removed (they start afresh) and compiles the enabled rules with
 * their state for `stepRules`; call whenever the rules change.
 */
export function planRules(rules: readonly Rule[], state: MotorRuleState): RulePlan {
  const byId = new Map(rules.map((r) => [r.id, r]));
  for (const [id, rs] of Object.entries(state.rules)) {
    const r = byId.get(id);
    if (!r || rs.key !== ruleKey(r)) delete state.rules[id];
  }
  const plan: RulePlan = [];
  for (const rule of rules) {
    const rs = (state.rules[rule.id] ??= freshRuleState(rule));
    // One shape for every clause state, so stepping reads them all the same way.
    rs.clauses = rs.clauses.map((c) => ({ on: c.on, since: c.since, pts: c.pts, slope: c.slope }));
    if (rule.enabled) plan.push({ rule, state: rs, all: rule.match === 'all', clauses: rule.clauses.map((c, i) => clauseStep(c, rs.clauses[i])) });
  }
  return plan;
}

/**
 * Steps every rule with one reading and returns the rules that changed state. A missing or null value leaves
 * its clause as it was: a sensor that dropped out neither raises nor clears an alarm.
 */
export function stepRules(rules: readonly Rule[], state: MotorRuleState, readings: ReadingMap, ts: number, plan = planRules(rules, state)): RuleVerdict[] {
  if (ts <= state.lastTs) return NO_CHANGE;
  state.lastTs = ts;
  let out: RuleVerdict[] | null = null;
  for (let k = 0; k < plan.length; k++) {
    const p = plan[k];
    const rs = p.state;
    let all = true;
    let any = false;
    // Which clauses hold, as bits (at most 8 clauses): messages are built only for rules that change.
    let held = 0;
    for (let i = 0; i < p.clauses.length; i++) {
      const c = p.clauses[i];
      const v = c.read(readings);
      let holds: boolean;
      if (v === null || v === undefined || !Number.isFinite(v)) holds = c.rate ? c.state.on : c.state.on && c.state.since !== null && ts - c.state.since >= c.forMs;
      else holds = c.rate ? stepRate(c, v, ts) : stepThreshold(c, v, ts);
      all &&= holds;
      any ||= holds;
      if (holds) held |= 1 << i;
    }
    const active = p.all ? all : any;
    if (active === rs.active) continue;
    rs.active = active;
    (out ??= []).push({ rule: p.rule, active, message: active ? `${p.rule.name}: ${holdingText(p, held, readings)}` : `${p.rule.name}: back to normal` });
  }
  return out ?? NO_CHANGE;
}

/** Why a rule holds, clause by clause with the values seen: built only for a rule that just became active. */
function holdingText(p: RuleStep, held: number, readings: ReadingMap): string {
  const parts: string[] = [];
  for (let i = 0; i < p.clauses.length; i++) {
    if (!(held & (1 << i))) continue;
    const c = p.clauses[i];
    const v = c.read(readings);
    const s = c.state;
    parts.push(c.rate && s.slope != null ? `${describeClause(c.clause)} (${s.slope.toFixed(2)}/min)` : v === null || v === undefined ? describeClause(c.clause) : `${describeClause(c.clause)} (${fmt(c.clause.signal, v)})`);
  }
  return parts.join(p.all ? ' and ' : ', ');
}

const NO_CHANGE: RuleVerdict[] = [];
