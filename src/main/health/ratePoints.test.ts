import { describe, expect, it } from 'vitest';
import type { Rule } from '../../shared/healthContract';
import { RatePoints } from './ratePoints';
import { motorRuleStateSchema, planRules, readSignals, signalVector, stepRuleSignals, syncRuleState, type MotorRuleState } from './rules';

const fit = (pts: [number, number][]) => {
  const t0 = pts[0][0];
  const n = pts.length;
  const mt = pts.reduce((s, p) => s + (p[0] - t0) / 60_000, 0) / n;
  const mv = pts.reduce((s, p) => s + p[1], 0) / n;
  const sxy = pts.reduce((s, p) => s + ((p[0] - t0) / 60_000 - mt) * (p[1] - mv), 0);
  const sxx = pts.reduce((s, p) => s + ((p[0] - t0) / 60_000 - mt) ** 2, 0);
  return sxy / sxx;
};

describe('a rate clause’s points', () => {
  it('keep their order through the ring’s wrap and growth, and fit the least-squares slope', () => {
    const p = new RatePoints();
    const kept: [number, number][] = [];
    for (let i = 0; i < 500; i++) {
      const point: [number, number] = [i * 1000, 20 + 0.05 * i + Math.sin(i)];
      p.push(...point);
      kept.push(point);
      // Up to 100 points in the window at first, then 40: the ring grows past 64, then wraps.
      const from = i * 1000 - (i < 200 ? 99_000 : 39_000);
      p.dropBefore(from);
      while (kept[0][0] < from) kept.shift();
    }
    expect(p.pairs()).toEqual(kept);
    expect(p.slopePerMin(40_000)).toBeCloseTo(fit(kept), 9);
    expect(p.slopePerMin(200_000)).toBeNaN();
  });

  it('reach the stored state, so a restart mid-window judges as if none had happened', () => {
    const rule: Rule = { id: 'r', name: 'Rising', condition: 'TEMPERATURE_RISING', severity: 'warning', match: 'all', enabled: true, clauses: [{ kind: 'rate', signal: 'temperature', op: 'rising', perMin: 2, windowS: 60 }] };
    const run = (restartAt: number | null) => {
      let state: MotorRuleState = { lastTs: 0, rules: {} };
      let plan = planRules([rule], state);
      const v = signalVector();
      const active: boolean[] = [];
      for (let s = 0; s < 300; s++) {
        if (s === restartAt) {
          syncRuleState(plan);
          state = motorRuleStateSchema.parse(JSON.parse(JSON.stringify(state)));
          plan = planRules([rule], state);
        }
        stepRuleSignals(plan, state, readSignals({ temperature: 50 + (s < 150 ? 3 * s : 450 + 0.5 * (s - 150)) / 60 }, v), s * 1000 + 1);
        active.push(state.rules.r.active);
      }
      syncRuleState(plan);
      return { active, state };
    };
    const straight = run(null);
    expect(straight.active).toContain(true);
    expect(straight.active.at(-1)).toBe(false);
    expect(straight.state.rules.r.clauses[0].pts!.length).toBeGreaterThan(20);
    for (const at of [40, 100, 170]) expect(run(at)).toEqual(straight);
  });
});
