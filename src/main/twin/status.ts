import { READINGS, type ReadingName } from '../../shared/readings';
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

export const limitsEvaluator: TwinEvaluator = {
  name: 'limits',
  evaluate({ readings, limits }) {
    const reasons: StatusReason[] = [];
    for (const [name, limit] of Object.entries(limits) as Array<[ReadingName, NonNullable<Limits[ReadingName]>]>) {
      const v = readings[name];
      if (v === null || v === undefined || !limit) continue;
      const label = READINGS[name].label.toLowerCase();
      if (limit.alarmAbove !== null && v > limit.alarmAbove) reasons.push({ level: 'alarm', reading: name, text: `${label} ${fmt(name, v)} above alarm limit ${fmt(name, limit.alarmAbove)}` });
      else if (limit.warnAbove !== null && v > limit.warnAbove) reasons.push({ level: 'warning', reading: name, text: `${label} ${fmt(name, v)} above warning limit ${fmt(name, limit.warnAbove)}` });
      if (limit.alarmBelow !== null && v < limit.alarmBelow) reasons.push({ level: 'alarm', reading: name, text: `${label} ${fmt(name, v)} below alarm limit ${fmt(name, limit.alarmBelow)}` });
      else if (limit.warnBelow !== null && v < limit.warnBelow) reasons.push({ level: 'warning', reading: name, text: `${label} ${fmt(name, v)} below warning limit ${fmt(name, limit.warnBelow)}` });
    }
    return reasons;
  },
};

export function statusFrom(reasons: StatusReason[], hasReadings: boolean): TwinStatus {
  if (reasons.some((r) => r.level === 'alarm')) return 'alarm';
  if (reasons.some((r) => r.level === 'warning')) return 'warning';
  return hasReadings ? 'ok' : 'unknown';
}
