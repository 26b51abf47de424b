import { useEffect } from 'react';
import type { AlarmTransition } from '../../../shared/healthContract';
import { useLiveQuery } from '../../engine/useEngineQuery';
import { formatTime } from '../../ui/format';
import { useNow } from '../../ui/useNow';
import { useAlarms } from '../health/healthState';
import { STATE_TEXT } from './alarmText';

const WINDOW_MS = 60 * 60_000;

/** A motor's alarms over the last hour, one lane per condition, and their transitions underneath. */
export function AlarmTimeline({ id }: { id: string }) {
  const alarms = useAlarms();
  const now = useNow(5000);
  const from = now - WINDOW_MS;
  const mine = [...alarms.values()].filter((a) => a.motorId === id && (a.clearedAt ?? now) >= from);
  const lanes = [...new Set(mine.map((a) => a.condition))].sort();
  // The last hour's transitions, loaded again whenever one of the motor's alarms changes.
  const q = useLiveQuery<AlarmTransition[]>(`alarms.transitions ${id}`, { load: (c) => c.call('alarms.transitions', { id, from: Date.now() - WINDOW_MS, limit: 50 }) });
  const transitions = q.data ?? [];
  const version = mine.map((a) => `${a.id}:${a.updatedAt}`).join(',');
  const { reload } = q;
  useEffect(() => {
    if (version) void reload();
  }, [version, reload]);
  const x = (t: number) => `${(100 * Math.max(0, t - from)) / WINDOW_MS}%`;
  return (
    <section className="panel" data-testid="alarm-timeline">
      <div className="panel-head">
        <h2>Alarms, last hour</h2>
        <span className="muted small">
          {formatTime(from)} to now · <a href="#/alarms">all alarms</a>
        </span>
      </div>
      {lanes.length === 0 && <p className="muted small">No alarms in the last hour.</p>}
      {lanes.map((condition) => (
        <div key={condition} className="timeline-lane">
          <span className="timeline-label mono small">{condition}</span>
          <div className="timeline-track">
            {mine
              .filter((a) => a.condition === condition)
              .map((a) => (
                <span
                  key={a.id}
                  className={`timeline-bar sev-bg-${a.severity}`}
                  style={{ left: x(a.raisedAt), width: `calc(${x(a.clearedAt ?? now)} - ${x(a.raisedAt)} + 3px)` }}
                  title={`${a.severity}: ${a.message} (${STATE_TEXT[a.state]})`}
                  data-testid="timeline-bar"
                />
              ))}
          </div>
        </div>
      ))}
      {transitions.length > 0 && (
        <ul className="timeline-log small" data-testid="timeline-transitions">
          {transitions.slice(0, 8).map((t) => (
            <li key={`${t.alarmId}-${t.ts}-${t.action}`}>
              <span className="mono">{formatTime(t.ts)}</span> {t.action} · {STATE_TEXT[t.to]}
              {t.comment && ` · “${t.comment}”`} <span className="muted">{t.message}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
