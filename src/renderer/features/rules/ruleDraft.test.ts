import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { healthMethods, type Rule } from '../../../shared/healthContract';
import { blankRule, draftFromRule, engineIssues, ruleFromDraft, withRule } from './ruleDraft';

const overheating: Rule = {
  id: 'overheating',
  name: 'Overheating',
  condition: 'OVERHEATING',
  severity: 'critical',
  match: 'all',
  enabled: true,
  clauses: [{ kind: 'threshold', signal: 'temperature', op: 'above', value: 80, hysteresis: 2, forS: 0 }],
};
const params = healthMethods['rules.set'].params;
/** What the engine answers for a refused set: the same schema and the same formatting as serveChannel. */
const refusal = (rules: unknown[]) => {
  const r = params.safeParse({ scope: 'motor', key: 'motor_07', rules });
  if (r.success) throw new Error('expected a refusal');
  return `rules.set: ${z.prettifyError(r.error)}`;
};

describe('rule drafts', () => {
  it('round-trips a rule through the form unchanged', () => {
    const rate: Rule = { ...overheating, id: 'rising', match: 'any', clauses: [...overheating.clauses, { kind: 'rate', signal: 'temperature_rise', op: 'rising', perMin: 2, windowS: 90 }] };
    expect(ruleFromDraft(draftFromRule(rate))).toEqual(rate);
    expect(params.safeParse({ scope: 'motor', key: 'm', rules: [ruleFromDraft(draftFromRule(rate))] }).success).toBe(true);
  });

  it('sends what was typed, so the engine judges it: text that is not a number stays text', () => {
    const d = draftFromRule(overheating);
    d.clauses[0].value = '7O';
    d.clauses[0].hysteresis = '-1';
    const sent = ruleFromDraft(d);
    expect(sent.clauses[0]).toMatchObject({ value: '7O', hysteresis: -1 });
  });

  it("puts each of the engine's reasons beside the field it is about", () => {
    const d = draftFromRule(overheating);
    d.clauses[0].hysteresis = '-1';
    d.condition = 'too hot';
    const message = refusal([{ ...overheating, id: 'other' }, ruleFromDraft(d)]);
    const issues = engineIssues(message, 1);
    expect(issues.fields['clauses.0.hysteresis']).toMatch(/>=0/);
    expect(issues.fields.condition).toMatch(/upper-case/);
    expect(issues.other).toEqual([]);
  });

  it('keeps reasons about other rules of the set, and a duplicate id, apart or on the id', () => {
    const broken = { ...overheating, id: 'Bad Id' };
    expect(engineIssues(refusal([broken, overheating]), 1).other[0]).toMatch(/rule id: 1-40 lower-case.*\(at rules\[0\]\.id\)/);
    expect(engineIssues(refusal([overheating, overheating]), 1).fields.id).toBe('rule id "overheating" appears twice');
    expect(engineIssues('no motor "x"', 0)).toEqual({ fields: {}, other: ['no motor "x"'] });
  });

  it('replaces a rule by id or adds it', () => {
    const off = { ...overheating, enabled: false };
    expect(withRule([overheating], off)).toEqual([off]);
    expect(withRule([], off)).toEqual([off]);
    expect(blankRule().clauses).toHaveLength(1);
  });
});
