import type { ResultOf } from '../../../shared/contract';
import type { Rule } from '../../../shared/healthContract';
import { withRule, type RuleScope } from './ruleDraft';

// What a change on the motor page does to the rule sets: the engine keeps one set per motor and one per
// motor model over the nameplate defaults, and `rules.set` replaces one set as a whole.

export type RulesView = ResultOf<'rules.get'>;
export type ResolvedRule = RulesView['rules'][number];
export interface SetChange {
  scope: RuleScope;
  rules: Rule[];
}

export const setOf = (view: RulesView, scope: RuleScope): Rule[] => (scope === 'motor' ? view.motorRules : view.modelRules);

/** The rule without what the engine adds when it reports it. */
export function plainRule(r: ResolvedRule): Rule {
  const { origin: _origin, active: _active, ...rule } = r;
  return rule;
}

/** What the rule falls back to when its override goes: the model's version, or the nameplate default. */
export function underlying(view: RulesView, r: ResolvedRule): { rule: Rule; origin: 'model' | 'default' } | null {
  const model = r.origin === 'motor' ? view.modelRules.find((x) => x.id === r.id) : undefined;
  if (model) return { rule: model, origin: 'model' };
  const fallback = r.origin === 'default' ? undefined : view.defaults.find((x) => x.id === r.id);
  return fallback ? { rule: fallback, origin: 'default' } : null;
}

/** Enabling or disabling from the motor page is for this motor: its own version of the rule. */
export function toggled(view: RulesView, r: ResolvedRule): SetChange {
  return { scope: 'motor', rules: withRule(view.motorRules, { ...plainRule(r), enabled: !r.enabled }) };
}

/** Removes the motor's or the model's version; a default cannot be removed, only disabled. */
export function removed(view: RulesView, r: ResolvedRule): SetChange | null {
  if (r.origin === 'default') return null;
  return { scope: r.origin, rules: setOf(view, r.origin).filter((x) => x.id !== r.id) };
}
