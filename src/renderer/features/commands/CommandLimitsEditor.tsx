import { useEffect, useState } from 'react';
import { OPERATOR_ACTIONS, type CommandPolicy, type OperatorAction } from '../../../shared/commandsContract';
import { useEngineClient } from '../../engine/EngineProvider';
import { ACTION_TEXT } from './commandText';
import { operatorName } from './operator';

const num = (s: string): number | null => (s.trim() === '' ? null : Number(s));

/** Which actions this motor accepts and in what range, its rate limit, and what its rules may propose (or do alone). */
export function CommandLimitsEditor({ deviceId }: { deviceId: string }) {
  const client = useEngineClient();
  const [policy, setPolicy] = useState<CommandPolicy | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  useEffect(() => {
    client?.call('commands.policy', { deviceId }).then(setPolicy, (e: Error) => setMessage({ text: e.message, error: true }));
  }, [client, deviceId]);

  if (!policy) return null;
  const setAction = (a: OperatorAction, patch: Partial<CommandPolicy['actions'][OperatorAction]>) =>
    setPolicy({ ...policy, actions: { ...policy.actions, [a]: { ...policy.actions[a], ...patch } } });
  const autoRules = Object.entries(policy.ruleActions).filter(([, r]) => r.auto);

  const save = async () => {
    if (!client) return;
    try {
      setPolicy(await client.call('commands.setPolicy', { deviceId, policy, operator: operatorName() }));
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
        <button onClick={() => void save()} disabled={!client} data-testid="limits-save">
          Save limits
        </button>
        {message && <span className={message.error ? 'error' : 'muted'}>{message.text}</span>}
      </div>
    </section>
  );
}
