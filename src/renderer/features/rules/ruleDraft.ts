import type { Rule, RuleClause, Severity, Signal } from '../../../shared/healthContract';

// The rules editor works on drafts: every number as the text the engineer typed, so that what goes to the
// engine is what was entered and the engine's zod schema is the one judge of it. Its refusals come back as
// zod's message with the path of each issue, which is mapped here to the field it is about.

export interface ClauseDraft {
  kind: RuleClause['kind'];
  signal: Signal;
  op: string;
  value: string;
  hysteresis: string;
  forS: string;
  perMin: string;
  windowS: string;
}

export interface RuleDraft {
  id: string;
  name: string;
  condition: string;
  severity: Severity;
  match: 'all' | 'any';
  enabled: boolean;
  clauses: ClauseDraft[];
}

export type RuleScope = 'motor' | 'model';

export function blankClause(kind: RuleClause['kind'], signal: Signal = 'temperature'): ClauseDraft {
  return kind === 'threshold'
    ? { kind, signal, op: 'above', value: '', hysteresis: '0', forS: '0', perMin: '', windowS: '120' }
    : { kind, signal, op: 'rising', value: '', hysteresis: '0', forS: '0', perMin: '', windowS: '120' };
}

export function blankRule(): RuleDraft {
  return { id: '', name: '', condition: '', severity: 'warning', match: 'all', enabled: true, clauses: [blankClause('threshold')] };
}

export function draftFromRule(r: Rule): RuleDraft {
  return {
    id: r.id,
    name: r.name,
    condition: r.condition,
    severity: r.severity,
    match: r.match,
    enabled: r.enabled,
    clauses: r.clauses.map((c) =>
      c.kind === 'threshold'
        ? { ...blankClause('threshold', c.signal), op: c.op, value: String(c.value), hysteresis: String(c.hysteresis), forS: String(c.forS) }
        : { ...blankClause('rate', c.signal), op: c.op, perMin: String(c.perMin), windowS: String(c.windowS) },
    ),
  };
}

/** A number where the text is one; otherwise the text itself, for the engine to refuse with its reason. */
const entered = (text: string): number | string => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text);

/** The rule as entered. Not checked here: the engine validates it and says what is wrong. */
export function ruleFromDraft(d: RuleDraft): Rule {
  const clauses = d.clauses.map((c) =>
    c.kind === 'threshold'
      ? { kind: c.kind, signal: c.signal, op: c.op, value: entered(c.value), hysteresis: entered(c.hysteresis), forS: entered(c.forS) }
      : { kind: c.kind, signal: c.signal, op: c.op, perMin: entered(c.perMin), windowS: entered(c.windowS) },
  );
  return { id: d.id.trim(), name: d.name.trim(), condition: d.condition.trim(), severity: d.severity, match: d.match, enabled: d.enabled, clauses } as Rule;
}

/** The set with `rule` in place of the one with its id, or added at the end. */
export function withRule(set: readonly Rule[], rule: Rule): Rule[] {
  const i = set.findIndex((r) => r.id === rule.id);
  return i < 0 ? [...set, rule] : set.map((r, k) => (k === i ? rule : r));
}

export interface EngineIssues {
  /** Field key ("name", "clauses.0.value", …) to the engine's reason. */
  fields: Record<string, string>;
  /** Reasons that are not about one field of this rule. */
  other: string[];
}

/**
 * Maps the engine's refusal of `rules.set` (zod's pretty error: "✖ reason" lines, each followed by
 * "→ at rules[3].clauses[0].value") to the fields of the rule at `index` of the set that was sent.
 */
export function engineIssues(message: string, index: number): EngineIssues {
  const out: EngineIssues = { fields: {}, other: [] };
  const lines = message.replace(/^[\w.]+: (?=✖)/, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const reason = /^\s*✖ (.*)$/.exec(lines[i])?.[1];
    if (reason === undefined) continue;
    const path = /^\s*→ at (.*)$/.exec(lines[i + 1] ?? '')?.[1];
    const own = path ? new RegExp(`^rules\\[${index}\\]\\.(.+)$`).exec(path) : null;
    if (own) {
      const key = own[1].replace(/\[(\d+)\]/g, '.$1');
      out.fields[key] ??= reason;
    } else out.other.push(path ? `${reason} (at ${path})` : reason);
  }
  if (!Object.keys(out.fields).length && !out.other.length) out.other.push(message);
  return out;
}
