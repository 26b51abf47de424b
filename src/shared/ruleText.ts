import { READINGS, type ReadingInfo, type ReadingName } from './readings';
import type { Rule, RuleClause, Signal } from './healthContract';

// Rules in words: the engine's alarm messages and the rules editor say them the same way.

const TEMPERATURE_RISE: ReadingInfo = { label: 'Temperature rise over ambient', unit: 'K', digits: 1 };

export const signalInfo = (s: Signal): ReadingInfo => (s === 'temperature_rise' ? TEMPERATURE_RISE : READINGS[s as ReadingName]);

export const formatSignal = (s: Signal, v: number) => `${v.toFixed(signalInfo(s).digits)} ${signalInfo(s).unit}`;

export const durationText = (s: number) => (s >= 120 ? `${+(s / 60).toFixed(1)} min` : `${s} s`);

export function describeClause(c: RuleClause): string {
  const label = signalInfo(c.signal).label.toLowerCase();
  if (c.kind === 'threshold') return `${label} ${c.op} ${formatSignal(c.signal, c.value)}${c.forS ? ` for ${durationText(c.forS)}` : ''}`;
  return `${label} ${c.op} faster than ${c.perMin} ${signalInfo(c.signal).unit}/min`;
}

export function describeRule(r: Rule): string {
  return r.clauses.map(describeClause).join(r.match === 'all' ? ' and ' : ' or ');
}
