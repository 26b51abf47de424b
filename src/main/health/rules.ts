import { z } from 'zod';
import { READINGS, type ReadingName } from '../../shared/readings';
import type { Rule, RuleClause, Signal } from '../../shared/healthContract';
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

/** Derived signals next to the raw readings. */
export function signalValue(signal: Signal, readings: ReadingMap): number | null {
  if (signal === 'temperature_rise') {
    const t = readings.temperature;
    const a = readings.ambient;
    return t === null || t === undefined || a === null || a === undefined ? null : t - a;
  }
  const v = readings[signal];
  return v === undefined ? null : v;
}

const SIGNAL_INFO: Record<'temperature_rise', { label: string; unit: string; digits: number }> = {
  temperature_rise: { label: 'Temperature rise over ambient', unit: 'K', digits: 1 },
};
export const signalInfo = (s: Signal) => (s === 'temperature_rise' ? SIGNAL_INFO[s] : READINGS[s as ReadingName]);
const fmt = (s: Signal, v: number) => `${v.toFixed(signalInfo(s).digits)} ${signalInfo(s).unit}`;

export function describeClause(c: RuleClause): string {
  const label = signalInfo(c.signal).label.toLowerCase();
  if (c.kind === 'threshold') return `${label} ${c.op} ${fmt(c.signal, c.value)}${c.forS ? ` for ${durationText(c.forS)}` : ''}`;
  return `${label} ${c.op} faster than ${c.perMin} ${signalInfo(c.signal).unit}/min`;
}

export function describeRule(r: Rule): string {
  return r.clauses.map(describeClause).join(r.match === 'all' ? ' and ' : ' or ');
}

const durationText = (s: number) => (s >= 120 ? `${+(s / 60).toFixed(1)} min` : `${s} s`);

export function freshRuleState(rule: Rule): RuleState {
  return { active: false, key: ruleKey(rule), clauses: rule.clauses.map(() => ({ on: false, since: null })) };
}

export const ruleKey = (r: Rule) => JSON.stringify([r.match, r.clauses]);

/** At most this many points per rate window: the slope needs shape, not every reading. */
const RATE_POINTS = 60;

function stepThreshold(c: Extract<RuleClause, { kind: 'threshold' }>, s: ClauseState, v: number, ts: number): boolean {
  const past = c.op === 'above' ? v > c.value : v < c.value;
  const back = c.op === 'above' ? v <= c.value - c.hysteresis : v >= c.value + c.hysteresis;
  if (!s.on && past) {
    s.on = true;
    s.since = ts;
  } else if (s.on && back) {
    s.on = false;
    s.since = null;
  }
  return s.on && s.since !== null && ts - s.since >= c.forS * 1000;
}

function stepRate(c: Extract<RuleClause, { kind: 'rate' }>, s: ClauseState, v: number, ts: number): boolean {
  const pts = (s.pts ??= []);
  const windowMs = c.windowS * 1000;
  const last = pts[pts.length - 1];
  if (!last || ts - last[0] >= windowMs / RATE_POINTS) {
    pts.push([ts, v]);
    while (pts.length && pts[0][0] < ts - windowMs) pts.shift();
    s.slope = slopePerMin(pts, windowMs);
  }
  const slope = s.slope ?? null;
  if (slope === null) return s.on;
  const signed = c.op === 'rising' ? slope : -slope;
  // Hysteresis on the slope: it must fall to half the rate before the clause lets go.
  if (!s.on && signed > c.perMin) {
    s.on = true;
    s.since = ts;
  } else if (s.on && signed < c.perMin / 2) {
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
  for (const [t, v] of pts) {
    mt += (t - t0) / 60_000;
    mv += v;
  }
  mt /= n;
  mv /= n;
  let sxx = 0;
  let sxy = 0;
  for (const [t, v] of pts) {
    const dt = (t - t0) / 60_000 - mt;
    sxx += dt * dt;
    sxy += dt * (v - mv);
  }
  return sxx > 0 ? sxy / sxx : null;
}

/**
 * Drops the state of rules that were edited or removed (they start afresh) and returns each rule's state, in
 * the rules' order; call whenever the rules change, and pass the result to `stepRules`.
 */
export function prepareRuleStates(rules: readonly Rule[], state: MotorRuleState): RuleState[] {
  const byId = new Map(rules.map((r) => [r.id, r]));
  for (const [id, rs] of Object.entries(state.rules)) {
    const r = byId.get(id);
    if (!r || rs.key !== ruleKey(r)) delete state.rules[id];
  }
  return rules.map((r) => (state.rules[r.id] ??= freshRuleState(r)));
}

/**
 * Steps every rule with one reading and returns the rules that changed state. A missing or null value leaves
 * its clause as it was: a sensor that dropped out neither raises nor clears an alarm.
 */
export function stepRules(rules: readonly Rule[], state: MotorRuleState, readings: ReadingMap, ts: number, states = prepareRuleStates(rules, state)): RuleVerdict[] {
  if (ts <= state.lastTs) return NO_CHANGE;
  state.lastTs = ts;
  let out: RuleVerdict[] | null = null;
  for (let k = 0; k < rules.length; k++) {
    const rule = rules[k];
    if (!rule.enabled) continue;
    const rs = states[k];
    let all = true;
    let any = false;
    // Messages are only for rules that change: the quiet majority of readings builds no strings.
    let parts: string[] | null = null;
    for (let i = 0; i < rule.clauses.length; i++) {
      const c = rule.clauses[i];
      const s = rs.clauses[i];
      const v = signalValue(c.signal, readings);
      let holds: boolean;
      if (v === null || !Number.isFinite(v)) holds = c.kind === 'threshold' ? s.on && s.since !== null && ts - s.since >= c.forS * 1000 : s.on;
      else holds = c.kind === 'threshold' ? stepThreshold(c, s, v, ts) : stepRate(c, s, v, ts);
      all &&= holds;
      any ||= holds;
      if (holds && !rs.active) (parts ??= []).push(c.kind === 'rate' && s.slope != null ? `${describeClause(c)} (${s.slope.toFixed(2)}/min)` : v === null ? describeClause(c) : `${describeClause(c)} (${fmt(c.signal, v)})`);
    }
    const active = rule.match === 'all' ? all : any;
    if (active === rs.active) continue;
    rs.active = active;
    (out ??= []).push({ rule, active, message: active ? `${rule.name}: ${(parts ?? []).join(rule.match === 'all' ? ' and ' : ', ')}` : `${rule.name}: back to normal` });
  }
  return out ?? NO_CHANGE;
}

const NO_CHANGE: RuleVerdict[] = [];
