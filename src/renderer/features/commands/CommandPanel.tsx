import { useState } from 'react';
import { OPERATOR_ACTIONS, type OperatorAction } from '../../../shared/commandsContract';
import { useConnected, useEngineCall } from '../../engine/useEngineQuery';
import { formatTime } from '../../ui/format';
import { useCommands } from './commandsState';
import { ACTION_TEXT, STATUS_TEXT, describeCommand } from './commandText';
import { operatorName } from './operator';
import { SetpointsView } from './SetpointsView';

const VALUED: readonly OperatorAction[] = ['REDUCE_LOAD', 'SET_SPEED', 'SET_RATE'];

/** A person's commands to this motor (confirmed before they go), its set-points and its recent commands. */
export function CommandPanel({ deviceId }: { deviceId: string }) {
  const call = useEngineCall();
  const connected = useConnected();
  const commands = [...useCommands().values()].filter((c) => c.deviceId === deviceId).sort((a, b) => b.createdAt - a.createdAt).slice(0, 8);
  const [action, setAction] = useState<OperatorAction>('REDUCE_LOAD');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [override, setOverride] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const valued = VALUED.includes(action);

  const check = () => {
    setMessage(null);
    if (valued && !Number.isFinite(Number(value))) return setMessage({ text: `${ACTION_TEXT[action].label} needs a number`, error: true });
    if (!reason.trim()) return setMessage({ text: 'Say why: the reason goes into the audit trail', error: true });
    setConfirming(true);
  };

  const send = async () => {
    setConfirming(false);
    try {
      const c = await call('commands.create', {
        deviceId,
        action,
        value: valued ? Number(value) : undefined,
        reason,
        overrideReason: override?.trim() || undefined,
        operator: operatorName(),
      });
      setMessage({ text: `${describeCommand(c)}: ${STATUS_TEXT[c.status]}`, error: false });
      setReason('');
      setOverride(null);
    } catch (e) {
      const text = (e as Error).message;
      if (/override it with a reason/.test(text)) setOverride('');
      setMessage({ text, error: true });
    }
  };

  return (
    <section className="panel" data-testid="command-panel">
      <div className="panel-head">
        <h2>Commands</h2>
        <span className="muted small">every command passes this motor's limits; proposals wait in <a href="#/approvals">Approvals</a></span>
      </div>
      <div className="inline-form">
        <select value={action} onChange={(e) => setAction(e.target.value as OperatorAction)} data-testid="command-action" aria-label="Action">
          {OPERATOR_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {ACTION_TEXT[a].label}
            </option>
          ))}
        </select>
        {valued && (
          <input className="narrow" value={value} onChange={(e) => setValue(e.target.value)} inputMode="decimal" placeholder={ACTION_TEXT[action].unit ?? ''} data-testid="command-value" aria-label="Value" />
        )}
        <input className="grow" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="reason" data-testid="command-reason" aria-label="Reason" />
        {override !== null && (
          <input className="grow" value={override} onChange={(e) => setOverride(e.target.value)} placeholder="why it is safe to override the alarm" data-testid="command-override" />
        )}
        <button onClick={check} disabled={!connected} data-testid="command-send">
          Send…
        </button>
      </div>
      <div className="muted small">{ACTION_TEXT[action].hint}</div>
      {confirming && (
        <div className="confirm" data-testid="command-confirm">
          Send <b>{describeCommand({ action, value: valued ? Number(value) : null })}</b> to <b>{deviceId}</b> now?
          <button onClick={() => void send()} data-testid="command-confirm-yes">
            Confirm
          </button>
          <button className="ghost" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      {message && (
        <div className={message.error ? 'error' : 'muted'} data-testid="command-message">
          {message.text}
        </div>
      )}
      <SetpointsView deviceId={deviceId} />
      {commands.length > 0 && (
        <table className="table compact" data-testid="command-list">
          <tbody>
            {commands.map((c) => (
              <tr key={c.id} data-testid="command-row">
                <td className="nowrap">{formatTime(c.createdAt)}</td>
                <td>{describeCommand(c)}</td>
                <td className="small">
                  {c.issuer.kind} {c.issuer.name}
                </td>
                <td className={`command-status command-${c.status}`} data-testid="command-status">
                  {STATUS_TEXT[c.status]}
                </td>
                <td className="small muted">{c.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
