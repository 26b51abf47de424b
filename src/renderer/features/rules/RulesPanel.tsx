import { useState } from 'react';
import { blankRule, draftFromRule, engineIssues, ruleFromDraft, withRule, type EngineIssues, type RuleDraft, type RuleScope } from './ruleDraft';
import { plainRule, removed, setOf, toggled, type ResolvedRule, type SetChange } from './ruleSets';
import { RuleForm } from './RuleForm';
import { RuleRow } from './RuleRow';
import { useRules } from './useRules';
import './rules.css';

type Editing = { rule: ResolvedRule | null };

/** The motor's rules: the ones in force with their origin, and the editor for adding or changing one. */
export function RulesPanel({ id }: { id: string }) {
  const { view, error, save } = useRules(id);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  if (!view) {
    return (
      <section className="panel" data-testid="rules-panel">
        <h2>Rules</h2>
        <p className={error ? 'error' : 'muted'}>{error ?? 'Loading…'}</p>
      </section>
    );
  }

  const apply = async (change: SetChange, done: string) => {
    setBusy(true);
    try {
      await save(change.scope, change.rules);
      setMessage({ text: done, error: false });
    } catch (e) {
      setMessage({ text: (e as Error).message, error: true });
    } finally {
      setBusy(false);
    }
  };

  const submit = async (draft: RuleDraft, scope: RuleScope): Promise<EngineIssues | null> => {
    const rule = ruleFromDraft(draft);
    if (!editing?.rule && view.rules.some((r) => r.id === rule.id)) return { fields: { id: `a rule "${rule.id}" exists already: edit that one instead` }, other: [] };
    const set = withRule(setOf(view, scope), rule);
    try {
      await save(scope, set);
    } catch (e) {
      return engineIssues((e as Error).message, set.findIndex((r) => r.id === rule.id));
    }
    setEditing(null);
    setMessage({ text: `Saved “${rule.name}” for ${scope === 'motor' ? 'this motor' : `every motor of model “${view.model}”`}`, error: false });
    return null;
  };

  const editingRule = editing?.rule ?? null;
  return (
    <section className="panel" data-testid="rules-panel">
      <div className="panel-head">
        <h2>Rules</h2>
        <span className="muted small">
          defaults from the nameplate, overridden by the model’s rules{view.model ? ` (“${view.model}”)` : ''}, then by this motor’s own
        </span>
        <span className="spacer" />
        <button type="button" disabled={busy || editing !== null} onClick={() => setEditing({ rule: null })} data-testid="rule-add">
          Add rule
        </button>
      </div>
      <table className="table compact rules-table">
        <thead>
          <tr>
            <th>Rule</th>
            <th>Raises the alarm when</th>
            <th>Severity</th>
            <th>From</th>
            <th>Now</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {view.rules.map((r) => (
            <RuleRow
              key={r.id}
              rule={r}
              view={view}
              busy={busy || editing !== null}
              onEdit={() => setEditing({ rule: r })}
              onToggle={() => void apply(toggled(view, r), `${r.enabled ? 'Disabled' : 'Enabled'} “${r.name}” for this motor`)}
              onRemove={() => void apply(removed(view, r)!, `Removed ${r.origin === 'model' ? 'the model’s' : 'this motor’s'} “${r.name}”`)}
            />
          ))}
        </tbody>
      </table>
      {message && (
        <p className={message.error ? 'error' : 'muted'} data-testid="rules-message">
          {message.text}
        </p>
      )}
      {editing && (
        <RuleForm
          key={editingRule?.id ?? 'new'}
          initial={editingRule ? draftFromRule(plainRule(editingRule)) : blankRule()}
          isNew={!editingRule}
          motorId={id}
          model={view.model}
          initialScope={editingRule?.origin === 'model' ? 'model' : 'motor'}
          shadowedByMotor={(ruleId) => view.motorRules.some((r) => r.id === ruleId)}
          onSave={submit}
          onCancel={() => setEditing(null)}
        />
      )}
    </section>
  );
}
