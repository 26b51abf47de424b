import { useState } from 'react';
import type { BrokerStatus, PortTakenChoice } from '../../../shared/brokerContract';
import { useConnected, useEngineCall } from '../../engine/useEngineQuery';

/** One broker in the status bar: where, connected or why not, its MQTT version, and anything to know about it. */
export function BrokerChip({ broker }: { broker: BrokerStatus }) {
  return (
    <>
      <span className={`conn conn-${broker.connected ? 'online' : 'offline'}`} title={broker.error ?? broker.note ?? undefined} data-testid="status-broker">
        <span className="dot" aria-hidden />
        {broker.mode === 'embedded' ? 'Embedded broker' : 'Broker'} {broker.url}
        {broker.protocol && ` · MQTT ${broker.protocol}`}
        {broker.clients !== null && ` · ${broker.clients} client${broker.clients === 1 ? '' : 's'}`}
        {!broker.connected && ` · ${broker.error ?? 'disconnected'}`}
      </span>
      {broker.tlsUnverified && (
        <span className="warn-text" title="Started with --mqtt-insecure (or ?insecure=1): the broker's certificate is not checked, so anyone between here and the broker could read or change the data" data-testid="status-tls-unverified">
          TLS certificate not verified
        </span>
      )}
      {broker.note && (
        <span className="warn-text small" data-testid="status-broker-note">
          {broker.note}
        </span>
      )}
      {broker.foundBroker && <FoundBrokerChoice found={broker.foundBroker} />}
    </>
  );
}

/** The embedded broker's port was taken by another broker: offer the other answer, remembered for next start. */
function FoundBrokerChoice({ found }: { found: NonNullable<BrokerStatus['foundBroker']> }) {
  const call = useEngineCall();
  const connected = useConnected();
  const [saved, setSaved] = useState<string | null>(null);
  const other: PortTakenChoice = found.action === 'moved' ? 'use' : 'move';
  const label = other === 'use' ? `Use the broker on port ${found.port} from the next start` : 'Start the embedded broker on a free port from the next start';
  const choose = () =>
    call('broker.rememberChoice', { whenPortTaken: other }).then(
      () => setSaved('Remembered: applies from the next start'),
      (e: Error) => setSaved(`Not saved: ${e.message}`),
    );
  if (saved) return <span className="muted small">{saved}</span>;
  return (
    <button className="ghost small" onClick={() => void choose()} disabled={!connected} data-testid="status-found-broker-choice">
      {label}
    </button>
  );
}
