import { useState } from 'react';
import { BAUD_RATES, DEFAULT_BAUD, type SerialPortInfo } from '../../../shared/serialContract';
import { useEngineCall } from '../../engine/useEngineQuery';

const STATE_LABEL: Record<SerialPortInfo['state'], string> = {
  closed: 'closed',
  opening: 'opening…',
  open: 'open',
  reconnecting: 'unplugged, waiting',
  flashing: 'flashing',
  error: 'error',
};

/** Every port the computer has, plus the ones opened by path; boards come and go without a restart. */
export function PortList({ ports, selected, onSelect }: { ports: SerialPortInfo[]; selected: string | null; onSelect: (path: string) => void }) {
  const call = useEngineCall();
  const [baud, setBaud] = useState<Record<string, number>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [manual, setManual] = useState('');

  const open = async (path: string) => {
    setBusy(path);
    setError(null);
    try {
      await call('serial.open', { path, baud: baud[path] ?? DEFAULT_BAUD });
      onSelect(path);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  const close = async (path: string) => {
    setError(null);
    await call('serial.close', { path }).catch((e: Error) => setError(e.message));
  };

  return (
    <div className="panel" data-testid="port-list">
      <div className="panel-head">
        <h2>Ports</h2>
        <span className="spacer" />
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (manual.trim()) void open(manual.trim());
          }}
        >
          <input placeholder="Open by path, e.g. /dev/ttyUSB0" value={manual} onChange={(e) => setManual(e.target.value)} data-testid="port-path-input" size={30} />
          <button type="submit" disabled={!manual.trim()}>
            Open
          </button>
        </form>
      </div>
      {error && (
        <p className="error" data-testid="port-error">
          {error}
        </p>
      )}
      {ports.length === 0 ? (
        <p className="empty-state">No serial ports. Plug a board in with a USB data cable (not a charge-only one); it appears here by itself.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Port</th>
              <th>Board</th>
              <th>State</th>
              <th>Lines</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {ports.map((p) => (
              <tr key={p.path} className={p.path === selected ? 'selected' : ''} data-testid="port-row" data-path={p.path} data-state={p.state} onClick={() => onSelect(p.path)}>
                <td className="mono small">
                  {p.path}
                  {!p.present && <span className="warn-text"> (not plugged in)</span>}
                </td>
                <td className="small">
                  {p.bridge ?? (p.vid ? 'unknown USB device' : 'serial port without USB ids')}
                  {p.vid && <span className="muted"> {`${p.vid}:${p.pid}`}</span>}
                  {p.chipFamily && <div className="muted">likely {p.chipFamily}</div>}
                  {p.serialNumber && <div className="muted">S/N {p.serialNumber}</div>}
                  {p.deviceId && (
                    <div>
                      twin <a href={`#/motor/${encodeURIComponent(p.deviceId)}`}>{p.deviceId}</a>
                    </div>
                  )}
                </td>
                <td className="small" data-testid="port-state">
                  <span className={`port-state port-${p.state}`}>{STATE_LABEL[p.state]}</span>
                  {p.baud && <span className="muted"> {p.baud} baud</span>}
                  {p.error && <div className="error">{p.error}</div>}
                  {p.hint && <div className="warn-text">{p.hint}</div>}
                </td>
                <td className="small nowrap">
                  {p.lines.toLocaleString()}
                  {p.garbageLines > 0 && <div className="warn-text">{p.garbageLines.toLocaleString()} garbled</div>}
                  {p.rejectedLines > 0 && <div className="warn-text">{p.rejectedLines.toLocaleString()} rejected</div>}
                </td>
                <td className="nowrap" onClick={(e) => e.stopPropagation()}>
                  {p.state === 'closed' || p.state === 'error' ? (
                    <>
                      <select value={baud[p.path] ?? p.baud ?? DEFAULT_BAUD} onChange={(e) => setBaud({ ...baud, [p.path]: Number(e.target.value) })} aria-label="baud rate">
                        {BAUD_RATES.map((b) => (
                          <option key={b} value={b}>
                            {b}
                          </option>
                        ))}
                      </select>{' '}
                      <button onClick={() => void open(p.path)} disabled={busy === p.path} data-testid="port-open">
                        Open
                      </button>
                    </>
                  ) : (
                    <button onClick={() => void close(p.path)} disabled={p.state === 'flashing'} data-testid="port-close">
                      Close
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
