import { useState } from 'react';
import type { ModbusDeviceInfo } from '../../../shared/modbusContract';
import { useEngineCall } from '../../engine/useEngineQuery';
import { formatAge, formatTime } from '../../ui/format';
import { AddModbusDevice } from './AddModbusDevice';
import { RegisterTable } from './RegisterTable';
import { useModbusDevices } from './useModbus';

/** Line faults worth a person's attention, in words, only those that happened. */
function faults(d: ModbusDeviceInfo): string {
  const c = d.counts;
  const parts: Array<[number, string]> = [
    [c.exceptions, 'exceptions'],
    [c.timeouts, 'timeouts'],
    [c.crcErrors, 'CRC errors'],
    [c.wrongUnit, 'wrong unit id'],
    [c.shortFrames, 'short frames'],
    [c.garbage, 'garbage'],
  ];
  return parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`).join(', ') || 'none';
}

/** Drives and protection relays polled over Modbus: their state, their last problem, and their registers. */
export function ModbusPanel() {
  const call = useEngineCall();
  const { devices, error, refresh } = useModbusDevices();
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      <section className="panel" data-testid="modbus-devices">
        <div className="panel-head">
          <h2>Modbus devices</h2>
        </div>
        {error && <p className="error">{error}</p>}
        {devices.length === 0 ? (
          <p className="empty-state">No drives or relays yet. Add one below, or start serve with --modbus.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>Motor</th>
                <th>Device</th>
                <th>State</th>
                <th>Last problem</th>
                <th>Faults</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {devices.map((d) => (
                <tr key={d.key} data-testid="modbus-row" data-key={d.key} data-state={d.state} onClick={() => setOpen(open === d.key ? null : d.key)}>
                  <td>
                    <a href={`#/motor/${encodeURIComponent(d.id)}`}>{d.id}</a>
                  </td>
                  <td className="small">
                    {d.profile}
                    <div className="mono muted">
                      {d.endpoint} unit {d.unit}, every {d.intervalMs} ms
                    </div>
                  </td>
                  <td data-testid="modbus-state">
                    {d.state}
                    <div className="muted small">polled {formatAge(d.lastPollAt)}</div>
                  </td>
                  <td className="small" data-testid="modbus-last-error">
                    {d.lastError ? `${formatTime(d.lastErrorAt ?? 0)}: ${d.lastError}` : '–'}
                  </td>
                  <td className="small">{faults(d)}</td>
                  <td>
                    <button
                      onClick={(e) => {
                        e.stopPropagation();
                        void call('modbus.remove', { key: d.key }).then(refresh);
                      }}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {devices
          .filter((d) => d.key === open)
          .map((d) => (
            <RegisterTable key={d.key} values={d.values} testId="modbus-device-values" />
          ))}
      </section>
      <AddModbusDevice onAdded={refresh} />
    </>
  );
}
