import { READING_NAMES, READINGS, type ReadingName } from '../../shared/readings';
import type { Limits, ReadingMap, StatusReason, TwinStatus } from '../../shared/twin';

/**
 * A seam for whatever judges a twin: today the limits below; the rules engine, health index and anomaly
 * detection plug in here as further evaluators.
 */
export interface TwinEvaluator {
  name: string;
  evaluate(input: { id: string; readings: ReadingMap; limits: Limits; ts: number }): StatusReason[];
}

const fmt = (name: ReadingName, v: number) => `${v.toFixed(READINGS[name].digits)} ${READINGS[name].unit}`;
const LOWER_LABELS = Object.fromEntries(READING_NAMES.map((n) => [n, READINGS[n].label.toLowerCase()])) as Record<ReadingName, string>;
/**
 * A reading beyond its limit is judged on every message: the limit's words are kept (limits are few and rarely
 * change), found by reading and number rather than by a key string built for every message.
 */
const limitTexts = new Map<ReadingName, Map<number, string>>();
let limitTextCount = 0;
const limitText = (name: ReadingName, limit: number): string => {
  let byLimit = limitTexts.get(name);
  if (byLimit === undefined) limitTexts.set(name, (byLimit = new Map()));
  let text = byLimit.get(limit);
  if (text === undefined) {
    if (limitTextCount >= 1000) {
      for (const m of limitTexts.values()) m.clear();
      limitTextCount = 0;
    }
    byLimit.set(limit, (text = fmt(name, limit)));
    limitTextCount++;
  }
  return text;
};

export const limitsEvaluator: TwinEvaluator = {
  name: 'limits',
  evaluate({ readings, limits }) {
    const reasons: StatusReason[] = [];
    // Runs for every message: no entries array, and a reason's words only once a limit is crossed.
    for (const key in limits) {
      const name = key as ReadingName;
      const limit = limits[name];
      const v = readings[name];
      if (v === null || v === undefined || !limit) continue;
      if (limit.alarmAbove !== null && v > limit.alarmAbove) reasons.push(crossed('alarm', name, v, 'above', limit.alarmAbove));
      else if (limit.warnAbove !== null && v > limit.warnAbove) reasons.push(crossed('warning', name, v, 'above', limit.warnAbove));
      if (limit.alarmBelow !== null && v < limit.alarmBelow) reasons.push(crossed('alarm', name, v, 'below', limit.alarmBelow));
      else if (limit.warnBelow !== null && v < limit.warnBelow) reasons.push(crossed('warning', name, v, 'below', limit.warnBelow));
    }
    return reasons;
  },
};

function crossed(level: 'alarm' | 'warning', name: ReadingName, v: number, side: 'above' | 'below', limit: number): StatusReason {
  return { level, reading: name, text: `${LOWER_LABELS[name]} ${fmt(name, v)} ${side} ${level} limit ${limitText(name, limit)}` };
}

export function statusFrom(reasons: StatusReason[], hasReadings: boolean): TwinStatus {
  // One plain pass: this runs twice for every message.
  let warning = false;
  for (let i = 0; i < reasons.length; i++) {
    const level = reasons[i].level;
    if (level === 'alarm') return 'alarm';
    if (level === 'warning') warning = true;
  }
  if (warning) return 'warning';
  return hasReadings ? 'ok' : 'unknown';
}
