import { useState } from 'react';
import type { Alarm } from '../../../shared/healthContract';
import { useConnected, useEngineCall } from '../../engine/useEngineQuery';
import { isShelved, isUnacked } from '../health/healthState';
import { usePermission } from '../sessions/serverSession';

/** Acknowledge with a comment, shelve for a while, or unshelve one alarm. */
export function AlarmActions({ alarm }: { alarm: Alarm }) {
  const call = useEngineCall();
  const connected = useConnected();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  // Acknowledging, shelving and unshelving need the same role; the server refuses too.
  const may = usePermission('alarms.ack');
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      setComment('');
    } catch (e) {
      setError((e as Error).message);
    }
  };
  if (alarm.state === 'cleared_acked') return <span className="muted small">closed</span>;
  return (
    <div className="inline-form alarm-actions">
      {isUnacked(alarm) && (
        <>
          <input placeholder="comment" value={comment} onChange={(e) => setComment(e.target.value)} maxLength={500} data-testid={`ack-comment-${alarm.id}`} />
          <button disabled={!connected || !may.allowed} title={may.reason} onClick={() => void run(() => call('alarms.ack', { alarmId: alarm.id, comment }))} data-testid={`ack-${alarm.id}`}>
            Acknowledge
          </button>
        </>
      )}
      {isShelved(alarm) ? (
        <button className="ghost" disabled={!connected || !may.allowed} title={may.reason} onClick={() => void run(() => call('alarms.unshelve', { alarmId: alarm.id }))} data-testid={`unshelve-${alarm.id}`}>
          Unshelve
        </button>
      ) : (
        <button className="ghost" disabled={!connected || !may.allowed} title={may.reason ?? 'Hide it for an hour'} onClick={() => void run(() => call('alarms.shelve', { alarmId: alarm.id, minutes: 60, comment }))} data-testid={`shelve-${alarm.id}`}>
          Shelve 1 h
        </button>
      )}
      {error && <span className="error small">{error}</span>}
    </div>
  );
}
