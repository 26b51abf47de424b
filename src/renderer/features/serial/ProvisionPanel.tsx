import { useState } from 'react';
import type { SerialPortInfo } from '../../../shared/serialContract';
import { provisioningSchema } from '../../../shared/protocol/provisioning';
import { useConnected, useEngineCall } from '../../engine/useEngineQuery';

const FIELDS = [
  { key: 'device_id', label: 'Device id', secret: false, hint: 'the motor this board is on, e.g. motor_07' },
  { key: 'wifi_ssid', label: 'Wi-Fi network', secret: false, hint: 'empty turns Wi-Fi off' },
  { key: 'wifi_password', label: 'Wi-Fi password', secret: true, hint: '8-63 characters' },
  { key: 'mqtt_url', label: 'Broker', secret: false, hint: 'mqtt://host:1883 (no user or password in it)' },
  { key: 'mqtt_user', label: 'Broker user', secret: false, hint: '' },
  { key: 'mqtt_password', label: 'Broker password', secret: true, hint: '' },
] as const;

/**
 * Sets a board's identity, Wi-Fi and broker over USB (the firmware's CONFIG command). Only the fields
 * filled in are sent; passwords never appear in the console, its log or the board's answer.
 */
export function ProvisionPanel({ ports }: { ports: SerialPortInfo[] }) {
  const call = useEngineCall();
  const connected = useConnected();
  const open = ports.filter((p) => p.state === 'open');
  const [path, setPath] = useState<string>('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const port = open.find((p) => p.path === path) ?? open[0];

  const send = async () => {
    if (!port) return;
    const settings = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
    const checked = provisioningSchema.safeParse(settings);
    if (!checked.success) return setMessage({ text: checked.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; '), error: true });
    setMessage({ text: 'sending…', error: false });
    try {
      const ack = await call('serial.provision', { path: port.path, settings: checked.data });
      setMessage({ text: `${ack.status}${ack.detail ? `: ${ack.detail}` : ''}`, error: ack.status !== 'applied' });
      setValues((v) => ({ ...v, wifi_password: '', mqtt_password: '' }));
    } catch (e) {
      setMessage({ text: (e as Error).message, error: true });
    }
  };

  return (
    <section className="panel" data-testid="provision-panel">
      <h2>Provision a board</h2>
      {open.length === 0 ? (
        <p className="muted">Open the board's port under Ports & console first.</p>
      ) : (
        <>
          <label className="field">
            Port
            <select value={port?.path ?? ''} onChange={(e) => setPath(e.target.value)} data-testid="provision-port">
              {open.map((p) => (
                <option key={p.path} value={p.path}>
                  {p.path}
                  {p.deviceId ? ` (${p.deviceId})` : ''}
                </option>
              ))}
            </select>
          </label>
          <div className="form-grid">
            {FIELDS.map((f) => (
              <label key={f.key} className="field">
                {f.label}
                <input
                  type={f.secret ? 'password' : 'text'}
                  autoComplete="off"
                  value={values[f.key] ?? ''}
                  placeholder={f.hint}
                  onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
                  data-testid={`provision-${f.key}`}
                />
              </label>
            ))}
          </div>
          <p className="muted small">Sent over USB only (the firmware refuses CONFIG over MQTT), stored on the board, which restarts to apply it.</p>
          <button onClick={() => void send()} disabled={!connected} data-testid="provision-send">
            Send to the board
          </button>
        </>
      )}
      {message && (
        <div className={message.error ? 'error' : 'muted'} data-testid="provision-message">
          {message.text}
        </div>
      )}
    </section>
  );
}
