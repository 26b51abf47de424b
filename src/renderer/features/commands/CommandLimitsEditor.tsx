import { useState } from 'react';
import { OPERATOR_ACTIONS, type CommandPolicy, type OperatorAction } from '../../../shared/commandsContract';
import { useConnected, useEngineCall, useEngineQuery } from '../../engine/useEngineQuery';
import { ACTION_TEXT } from './commandText';
import { operatorName } from './operator';
import { usePermission } from '../sessions/serverSession';

const num = (s: string): number | null => (s.trim() === '' ? null : Number(s));

/** Which actions this motor accepts and in what range, its rate limit, and what its rules may propose (or do alone). */
export function CommandLimitsEditor({ deviceId }: { deviceId: string }) {
  const call = useEngineCall();
  const connected = useConnected();
  const loaded = useEngineQuery('commands.policy', { deviceId });
  // The form edits a copy of the engine's policy; saving sends it and shows what the engine kept.
  const [edited, setPolicy] = useState<CommandPolicy | null>(null);
  const policy = edited ?? loaded.data ?? null;
  const [note, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const message = note ?? (loaded.error ? { text: loaded.error, error: true } : null);
  const may = usePermission('commands.setPolicy');

  if (!policy) return null;
  const setAction = (a: OperatorAction, patch: Partial<CommandPolicy['actions'][OperatorAction]>) =>
    setPolicy({ ...policy, actions: { ...policy.actions, [a]: { ...policy.actions[a], ...patch } } });
  const autoRules = Object.entries(policy.ruleActions).filter(([, r]) => r.auto);

  const save = async () => {
    try {
      setPolicy(await call('commands.setPolicy', { deviceId, policy, operator: operatorName() }));
      setMessage({ text: 'Saved', error: false });
    } catch (e) {
      setMessage({ text: (e as Error).message, error: true });
    }
  };

  return (
    <section className="panel" data-testid="command-limits">
      <h2>Command limits</h2>
      {autoRules.length > 0 && (
        <p className="warn-text" data-testid="auto-rules-warning">
          Acts without a person: {autoRules.map(([c, r]) => `${c} → ${r.action}${r.value === null ? '' : ` ${r.value}`}`).join(', ')}
        </p>
      )}
      <table className="table compact">
        <thead>
          <tr>
            <th>Action</th>
            <th>Allowed</th>
            <th>Min</th>
            <th>Max</th>
            <th>API may send without approval</th>
          </tr>
        </thead>
        <tbody>
          {OPERATOR_ACTIONS.map((a) => (
            <tr key={a}>
              <td>{ACTION_TEXT[a].label}</td>
              <td>
                <input type="checkbox" checked={policy.actions[a].allowed} disabled={a === 'STOP'} onChange={(e) => setAction(a, { allowed: e.target.checked })} data-testid={`limit-${a}-allowed`} />
              </td>
              <td>{ACTION_TEXT[a].unit && <input className="narrow" value={policy.actions[a].min ?? ''} onChange={(e) => setAction(a, { min: num(e.target.value) })} data-testid={`limit-${a}-min`} />}</td>
              <td>{ACTION_TEXT[a].unit && <input className="narrow" value={policy.actions[a].max ?? ''} onChange={(e) => setAction(a, { max: num(e.target.value) })} data-testid={`limit-${a}-max`} />}</td>
              <td>
                <input
                  type="checkbox"
                  checked={policy.apiWithoutApproval.includes(a)}
                  onChange={(e) => setPolicy({ ...policy, apiWithoutApproval: e.target.checked ? [...policy.apiWithoutApproval, a] : policy.apiWithoutApproval.filter((x) => x !== a) })}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="form-grid">
        <label className="field">
          Commands per minute
          <input value={policy.perMinute} onChange={(e) => setPolicy({ ...policy, perMinute: Number(e.target.value) })} data-testid="limit-per-minute" />
        </label>
        <label className="field">
          Acknowledgement timeout (s)
          <input value={policy.ackTimeoutS} onChange={(e) => setPolicy({ ...policy, ackTimeoutS: Number(e.target.value) })} />
        </label>
      </div>
      <h3>When a rule raises an alarm</h3>
      {Object.entries(policy.ruleActions).map(([condition, r]) => (
        <div key={condition} className="inline-form small">
          <span className="mono">{condition}</span> proposes {r.action}
          {r.value === null ? '' : ` ${r.value}`}
          <label>
            <input
              type="checkbox"
              checked={r.auto}
              onChange={(e) => setPolicy({ ...policy, ruleActions: { ...policy.ruleActions, [condition]: { ...r, auto: e.target.checked } } })}
              data-testid={`rule-auto-${condition}`}
            />{' '}
            run without approval
          </label>
        </div>
      ))}
      <div className="inline-form">
        <button onClick={() => void save()} disabled={!connected || !may.allowed} title={may.reason} data-testid="limits-save">
          Save limits
        </button>
        {may.reason && <span className="muted small">{may.reason}</span>}
        {message && <span className={message.error ? 'error' : 'muted'}>{message.text}</span>}
      </div>
    </section>
  );
}
