import { useConnection, useEngineStatus } from '../../engine/EngineProvider';
import { DroppedRecordsNotice } from './DroppedRecordsNotice';
import { StorageWarnings } from './StorageWarnings';
import { BrokerChip } from './BrokerChip';
import { ServerIndicator } from '../connect/ServerIndicator';

/** Broker, message rate, stored and rejected counts: the engine's vital signs, always in view. */
export function StatusBar() {
  const status = useEngineStatus();
  const connection = useConnection();
  if (connection.phase !== 'connected' || !status) {
    return (
      <footer className="status-bar status-bar-down" data-testid="status-bar">
        <span className="conn conn-offline">
          <span className="dot" aria-hidden />
          {connection.phase === 'connecting' ? 'Connecting to the engine…' : `Engine unreachable: ${connection.error ?? 'disconnected'}; retrying`}
        </span>
      </footer>
    );
  }
  const { brokers, ingest } = status;
  return (
    <footer className="status-bar" data-testid="status-bar">
      <ServerIndicator />
      {brokers.map((b) => (
        <BrokerChip key={b.id} broker={b} />
      ))}
      <span data-testid="status-rate">{ingest.messagesPerSecond.toFixed(1)} msg/s</span>
      <span>{ingest.stored.toLocaleString()} stored</span>
      <a href="#/rejected" className={ingest.rejected ? 'warn-text' : ''} data-testid="status-rejected-count">
        {ingest.rejected.toLocaleString()} rejected
      </a>
      {ingest.duplicates > 0 && <span>{ingest.duplicates.toLocaleString()} duplicates dropped</span>}
      {ingest.missed > 0 && (
        <span className="warn-text" title="Readings a board numbered (seq) that never arrived, e.g. while its cable was out" data-testid="status-missed">
          {ingest.missed.toLocaleString()} missed
        </span>
      )}
      {ingest.shed > 0 && (
        <span className={ingest.shedding.length ? 'warn-text' : ''} title="Messages dropped unread because a board sent faster than its ceiling" data-testid="status-shed">
          {ingest.shed.toLocaleString()} shed
          {ingest.shedding.length > 0 && ` · flooding: ${ingest.shedding.map((d) => d.id).join(', ')}`}
        </span>
      )}
      <StorageWarnings storage={status.storage} />
      {ingest.storageError && (
        <span className="error" data-testid="status-storage-error">
          Storage: {ingest.storageError}
        </span>
      )}
      <DroppedRecordsNotice />
      <span className="spacer" />
      <span className="muted">
        {status.twins} motor{status.twins === 1 ? '' : 's'} · v{status.version}
      </span>
    </footer>
  );
}
