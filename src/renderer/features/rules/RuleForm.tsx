import { useState } from 'react';
import { SEVERITIES, type Severity } from '../../../shared/healthContract';
import { blankClause, type EngineIssues, type RuleDraft, type RuleScope } from './ruleDraft';
import { ClauseFields } from './ClauseFields';
import { RuleField } from './RuleField';

const MAX_CLAUSES = 8;

/**
 * Edits one rule and where it applies: this motor, or every motor of its model. The engine validates on save;
 * its reasons appear beside the fields, and a refused save changes nothing.
 */
export function RuleForm({
  initial,
  isNew,
  motorId,
  model,
  initialScope,
  shadowedByMotor,
  onSave,
  onCancel,
}: {
  initial: RuleDraft;
  isNew: boolean;
  motorId: string;
  model: string | null;
  initialScope: RuleScope;
  /** Ids this motor has its own version of: a model-wide change does not reach them here. */
  shadowedByMotor: (id: string) => boolean;
  onSave: (d: RuleDraft, scope: RuleScope) => Promise<EngineIssues | null>;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const [scope, setScope] = useState<RuleScope>(initialScope);
  const [issues, setIssues] = useState<EngineIssues>({ fields: {}, other: [] });
  const [saving, setSaving] = useState(false);
  const errors = issues.fields;
  const set = (patch: Partial<RuleDraft>) => setDraft({ ...draft, ...patch });

  const submit = async () => {
    setSaving(true);
    try {
      setIssues((await onSave(draft, scope)) ?? { fields: {}, other: [] });
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="rule-form"
      data-testid="rule-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3>{isNew ? 'New rule' : `Edit “${initial.name}”`}</h3>
      <div className="form-grid">
        <RuleField label="Id" error={errors.id} errorKey="id">
          <input value={draft.id} readOnly={!isNew} onChange={(e) => set({ id: e.target.value })} placeholder="bearing_hot" data-testid="rule-field-id" />
        </RuleField>
        <RuleField label="Name" error={errors.name} errorKey="name">
          <input value={draft.name} onChange={(e) => set({ name: e.target.value })} data-testid="rule-field-name" />
        </RuleField>
        <RuleField label="Alarm condition" error={errors.condition} errorKey="condition">
          <input value={draft.condition} onChange={(e) => set({ condition: e.target.value })} placeholder="BEARING_HOT" data-testid="rule-field-condition" />
        </RuleField>
        <RuleField label="Severity" error={errors.severity} errorKey="severity">
          <select value={draft.severity} onChange={(e) => set({ severity: e.target.value as Severity })} data-testid="rule-field-severity">
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </RuleField>
        <RuleField label="Raise when" error={errors.match} errorKey="match">
          <select value={draft.match} onChange={(e) => set({ match: e.target.value as RuleDraft['match'] })} data-testid="rule-field-match">
            <option value="all">all conditions hold</option>
            <option value="any">any condition holds</option>
          </select>
        </RuleField>
        <label className="field rule-field">
          <span>Enabled</span>
          <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} data-testid="rule-field-enabled" />
        </label>
      </div>
      {draft.clauses.map((c, i) => (
        <ClauseFields
          key={i}
          clause={c}
          index={i}
          errors={errors}
          onChange={(next) => set({ clauses: draft.clauses.map((x, k) => (k === i ? next : x)) })}
          onRemove={draft.clauses.length > 1 ? () => set({ clauses: draft.clauses.filter((_, k) => k !== i) }) : null}
        />
      ))}
      <div className="inline-form">
        <button type="button" className="ghost" disabled={draft.clauses.length >= MAX_CLAUSES} onClick={() => set({ clauses: [...draft.clauses, blankClause('threshold')] })} data-testid="rule-add-threshold">
          + Threshold
        </button>
        <button type="button" className="ghost" disabled={draft.clauses.length >= MAX_CLAUSES} onClick={() => set({ clauses: [...draft.clauses, blankClause('rate')] })} data-testid="rule-add-rate">
          + Rate of change
        </button>
        {errors.clauses && (
          <span className="rule-field-error" role="alert" data-testid="rule-error-clauses">
            {errors.clauses}
          </span>
        )}
      </div>
      <fieldset className="rule-scope">
        <legend>Applies to</legend>
        <label>
          <input type="radio" name="rule-scope" checked={scope === 'motor'} onChange={() => setScope('motor')} data-testid="rule-scope-motor" /> this motor ({motorId})
        </label>
        <label title={model ? undefined : 'Set the model on the nameplate to share rules between motors of one model'}>
          <input type="radio" name="rule-scope" checked={scope === 'model'} disabled={!model} onChange={() => setScope('model')} data-testid="rule-scope-model" /> all motors of model{' '}
          {model ? `“${model}”` : '(no model on the nameplate)'}
        </label>
        {scope === 'model' && shadowedByMotor(draft.id) && (
          <p className="warn-text small">This motor has its own version of this rule, which wins over the model’s: remove it to use the model’s here.</p>
        )}
      </fieldset>
      {issues.other.length > 0 && (
        <ul className="rule-form-errors" role="alert" data-testid="rule-errors">
          {issues.other.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
      <div className="inline-form">
        <button type="submit" disabled={saving} data-testid="rule-save">
          {saving ? 'Saving…' : 'Save rule'}
        </button>
        <button type="button" className="ghost" onClick={onCancel} data-testid="rule-cancel">
          Cancel
        </button>
        {(Object.keys(errors).length > 0 || issues.other.length > 0) && <span className="error" data-testid="rule-refused">The engine refused the rule; nothing was changed.</span>}
      </div>
    </form>
  );
}
