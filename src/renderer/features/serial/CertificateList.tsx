import { useEffect, useState } from 'react';
import type { Certificate } from '../../../shared/serialContract';
import { useEngineCall, useEngineQuery } from '../../engine/useEngineQuery';
import { formatDateTime } from '../../ui/format';

/** Certificates per board, newest first; each exports as a printable HTML page (print it to PDF). */
export function CertificateList({ refresh }: { refresh: number }) {
  const call = useEngineCall();
  const list = useEngineQuery('calibration.certificates', {});
  const certs: Certificate[] = list.data ?? [];
  const [device, setDevice] = useState('');
  const [failure, setError] = useState<string | null>(null);
  const error = failure ?? list.error;
  // A new certificate was made here: the list loads again.
  const { reload } = list;
  useEffect(() => {
    if (refresh) void reload();
  }, [refresh, reload]);

  const exportOne = async (id: string) => {
    try {
      const r = await call('calibration.export', { id });
      window.open(r.downloadPath, '_blank', 'noopener');
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const devices = [...new Set(certs.map((c) => c.deviceId))];
  const shown = device ? certs.filter((c) => c.deviceId === device) : certs;
  return (
    <div className="panel" data-testid="certificates">
      <div className="panel-head">
        <h2>Calibration certificates</h2>
        <span className="spacer" />
        <select value={device} onChange={(e) => setDevice(e.target.value)} aria-label="board">
          <option value="">all boards</option>
          {devices.map((d) => (
            <option key={d}>{d}</option>
          ))}
        </select>
      </div>
      {error && <p className="error">{error}</p>}
      {shown.length === 0 ? (
        <p className="empty-state">No certificates yet. Run a calibration to issue one.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Certificate</th>
              <th>Board</th>
              <th>Sensor</th>
              <th>Reference</th>
              <th>By</th>
              <th>When</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => (
              <tr key={c.id} data-testid="certificate-row">
                <td className="mono small">{c.id}</td>
                <td>{c.deviceId}</td>
                <td>{c.sensor}</td>
                <td className="small">
                  {c.instrument} <span className="muted">({c.instrumentCertificate})</span>
                </td>
                <td>{c.technician}</td>
                <td className="nowrap small">{formatDateTime(c.createdAt)}</td>
                <td>
                  <button onClick={() => void exportOne(c.id)} data-testid="certificate-export">
                    HTML / PDF
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
