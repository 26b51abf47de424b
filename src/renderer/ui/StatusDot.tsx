import type { ConnectionState, TwinStatus } from '../../shared/twin';

const STATUS_TEXT: Record<TwinStatus, string> = { ok: 'OK', warning: 'Warning', alarm: 'Alarm', unknown: 'No data' };

export function StatusBadge({ status }: { status: TwinStatus }) {
  return <span className={`badge status-${status}`}>{STATUS_TEXT[status]}</span>;
}

export function ConnectionBadge({ connection }: { connection: ConnectionState }) {
  return (
    <span className={`conn conn-${connection}`} title={`Connection: ${connection}`}>
      <span className="dot" aria-hidden />
      {connection}
    </span>
  );
}
