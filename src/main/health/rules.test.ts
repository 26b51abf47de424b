import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ruleSchema, type Rule } from '../../shared/healthContract';
import { nameplateSchema } from '../../shared/twin';
import { defaultRules, resolveRules } from './ruleDefaults';
import { motorRuleStateSchema, stepRules as stepChanged, type MotorRuleState } from './rules';

/** Every rule's state after a reading, and the message of those that changed. */
const stepRules = (rules: Rule[], st: MotorRuleState, readings: Parameters<typeof stepChanged>[2], ts: number) => {
  const changed = stepChanged(rules, st, readings, ts);
  return rules.map((r) => ({ active: st.rules[r.id]?.active ?? false, changed: changed.some((c) => c.rule === r), message: changed.find((c) => c.rule === r)?.message ?? '' }));
};

const rule = (r: Partial<z.input<typeof ruleSchema>> & Pick<z.input<typeof ruleSchema>, 'clauses'>): Rule => ruleSchema.parse({ id: 'r', name: 'R', condition: 'R', severity: 'major', ...r });
const fresh = (): MotorRuleState => ({ lastTs: 0, rules: {} });
const S = 1000;

describe('rules', () => {
  it('latches a threshold with hysteresis, so a value dithering at the limit does not chatter', () => {
    const r = rule({ clauses: [{ kind: 'threshold', signal: 'temperature', op: 'above', value: 80, hysteresis: 2 }] });
    const st = fresh();
    const seq = [79, 81, 79.5, 80.5, 78.5, 77.9, 80.1];
    const active = seq.map((t, i) => stepRules([r], st, { temperature: t }, (i + 1) * S)[0].active);
    expect(active).toEqual([false, true, true, true, true, false, true]);
  });

  it('needs a duration: above 80 C for 2 min', () => {
    const r = rule({ clauses: [{ kind: 'threshold', signal: 'temperature', op: 'above', value: 80, forS: 120 }] });
    const st = fresh();
    expect(stepRules([r], st, { temperature: 85 }, 1 * S)[0].active).toBe(false);
    expect(stepRules([r], st, { temperature: 85 }, 100 * S)[0].active).toBe(false);
    const v = stepRules([r], st, { temperature: 85 }, 121 * S)[0];
    expect(v).toMatchObject({ active: true, changed: true });
    expect(v.message).toMatch(/frame temperature above 80.0 °C for 2 min \(85.0 °C\)/);
  });

  it('sees a rate of change: rising faster than 2 C/min, and lets go when it slows', () => {
    const r = rule({ clauses: [{ kind: 'rate', signal: 'temperature', op: 'rising', perMin: 2, windowS: 60 }] });
    const st = fresh();
    let active = false;
    for (let s = 0; s <= 90; s += 2) active = stepRules([r], st, { temperature: 50 + (3 * s) / 60 }, s * S + 1)[0].active;
    expect(active).toBe(true);
    for (let s = 92; s <= 240; s += 2) active = stepRules([r], st, { temperature: 54.5 + (0.5 * (s - 90)) / 60 }, s * S + 1)[0].active;
    expect(active).toBe(false);
  });

  it('combines clauses (all / any) and a derived signal, temperature rise over ambient', () => {
    const both = rule({
      clauses: [
        { kind: 'threshold', signal: 'temperature_rise', op: 'above', value: 50 },
        { kind: 'threshold', signal: 'vibration', op: 'above', value: 0.03 },
      ],
    });
    const either: Rule = { ...both, id: 'any', match: 'any' };
    const st = fresh();
    const v1 = stepRules([both, either], st, { temperature: 80, ambient: 25, vibration: 0.02 }, S);
    expect(v1.map((v) => v.active)).toEqual([false, true]);
    const v2 = stepRules([both, either], st, { temperature: 80, ambient: 25, vibration: 0.04 }, 2 * S);
    expect(v2.map((v) => v.active)).toEqual([true, true]);
  });

  it('a missing or null reading neither raises nor clears; an old reading does not step', () => {
    const r = rule({ clauses: [{ kind: 'threshold', signal: 'temperature', op: 'above', value: 80 }] });
    const st = fresh();
    expect(stepRules([r], st, { temperature: 90 }, S)[0].active).toBe(true);
    expect(stepRules([r], st, { temperature: null }, 2 * S)[0].active).toBe(true);
    expect(stepRules([r], st, { vibration: 0.01 }, 3 * S)[0].active).toBe(true);
    expect(stepRules([r], st, { temperature: 20 }, 2 * S)[0].changed).toBe(false);
  });

  it('its state is plain JSON that survives a restart mid-duration', () => {
    const r = rule({ clauses: [{ kind: 'threshold', signal: 'temperature', op: 'above', value: 80, forS: 60 }] });
    const st = fresh();
    stepRules([r], st, { temperature: 85 }, 1 * S);
    const restored = motorRuleStateSchema.parse(JSON.parse(JSON.stringify(st)));
    expect(stepRules([r], restored, { temperature: 85 }, 62 * S)[0].active).toBe(true);
  });

  it('defaults: the original two rules always, more from the nameplate; motor rules override model rules by id', () => {
    const plain = defaultRules(nameplateSchema.parse({}));
    expect(plain.find((r) => r.condition === 'OVERHEATING')?.clauses[0]).toMatchObject({ signal: 'temperature', op: 'above', value: 80 });
    expect(plain.find((r) => r.condition === 'MECHANICAL_FAULT')?.clauses[0]).toMatchObject({ signal: 'vibration', op: 'above', value: 0.05 });
    expect(plain.some((r) => r.condition === 'STALL')).toBe(false);
    const rich = defaultRules(nameplateSchema.parse({ insulationClass: 'F', ratedRpm: 1480, ratedCurrent: 14.5, isoGroup: 1, foundation: 'flexible' }));
    expect(rich.find((r) => r.id === 'insulation_rise')?.clauses[0]).toMatchObject({ signal: 'temperature_rise', value: 90 });
    expect(rich.find((r) => r.id === 'vibration_zone_d')?.clauses[0]).toMatchObject({ value: 11 });
    expect(rich.find((r) => r.id === 'stall')?.clauses).toHaveLength(2);
    const model = [{ ...plain[0], clauses: [{ kind: 'threshold' as const, signal: 'temperature' as const, op: 'above' as const, value: 90, hysteresis: 2, forS: 0 }] }];
    const motor = [{ ...plain[1], enabled: false }];
    const resolved = resolveRules(plain, model, motor);
    expect(resolved.find((r) => r.id === 'overheating')).toMatchObject({ origin: 'model' });
    expect(resolved.find((r) => r.id === 'mechanical_fault')).toMatchObject({ origin: 'motor', enabled: false });
  });

  it('rejects rules that make no sense at the boundary', () => {
    expect(ruleSchema.safeParse({ id: 'x', name: 'x', condition: 'X', severity: 'major', clauses: [] }).success).toBe(false);
    expect(ruleSchema.safeParse({ id: 'x', name: 'x', condition: 'X', severity: 'fatal', clauses: [{ kind: 'threshold', signal: 'temperature', op: 'above', value: 1 }] }).success).toBe(false);
    expect(ruleSchema.safeParse({ id: 'x', name: 'x', condition: 'X', severity: 'major', clauses: [{ kind: 'rate', signal: 'nope', op: 'rising', perMin: 1 }] }).success).toBe(false);
  });
});
