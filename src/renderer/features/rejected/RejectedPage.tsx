import { useState } from 'react';
import { useEngineStatus, useRejected } from '../../engine/EngineProvider';
import { formatDateTime } from '../../ui/format';

/** Shown payloads are cut short: a 64 KiB rejected message must not flood the page. */
const PAYLOAD_SHOWN = 160;

/** Every message ingest refused, newest first, with the reason; the stream it came in kept flowing. */
export function RejectedPage() {
  const rejected = useRejected();
  const status = useEngineStatus();
  const [filter, setFilter] = useState('');
  const f = filter.trim().toLowerCase();
  const rows = f ? rejected.filter((r) => `${r.deviceId ?? ''} ${r.topic} ${r.reason}`.toLowerCase().includes(f)) : rejected;
  return (
    <section data-testid="rejected-panel">
      <div className="page-head">
        <h1>Rejected messages</h1>
        <span className="muted">{status ? `${status.ingest.rejected.toLocaleString()} since start` : ''}</span>
        <span className="spacer" />
        <input placeholder="Filter by device, topic or reason" value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="rejected-filter" />
      </div>
      <p className="muted small">Messages that failed validation are kept here and in the database; valid messages in the same stream are stored as usual.</p>
      {rows.length === 0 ? (
        <p className="empty-state">{rejected.length ? 'Nothing matches the filter.' : 'No rejected messages. Everything received was valid.'}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Time</th>
              <th>Device</th>
              <th>Source / topic</th>
              <th>Reason</th>
              <th>Payload</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={`${r.ts}-${i}`} data-testid="rejected-row">
                <td className="nowrap">{formatDateTime(r.ts)}</td>
                <td>{r.deviceId ?? '–'}</td>
                <td className="mono small">
                  {r.source} {r.topic}
                </td>
                <td className="reason" data-testid="rejected-reason">
                  {r.reason}
                </td>
                <td className="mono small payload" title={r.payload.length > PAYLOAD_SHOWN ? `${r.payload.length} characters` : undefined}>
                  {r.payload.length > PAYLOAD_SHOWN ? `${r.payload.slice(0, PAYLOAD_SHOWN)}…` : r.payload}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
