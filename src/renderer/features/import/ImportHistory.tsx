import { useRef, useState } from 'react';
import { READING_NAMES, type ReadingName } from '../../../shared/readings';
import { formatDateTime } from '../../ui/format';
import { useHistoryImport } from './useHistoryImport';

const PHASE_TEXT = { idle: '', uploading: 'uploading', mapping: 'choose the columns', reading: 'reading and storing', storing: 'storing', replaying: 'replaying rules and anomaly', done: 'done', failed: 'failed' } as const;

/** History from another collector: drop a CSV or Parquet trend export here (or choose one), map its columns, import. */
export function ImportHistory({ deviceId }: { deviceId: string }) {
  const { state: s, upload, start, setMapping, reset } = useHistoryImport(deviceId);
  const [dragging, setDragging] = useState(false);
  const [timezone, setTimezone] = useState('UTC');
  const [baselineHours, setBaselineHours] = useState(24);
  const input = useRef<HTMLInputElement>(null);
  const take = (f: File | undefined) => f && void upload(f);
  const busy = s.phase === 'uploading' || s.phase === 'reading' || s.phase === 'storing' || s.phase === 'replaying';
  const r = s.report;
  return (
    <section
      className={`panel drop-zone ${dragging ? 'drop-active' : ''}`}
      data-testid="history-import"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        take(e.dataTransfer.files[0]);
      }}
    >
      <div className="panel-head">
        <h2>History from other collectors</h2>
        <button onClick={() => input.current?.click()} disabled={busy} data-testid="history-import-button">
          Import history…
        </button>
        <input ref={input} type="file" accept=".csv,.txt,.tsv,.parquet" hidden onChange={(e) => take(e.target.files?.[0])} data-testid="history-import-input" />
      </div>
      {s.phase === 'idle' && <p className="muted small">Drop a CSV or Parquet trend export here (one row per time, one column per reading): its rows join this motor's history and its alarms appear at their own times.</p>}
      {s.phase !== 'idle' && (
        <div className="import-row" data-testid="history-import-status" data-phase={s.phase}>
          <span className="import-name">{s.name}</span>
          <progress max={1} value={s.fraction} data-testid="history-import-progress" />
          <span className="small">{PHASE_TEXT[s.phase]}</span>
        </div>
      )}
      {s.message && s.phase === 'failed' && <p className="reason-alarm small">{s.message}</p>}
      {s.phase === 'mapping' && (
        <div className="small" data-testid="history-import-mapping">
          <label>
            Time column{' '}
            <select value={s.timeColumn} onChange={(e) => setMapping({ timeColumn: e.target.value, map: s.map })}>
              {s.columns.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
          {s.columns
            .filter((c) => c !== s.timeColumn)
            .map((c) => (
              <label key={c}>
                {' '}
                {c} as{' '}
                <select
                  value={s.map[c] ?? ''}
                  data-testid={`history-import-map-${c}`}
                  onChange={(e) => {
                    const map = { ...s.map };
                    if (e.target.value) map[c] = e.target.value as ReadingName;
                    else delete map[c];
                    setMapping({ timeColumn: s.timeColumn, map });
                  }}
                >
                  <option value="">(skip)</option>
                  {READING_NAMES.map((m) => (
                    <option key={m}>{m}</option>
                  ))}
                </select>
              </label>
            ))}
          <label>
            {' '}
            time zone <input value={timezone} onChange={(e) => setTimezone(e.target.value)} size={14} />
          </label>
          <label>
            {' '}
            baseline hours <input type="number" min={1} value={baselineHours} onChange={(e) => setBaselineHours(Number(e.target.value) || 24)} style={{ width: '5em' }} />
          </label>{' '}
          <button onClick={() => void start({ timezone, baselineHours })} disabled={!Object.keys(s.map).length} data-testid="history-import-start">
            Import
          </button>{' '}
          <button className="ghost" onClick={reset}>
            Cancel
          </button>
        </div>
      )}
      {r && (
        <div className="small" data-testid="history-import-report">
          <p>
            {r.rowsRead} rows read, {r.stored} stored, {r.alreadyStored} already stored, {r.skipped} skipped · {r.from !== null && `${formatDateTime(r.from)} to ${formatDateTime(r.to!)}`}
          </p>
          {r.problems.length > 0 && (
            <ul className="muted">
              {r.problems.slice(0, 8).map((p) => (
                <li key={p.line}>
                  {r.format === 'csv' ? 'line' : 'row'} {p.line}: {p.reason}
                </li>
              ))}
            </ul>
          )}
          <p>{r.alarms.length ? `Alarms replayed at their own times:` : 'No alarm in the imported history.'}</p>
          <ul data-testid="history-import-alarms">
            {r.alarms.map((a) => (
              <li key={a.id} className={`sev-${a.severity}`}>
                <span className="mono">{formatDateTime(a.raisedAt)}</span> to <span className="mono">{a.clearedAt === null ? 'still active' : formatDateTime(a.clearedAt)}</span> · {a.condition} ({a.severity}): {a.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
