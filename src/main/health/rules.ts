import { z } from 'zod';
import { describeClause, formatSignal as fmt } from '../../shared/ruleText';
import { SIGNALS, type Rule, type RuleClause } from '../../shared/healthContract';
import { READING_NAMES } from '../../shared/readings';
import { RatePoints } from './ratePoints';
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

// A reading as the rules see it: one number per signal, by its index in SIGNALS, NaN where it is missing. A rule
// reads its signal by index (no lookup by name), and temperature_rise is worked out once per reading.
export const SIGNAL_COUNT = SIGNALS.length;
const TEMPERATURE = SIGNALS.indexOf('temperature');
const AMBIENT = SIGNALS.indexOf('ambient');
const RISE = SIGNALS.indexOf('temperature_rise');

/** A vector for `readSignals`, every signal missing. */
export const signalVector = () => new Float64Array(SIGNAL_COUNT).fill(NaN);

/** Fills `into` from a reading map (null or absent is NaN), temperature_rise included. */
export function readSignals(readings: ReadingMap, into: Float64Array): Float64Array {
  for (let i = 0; i < READING_NAMES.length; i++) {
    const v = readings[READING_NAMES[i]];
    into[i] = v === null || v === undefined ? NaN : v;
  }
  return withRise(into);
}

/** Works out temperature_rise from the vector's temperature and ambient (NaN when either is missing). */
export function withRise(v: Float64Array): Float64Array {
  v[RISE] = v[TEMPERATURE] - v[AMBIENT];
  return v;
}

// A plan lays every enabled rule out in one block of numbers: per rule a header, then per clause its limits
// (worked out once, when the rules change) beside its state. A reading is one pass over adjacent memory; the
// JSON state, which is stored and survives a restart, is written only when a clause or rule changes.
const RULE_COUNT = 0;
const RULE_ALL = 1;
const RULE_ACTIVE = 2;
const RULE_WIDTH = 3;
const C_SIGNAL = 0;
const C_RATE = 1;
/** Threshold above, or rate rising. */
const C_UP = 2;
/** The threshold, or the rate per minute. */
const C_LIMIT = 3;
/** Where a latched clause lets go: the threshold less its hysteresis, or half the rate. */
const C_RELEASE = 4;
const C_FOR_MS = 5;
const C_WINDOW_MS = 6;
const C_ON = 7;
/** NaN while not latched. */
const C_SINCE = 8;
/** NaN until the points span enough of the window. */
const C_SLOPE = 9;
/** Time of the last rate point kept, NaN before the first. */
const C_LAST_POINT = 10;
const CLAUSE_WIDTH = 11;

interface PlannedRule {
  rule: Rule;
  state: RuleState;
}

/** A motor's enabled rules with their state, compiled for stepping; make one whenever the rules change. */
export interface RulePlan {
  block: Float64Array;
  rules: PlannedRule[];
  /** Every planned clause in block order, with its JSON state and, for a rate clause, its points (which the
   * JSON state gets from `syncRuleState`; the rest of it is kept current). */
  clauses: Array<{ clause: RuleClause; state: ClauseState; at: number; points: RatePoints | null }>;
}

const orNaN = (v: number | null | undefined) => (v === null || v === undefined ? NaN : v);

function layClause(b: Float64Array, at: number, c: RuleClause, s: ClauseState): void {
  b[at + C_SIGNAL] = SIGNALS.indexOf(c.signal);
  if (c.kind === 'threshold') {
    const up = c.op === 'above';
    b[at + C_UP] = up ? 1 : 0;
    b[at + C_LIMIT] = c.value;
    b[at + C_RELEASE] = up ? c.value - c.hysteresis : c.value + c.hysteresis;
    b[at + C_FOR_MS] = c.forS * 1000;
  } else {
    b[at + C_RATE] = 1;
    b[at + C_UP] = c.op === 'rising' ? 1 : 0;
    b[at + C_LIMIT] = c.perMin;
    b[at + C_RELEASE] = c.perMin / 2;
    b[at + C_WINDOW_MS] = c.windowS * 1000;
  }
  b[at + C_ON] = s.on ? 1 : 0;
  b[at + C_SINCE] = orNaN(s.since);
  b[at + C_SLOPE] = orNaN(s.slope);
  b[at + C_LAST_POINT] = s.pts?.length ? s.pts[s.pts.length - 1][0] : NaN;
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
  const planned: PlannedRule[] = [];
  for (const rule of rules) {
    const rs = (state.rules[rule.id] ??= freshRuleState(rule));
    if (rule.enabled) planned.push({ rule, state: rs });
  }
  const block = new Float64Array(planned.reduce((n, p) => n + RULE_WIDTH + CLAUSE_WIDTH * p.rule.clauses.length, 0));
  const clauses: RulePlan['clauses'] = [];
  let at = 0;
  for (const p of planned) {
    block[at + RULE_COUNT] = p.rule.clauses.length;
    block[at + RULE_ALL] = p.rule.match === 'all' ? 1 : 0;
    block[at + RULE_ACTIVE] = p.state.active ? 1 : 0;
    at += RULE_WIDTH;
    p.rule.clauses.forEach((c, i) => {
      layClause(block, at, c, p.state.clauses[i]);
      const s = p.state.clauses[i];
      clauses.push({ clause: c, state: s, at, points: c.kind === 'rate' ? new RatePoints(s.pts) : null });
      at += CLAUSE_WIDTH;
    });
  }
  return { block, rules: planned, clauses };
}

function latch(b: Float64Array, at: number, s: ClauseState, on: boolean, ts: number): void {
  b[at + C_ON] = on ? 1 : 0;
  b[at + C_SINCE] = on ? ts : NaN;
  s.on = on;
  s.since = on ? ts : null;
}

function stepThreshold(b: Float64Array, at: number, s: ClauseState, v: number, ts: number): boolean {
  const up = b[at + C_UP] === 1;
  if (b[at + C_ON] === 0) {
    if (up ? v > b[at + C_LIMIT] : v < b[at + C_LIMIT]) latch(b, at, s, true, ts);
  } else if (up ? v <= b[at + C_RELEASE] : v >= b[at + C_RELEASE]) latch(b, at, s, false, ts);
  return b[at + C_ON] === 1 && ts - b[at + C_SINCE] >= b[at + C_FOR_MS];
}

function stepRate(b: Float64Array, at: number, s: ClauseState, points: RatePoints, v: number, ts: number): boolean {
  const windowMs = b[at + C_WINDOW_MS];
  // NaN (no point yet) compares false: the first reading is kept.
  if (!(ts - b[at + C_LAST_POINT] < windowMs / RATE_POINTS)) {
    points.push(ts, v);
    points.dropBefore(ts - windowMs);
    b[at + C_SLOPE] = points.slopePerMin(windowMs);
    b[at + C_LAST_POINT] = ts;
  }
  const slope = b[at + C_SLOPE];
  if (slope !== slope) return b[at + C_ON] === 1;
  const signed = b[at + C_UP] === 1 ? slope : -slope;
  // Hysteresis on the slope: it must fall to half the rate before the clause lets go.
  if (b[at + C_ON] === 0 && signed > b[at + C_LIMIT]) latch(b, at, s, true, ts);
  else if (b[at + C_ON] === 1 && signed < b[at + C_RELEASE]) latch(b, at, s, false, ts);
  return b[at + C_ON] === 1;
}

/** Writes the rate clauses' points and slopes into the plan's JSON state: call before it is stored or planned again. */
export function syncRuleState(plan: RulePlan): void {
  for (const { state, at, points } of plan.clauses) {
    if (!points?.count) continue;
    state.pts = points.pairs();
    const slope = plan.block[at + C_SLOPE];
    state.slope = slope === slope ? slope : null;
  }
}

/**
 * Steps every rule with one reading and returns the rules that changed state. A missing or null value leaves
 * its clause as it was: a sensor that dropped out neither raises nor clears an alarm.
 */
export function stepRules(rules: readonly Rule[], state: MotorRuleState, readings: ReadingMap, ts: number, plan = planRules(rules, state)): RuleVerdict[] {
  const changed = stepRuleSignals(plan, state, readSignals(readings, SCRATCH), ts);
  syncRuleState(plan);
  return changed;
}

const SCRATCH = signalVector();

/** `stepRules` over a reading as a signal vector (see `readSignals`); the vector is only read. */
export function stepRuleSignals(plan: RulePlan, state: MotorRuleState, values: Float64Array, ts: number): RuleVerdict[] {
  if (ts <= state.lastTs) return NO_CHANGE;
  state.lastTs = ts;
  const b = plan.block;
  let out: RuleVerdict[] | null = null;
  let at = 0;
  let ci = 0;
  for (let k = 0; k < plan.rules.length; k++) {
    const head = at;
    const n = b[head + RULE_COUNT] | 0;
    at += RULE_WIDTH;
    let all = true;
    let any = false;
    // Which clauses hold, as bits (at most 8 clauses): messages are built only for rules that change.
    let held = 0;
    for (let i = 0; i < n; i++, at += CLAUSE_WIDTH, ci++) {
      const v = values[b[at + C_SIGNAL] | 0];
      const rate = b[at + C_RATE] === 1;
      let holds: boolean;
      // NaN (missing) and infinities are not values.
      if (!(v - v === 0)) holds = b[at + C_ON] === 1 && (rate || ts - b[at + C_SINCE] >= b[at + C_FOR_MS]);
      else holds = rate ? stepRate(b, at, plan.clauses[ci].state, plan.clauses[ci].points!, v, ts) : stepThreshold(b, at, plan.clauses[ci].state, v, ts);
      all &&= holds;
      any ||= holds;
      if (holds) held |= 1 << i;
    }
    const active = b[head + RULE_ALL] === 1 ? all : any;
    if (active === (b[head + RULE_ACTIVE] === 1)) continue;
    b[head + RULE_ACTIVE] = active ? 1 : 0;
    const p = plan.rules[k];
    p.state.active = active;
    (out ??= []).push({ rule: p.rule, active, message: active ? `${p.rule.name}: ${holdingText(plan, ci - n, p.rule, held, values)}` : `${p.rule.name}: back to normal` });
  }
  return out ?? NO_CHANGE;
}

/** Why a rule holds, clause by clause with the values seen: built only for a rule that just became active. */
function holdingText(plan: RulePlan, first: number, rule: Rule, held: number, values: Float64Array): string {
  const parts: string[] = [];
  for (let i = 0; i < rule.clauses.length; i++) {
    if (!(held & (1 << i))) continue;
    const { clause: c, at } = plan.clauses[first + i];
    const v = values[SIGNALS.indexOf(c.signal)];
    const slope = plan.block[at + C_SLOPE];
    parts.push(c.kind === 'rate' && slope === slope ? `${describeClause(c)} (${slope.toFixed(2)}/min)` : v !== v ? describeClause(c) : `${describeClause(c)} (${fmt(c.signal, v)})`);
  }
  return parts.join(rule.match === 'all' ? ' and ' : ', ');
}

const NO_CHANGE: RuleVerdict[] = [];
