import { useState } from 'react';
import { describeClause, describeRule, formatSignal } from '../../../shared/ruleText';
import { underlying, type ResolvedRule, type RulesView } from './ruleSets';

const hysteresisText = (r: ResolvedRule) =>
  r.clauses.flatMap((c) => (c.kind === 'threshold' && c.hysteresis > 0 ? [`hysteresis ${formatSignal(c.signal, c.hysteresis)}`] : [])).join(', ');

/** One rule in force: what it tests, where it comes from, whether it holds now; edit, disable, remove. */
export function RuleRow({
  rule,
  view,
  busy,
  onEdit,
  onToggle,
  onRemove,
}: {
  rule: ResolvedRule;
  view: RulesView;
  busy: boolean;
  onEdit: () => void;
  onToggle: () => void;
  onRemove: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const below = underlying(view, rule);
  const origin = rule.origin === 'default' ? 'default (nameplate)' : rule.origin === 'model' ? `model “${view.model}”` : 'this motor';
  const removeText = rule.origin === 'default' ? null : below ? `Revert to the ${below.origin === 'model' ? 'model’s' : 'default'}` : rule.origin === 'model' ? 'Delete for the model' : 'Delete';
  const hysteresis = hysteresisText(rule);
  return (
    <tr className={rule.enabled ? undefined : 'rule-disabled'} data-testid={`rule-row-${rule.id}`}>
      <td>
        <strong>{rule.name}</strong>
        <div className="mono small">{rule.condition}</div>
      </td>
      <td>
        <span data-testid={`rule-text-${rule.id}`}>{describeRule(rule)}</span>
        {hysteresis && <div className="muted small">{hysteresis}</div>}
        {below && (
          <div className="muted small" data-testid={`rule-overrides-${rule.id}`}>
            overrides the {below.origin === 'model' ? 'model’s' : 'default'}: {below.rule.clauses.map(describeClause).join(below.rule.match === 'all' ? ' and ' : ' or ')}
          </div>
        )}
      </td>
      <td>
        <span className={`sev sev-${rule.severity}`}>{rule.severity}</span>
      </td>
      <td>
        <span className={`rule-origin rule-origin-${rule.origin}`} data-testid={`rule-origin-${rule.id}`}>
          {origin}
        </span>
      </td>
      <td data-testid={`rule-state-${rule.id}`}>{!rule.enabled ? <span className="muted">disabled</span> : rule.active ? <strong className="rule-holding">holds now</strong> : <span className="muted">quiet</span>}</td>
      <td className="rule-actions">
        <button type="button" className="ghost" disabled={busy} onClick={onEdit} data-testid={`rule-edit-${rule.id}`}>
          Edit
        </button>
        <button type="button" className="ghost" disabled={busy} onClick={onToggle} title="For this motor" data-testid={`rule-toggle-${rule.id}`}>
          {rule.enabled ? 'Disable' : 'Enable'}
        </button>
        {removeText &&
          (confirming ? (
            <>
              <button
                type="button"
                className="danger"
                disabled={busy}
                onClick={() => {
                  setConfirming(false);
                  onRemove();
                }}
                data-testid={`rule-remove-confirm-${rule.id}`}
              >
                {removeText}?
              </button>
              <button type="button" className="ghost" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </>
          ) : (
            <button type="button" className="ghost" disabled={busy} onClick={() => setConfirming(true)} data-testid={`rule-remove-${rule.id}`}>
              {removeText}
            </button>
          ))}
      </td>
    </tr>
  );
}
