import { useState } from 'react';
import { ALARM_STATES, SEVERITIES, type AlarmState, type Severity } from '../../../shared/healthContract';
import { hrefFor } from '../../app/router';
import { useTwins } from '../../engine/EngineProvider';
import { formatDateTime } from '../../ui/format';
import { isShelved, useAlarms } from '../health/healthState';
import { AlarmActions } from './AlarmActions';
import { STATE_TEXT } from './alarmText';

type StateFilter = 'open' | 'all' | AlarmState;

/** Every alarm, newest first, filtered by state, severity and motor; acknowledge and shelve in place. */
export function AlarmsPage() {
  const alarms = useAlarms();
  const twins = useTwins();
  const [state, setState] = useState<StateFilter>('open');
  const [severity, setSeverity] = useState<Severity | 'all'>('all');
  const [motor, setMotor] = useState<string>('all');
  const rows = [...alarms.values()]
    .filter((a) => (state === 'all' ? true : state === 'open' ? a.state !== 'cleared_acked' : a.state === state))
    .filter((a) => severity === 'all' || a.severity === severity)
    .filter((a) => motor === 'all' || a.motorId === motor)
    .sort((a, b) => b.updatedAt - a.updatedAt);
  return (
    <section className="panel" data-testid="alarms-page">
      <div className="panel-head">
        <h2>Alarms</h2>
        <select value={state} onChange={(e) => setState(e.target.value as StateFilter)} data-testid="alarm-filter-state">
          <option value="open">Open (not cleared and acknowledged)</option>
          <option value="all">All states</option>
          {ALARM_STATES.map((s) => (
            <option key={s} value={s}>
              {STATE_TEXT[s]}
            </option>
          ))}
        </select>
        <select value={severity} onChange={(e) => setSeverity(e.target.value as Severity | 'all')} data-testid="alarm-filter-severity">
          <option value="all">All severities</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <select value={motor} onChange={(e) => setMotor(e.target.value)} data-testid="alarm-filter-motor">
          <option value="all">All motors</option>
          {[...twins.keys()].map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
      </div>
      {rows.length === 0 ? (
        <p className="empty-state">No alarms match.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Severity</th>
              <th>Motor</th>
              <th>Condition</th>
              <th>State</th>
              <th>Raised</th>
              <th>What</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.id} data-testid="alarm-row" data-alarm-id={a.id} className={isShelved(a) ? 'muted' : ''}>
                <td>
                  <span className={`sev sev-${a.severity}`}>{a.severity}</span>
                </td>
                <td>
                  <a href={hrefFor({ page: 'motor', id: a.motorId })}>{a.motorId}</a>
                </td>
                <td className="mono">{a.condition}</td>
                <td data-testid="alarm-state">
                  {STATE_TEXT[a.state]}
                  {isShelved(a) && ` · shelved until ${formatDateTime(a.shelvedUntil!)}`}
                  {a.repeats > 0 && ` · came back ${a.repeats}×`}
                </td>
                <td className="nowrap">{formatDateTime(a.raisedAt)}</td>
                <td className="small">
                  {a.message}
                  {a.ackComment && <div className="muted">Ack: “{a.ackComment}”</div>}
                </td>
                <td>
                  <AlarmActions alarm={a} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
