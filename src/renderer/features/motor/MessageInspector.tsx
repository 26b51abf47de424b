import { useState } from 'react';
import type { ReceivedMessage } from '../../../shared/brokerContract';
import { useEngineQuery } from '../../engine/useEngineQuery';
import { formatDateTime } from '../../ui/format';

/** The motor's last MQTT messages as its broker delivered them: topic, QoS, retain, MQTT 5 user properties. */
export function MessageInspector({ deviceId }: { deviceId: string }) {
  const [open, setOpen] = useState(false);
  // Only while open: a closed inspector costs nothing.
  const q = useEngineQuery('twins.messages', open ? { id: deviceId } : null, { refreshMs: 2000 });
  const messages: ReceivedMessage[] = q.data ?? [];
  const error = q.error && `Messages unavailable: ${q.error}`;

  return (
    <details className="panel" onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="message-inspector">
      <summary>
        <h2 style={{ display: 'inline' }}>Last messages</h2> <span className="muted small">as the broker delivered them</span>
      </summary>
      {error && <p className="error small">{error}</p>}
      {messages.length === 0 ? (
        <p className="muted small">No MQTT message from this motor since the engine started.</p>
      ) : (
        <table className="table small">
          <thead>
            <tr>
              <th>Time</th>
              <th>Broker</th>
              <th>Topic</th>
              <th>QoS</th>
              <th>Retain</th>
              <th>User properties</th>
              <th>Payload</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((m, i) => (
              <tr key={`${m.ts}-${i}`} data-testid="inspector-row">
                <td className="nowrap">{formatDateTime(m.ts)}</td>
                <td className="mono">{m.broker}</td>
                <td className="mono">{m.topic}</td>
                <td>{m.qos}</td>
                <td>{m.retain ? 'yes' : 'no'}</td>
                <td className="mono" data-testid="inspector-user-properties">
                  {Object.entries(m.userProperties)
                    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`)
                    .join(' ') || '–'}
                  {m.correlationData !== null && ` correlation=${m.correlationData}`}
                </td>
                <td className="mono payload" title={`${m.bytes} bytes`}>
                  {m.payload}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
