import { useState } from 'react';
import type { CommandRecord } from '../../../shared/commandsContract';
import { useConnected, useEngineCall } from '../../engine/useEngineQuery';
import { formatDateTime } from '../../ui/format';
import { usePending } from './commandsState';
import { ACTION_TEXT, describeCommand } from './commandText';
import { OperatorField } from './OperatorField';
import { operatorName } from './operator';
import { usePermission } from '../sessions/serverSession';

/** The approval queue: what rules, the agent and the API propose, for a person to approve, edit or reject. */
export function ApprovalsPage() {
  const pending = usePending();
  return (
    <section data-testid="approvals-page">
      <div className="page-head">
        <h1>Approvals</h1>
        <span className="muted">{pending.length ? `${pending.length} waiting` : 'nothing waiting'}</span>
        <span className="spacer" />
        <OperatorField />
      </div>
      <p className="muted small">
        Commands proposed by rules, the assistant or the HTTP API wait here. Nothing reaches a motor until a person approves it, and every value is checked
        against the motor's limits again on approval.
      </p>
      {pending.length === 0 ? <p className="empty-state">No proposals waiting.</p> : pending.map((c) => <Proposal key={c.id} c={c} />)}
    </section>
  );
}

function Proposal({ c }: { c: CommandRecord }) {
  const call = useEngineCall();
  const connected = useConnected();
  const [value, setValue] = useState(c.value === null ? '' : String(c.value));
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const unit = ACTION_TEXT[c.action as keyof typeof ACTION_TEXT]?.unit;
  // The server refuses too; this says so before anyone tries.
  const approve = usePermission('commands.approve');
  const reject = usePermission('commands.reject');

  const decide = async (approve: boolean) => {
    setError(null);
    try {
      if (approve) {
        const v = value.trim() === '' ? undefined : Number(value);
        if (v !== undefined && !Number.isFinite(v)) return setError(`“${value}” is not a number`);
        await call('commands.approve', { id: c.id, operator: operatorName(), comment, value: v });
      } else {
        if (!comment.trim()) return setError('Say why it is rejected');
        await call('commands.reject', { id: c.id, operator: operatorName(), comment });
      }
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div className="panel proposal" data-testid={`proposal-${c.id}`}>
      <div className="panel-head">
        <h2>
          <a href={`#/motor/${encodeURIComponent(c.deviceId)}`}>{c.deviceId}</a>: {describeCommand(c)}
        </h2>
        <span className="muted small">
          proposed by {c.issuer.kind} <b>{c.issuer.name}</b> at {formatDateTime(c.createdAt)} · expires {formatDateTime(c.expiresAt)}
        </span>
      </div>
      <p>{c.reason}</p>
      <div className="inline-form">
        {c.value !== null && (
          <label className="field">
            Value{unit ? ` (${unit})` : ''}
            <input value={value} onChange={(e) => setValue(e.target.value)} inputMode="decimal" data-testid="proposal-value" />
          </label>
        )}
        <label className="field grow">
          Comment
          <input value={comment} onChange={(e) => setComment(e.target.value)} placeholder="why (required to reject)" data-testid="proposal-comment" />
        </label>
        <button onClick={() => void decide(true)} disabled={!connected || !approve.allowed} title={approve.reason} data-testid="proposal-approve">
          Approve and send
        </button>
        <button className="danger" onClick={() => void decide(false)} disabled={!connected || !reject.allowed} title={reject.reason} data-testid="proposal-reject">
          Reject
        </button>
        {approve.reason && <span className="muted small" data-testid="proposal-not-allowed">{approve.reason}</span>}
      </div>
      {error && (
        <div className="error" data-testid="proposal-error">
          {error}
        </div>
      )}
    </div>
  );
}
