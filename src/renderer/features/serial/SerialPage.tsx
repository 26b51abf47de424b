import { useState } from 'react';
import { hrefFor } from '../../app/router';
import { CalibrationWizard } from './CalibrationWizard';
import { CertificateList } from './CertificateList';
import { ConsoleView } from './ConsoleView';
import { FlashPanel } from './FlashPanel';
import { PortList } from './PortList';
import { ProvisionPanel } from './ProvisionPanel';
import { ModbusPanel } from '../modbus/ModbusPanel';
import { SparkplugPanel } from '../sparkplug/SparkplugPanel';
import { useSerialPorts } from './useSerial';
import './serial.css';

const TABS = [
  { tab: 'ports', label: 'Ports & console' },
  { tab: 'flash', label: 'Flash' },
  { tab: 'calibrate', label: 'Calibrate' },
  { tab: 'provision', label: 'Provision' },
  { tab: 'modbus', label: 'Modbus' },
  { tab: 'sparkplug', label: 'Sparkplug B' },
] as const;

/** Boards on the bench: USB serial ports and their consoles, flashing, calibration and certificates. */
export function SerialPage({ tab }: { tab: string }) {
  const ports = useSerialPorts();
  const [selected, setSelected] = useState<string | null>(null);
  const [certificates, setCertificates] = useState(0);
  const port = ports.find((p) => p.path === selected) ?? ports.find((p) => p.state !== 'closed');
  return (
    <section data-testid="boards-page">
      <div className="page-head">
        <h1>Boards</h1>
        <nav className="tabs">
          {TABS.map((t) => (
            <a key={t.tab} href={hrefFor({ page: 'boards', tab: t.tab })} className={tab === t.tab ? 'active' : ''} data-testid={`boards-tab-${t.tab}`}>
              {t.label}
            </a>
          ))}
        </nav>
      </div>
      {tab === 'modbus' ? (
        <ModbusPanel />
      ) : tab === 'sparkplug' ? (
        <SparkplugPanel />
      ) : tab === 'flash' ? (
        <FlashPanel ports={ports} />
      ) : tab === 'provision' ? (
        <ProvisionPanel ports={ports} />
      ) : tab === 'calibrate' ? (
        <>
          <CalibrationWizard ports={ports} onCertificate={() => setCertificates((n) => n + 1)} />
          <CertificateList refresh={certificates} />
        </>
      ) : (
        <>
          <PortList ports={ports} selected={port?.path ?? null} onSelect={setSelected} />
          {port && port.state !== 'closed' && <ConsoleView key={port.path} port={port} />}
        </>
      )}
    </section>
  );
}
