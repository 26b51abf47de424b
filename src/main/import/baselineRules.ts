import type { Rule } from '../../shared/healthContract';
import type { ReadingName } from '../../shared/readings';
import type { Nameplate } from '../../shared/twin';
import { zoneLimits } from '../vibration/iso20816';
import type { BaselineStats } from './storeImport';

// Alarm levels for an imported vibration channel, from its own baseline. A trend export from another
// collector often measures something else than the board does (the NASA IMS files hold the mean absolute
// acceleration of a snapshot, not the board's RMS), so the fixed 0.05 g mechanical-fault level means nothing
// for it; the machine's own first hours do.
//
// ISO 20816-1 (and 10816-1 before it) puts ALERT at the baseline plus 25 % of the zone B/C boundary. A velocity
// channel gets exactly that, with the boundary for the nameplate's group and foundation. An acceleration
// channel has no zone table, so the boundary is taken at the baseline itself (a machine running at the
// top of zone B): ALERT at 1.25 x baseline, the smallest ratio the ISO rule ever gives. DANGER, for the
// MECHANICAL_FAULT condition, at twice the baseline: +6 dB, the step condition-monitoring practice treats as
// a significant change of an overall level. Neither may lie inside the baseline's own scatter (median + 6 and
// 12 robust sigma), and each must hold for half an hour: one snapshot is not a trend.

/** The readings an import derives alarm levels for from their own baseline. */
export const VIBRATION_READINGS: readonly ReadingName[] = ['vibration', 'vib_velocity', 'vib_peak', 'vib_x', 'vib_y', 'vib_z'];
/** Fewest baseline readings to derive levels from (an hour of 5-minute points). */
const MIN_BASELINE_READINGS = 12;
const HOLD_S = 1800;
const ALERT_RATIO = 1.25;
const DANGER_RATIO = 2;

export interface DerivedLevels {
  reading: ReadingName;
  alert: number;
  danger: number | null;
  rules: Rule[];
}

const round = (v: number) => Number(v.toPrecision(4));

export function levelsFromBaseline(b: BaselineStats, nameplate: Nameplate): DerivedLevels | null {
  if (!VIBRATION_READINGS.includes(b.reading) || b.readings < MIN_BASELINE_READINGS || !(b.median > 0)) return null;
  const iso = b.reading === 'vib_velocity' ? zoneLimits(nameplate.isoGroup ?? 2, nameplate.foundation ?? 'rigid') : null;
  const alert = round(Math.max(iso ? b.median + 0.25 * iso.bc : ALERT_RATIO * b.median, b.median + 6 * b.spread));
  const basis = iso ? `baseline ${round(b.median)} + 25 % of the zone B/C boundary ${iso.bc}` : `${ALERT_RATIO} x baseline ${round(b.median)}`;
  const rules: Rule[] = [
    {
      id: `${b.reading}_alert`,
      name: `${b.reading} above its ALERT level (${basis})`,
      condition: `${b.reading.toUpperCase()}_ALERT`,
      severity: 'minor',
      match: 'all',
      enabled: true,
      clauses: [{ kind: 'threshold', signal: b.reading, op: 'above', value: alert, hysteresis: round(0.05 * alert), forS: HOLD_S }],
    },
  ];
  // The acceleration level's danger is the mechanical-fault condition (remaining life projects to it too).
  const danger = b.reading === 'vibration' ? round(Math.max(DANGER_RATIO * b.median, b.median + 12 * b.spread)) : null;
  if (danger !== null) {
    rules.push({
      id: 'mechanical_fault',
      name: `Mechanical fault: vibration at ${DANGER_RATIO} x its baseline ${round(b.median)}`,
      condition: 'MECHANICAL_FAULT',
      severity: 'major',
      match: 'all',
      enabled: true,
      clauses: [{ kind: 'threshold', signal: 'vibration', op: 'above', value: danger, hysteresis: round(0.05 * danger), forS: HOLD_S }],
    });
  }
  return { reading: b.reading, alert, danger, rules };
}
