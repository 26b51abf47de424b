import type { Rule } from '../../shared/healthContract';
import type { Nameplate } from '../../shared/twin';
import { zoneLimits } from '../vibration/iso20816';

// The rules every motor starts with. The original design's two (temperature above 80 C gives OVERHEATING,
// vibration above 0.05 g gives MECHANICAL_FAULT) always; the others follow from what the nameplate says.

/** Allowed temperature rise by resistance at 40 C ambient (IEC 60034-1), K. */
export const ALLOWED_RISE_K = { A: 60, B: 80, F: 105, H: 125 } as const;
/** A frame-surface sensor reads well below the winding hot spot: judge its rise with this margin. */
export const FRAME_MARGIN_K = 15;

export function defaultRules(n: Nameplate): Rule[] {
  const rules: Rule[] = [
    {
      id: 'overheating',
      name: 'Overheating',
      condition: 'OVERHEATING',
      severity: 'critical',
      match: 'all',
      enabled: true,
      clauses: [{ kind: 'threshold', signal: 'temperature', op: 'above', value: 80, hysteresis: 2, forS: 0 }],
    },
    {
      id: 'mechanical_fault',
      name: 'Mechanical fault',
      condition: 'MECHANICAL_FAULT',
      severity: 'major',
      match: 'all',
      enabled: true,
      clauses: [{ kind: 'threshold', signal: 'vibration', op: 'above', value: 0.05, hysteresis: 0.005, forS: 0 }],
    },
    {
      id: 'temperature_rising',
      name: 'Temperature rising fast',
      condition: 'TEMPERATURE_RISING',
      severity: 'warning',
      match: 'all',
      enabled: true,
      clauses: [{ kind: 'rate', signal: 'temperature', op: 'rising', perMin: 2, windowS: 120 }],
    },
  ];
  const zones = zoneLimits(n.isoGroup ?? 2, n.foundation ?? 'rigid');
  rules.push({
    id: 'vibration_zone_d',
    name: `Vibration in ISO 20816-3 zone D (group ${n.isoGroup ?? 2}, ${n.foundation ?? 'rigid'})`,
    condition: 'VIBRATION_ZONE_D',
    // Zone D is "severe enough to cause damage": the assessment's danger, so critical.
    severity: 'critical',
    match: 'all',
    enabled: true,
    clauses: [{ kind: 'threshold', signal: 'vib_velocity', op: 'above', value: zones.cd, hysteresis: 0.1 * zones.cd, forS: 60 }],
  });
  if (n.insulationClass) {
    const rise = ALLOWED_RISE_K[n.insulationClass] - FRAME_MARGIN_K;
    rules.push({
      id: 'insulation_rise',
      name: `Temperature rise near the class ${n.insulationClass} limit`,
      condition: 'INSULATION_OVERTEMPERATURE',
      severity: 'major',
      match: 'all',
      enabled: true,
      clauses: [{ kind: 'threshold', signal: 'temperature_rise', op: 'above', value: rise, hysteresis: 3, forS: 120 }],
    });
  }
  if (n.ratedRpm && n.ratedCurrent) {
    // Slow and drawing current: stalled or overloaded, not merely stopped.
    rules.push({
      id: 'stall',
      name: 'Stalled or overloaded',
      condition: 'STALL',
      severity: 'major',
      match: 'all',
      enabled: true,
      clauses: [
        { kind: 'threshold', signal: 'rpm', op: 'below', value: Math.round(0.9 * n.ratedRpm), hysteresis: 0.02 * n.ratedRpm, forS: 10 },
        { kind: 'threshold', signal: 'current', op: 'above', value: +(0.5 * n.ratedCurrent).toFixed(1), hysteresis: 0.05 * n.ratedCurrent, forS: 10 },
      ],
    });
  }
  return rules;
}

export type RuleOrigin = 'default' | 'model' | 'motor';

/** Defaults, overridden by id by the motor model's rules, then by the motor's own. */
export function resolveRules(defaults: Rule[], model: Rule[], motor: Rule[]): Array<Rule & { origin: RuleOrigin }> {
  const byId = new Map<string, Rule & { origin: RuleOrigin }>();
  for (const r of defaults) byId.set(r.id, { ...r, origin: 'default' });
  for (const r of model) byId.set(r.id, { ...r, origin: 'model' });
  for (const r of motor) byId.set(r.id, { ...r, origin: 'motor' });
  return [...byId.values()];
}
