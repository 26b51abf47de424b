import { useState } from 'react';
import type { BenchRunState } from '../../../shared/benchtestContract';
import { useEngineCall } from '../../engine/useEngineQuery';

const fmt = (v: number | null, unit: string) => (v === null ? '—' : `${v} ${unit}`.trim());
const clock = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

/** A run as it goes: steps, the countdown, live values against their limits, the spectrum, the controls. */
export function LiveRun({ run }: { run: BenchRunState }) {
  const call = useEngineCall();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const act = async (f: () => Promise<unknown>) => {
    setError(null);
    try {
      await f();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const id = run.runId;
  const over = run.state === 'finished' || run.state === 'aborted';
  const current = run.steps.find((s) => s.id === run.currentStep);
  const openReport = (format: 'html' | 'pdf') =>
    act(async () => {
      const r = await call('benchtest.report', { runId: id, format });
      window.open(r.downloadPath, '_blank', 'noopener');
    });

  return (
    <div className="panel bench-live" data-testid="bench-live">
      <div className="panel-head">
        <h2>
          {run.serialNumber} — {run.procedure.title} <span className="muted">v{run.procedure.version}</span>
        </h2>
        <span className="spacer" />
        <span className={`bench-state state-${run.verdict ?? run.state}`} data-testid="bench-state" data-run-id={run.runId}>
          {(run.verdict ?? run.state).toUpperCase()}
        </span>
      </div>
      {current && (
        <div className="bench-current" data-testid="bench-current">
          <b>{current.title}</b>
          {run.remainingS !== null && <span className="bench-countdown" data-testid="bench-countdown">{clock(run.remainingS)} left (motor time)</span>}
          {run.prompt && (
            <p className="bench-prompt" data-testid="bench-prompt">
              {run.prompt}
            </p>
          )}
          {run.state === 'waiting' && (
            <button className="primary" onClick={() => void act(() => call('benchtest.confirm', { runId: id }))} data-testid="bench-confirm">
              Done, continue
            </button>
          )}
        </div>
      )}
      {!over && (
        <div className="row bench-controls">
          {run.state === 'paused' ? (
            <button onClick={() => void act(() => call('benchtest.resume', { runId: id }))} data-testid="bench-resume">
              Resume
            </button>
          ) : (
            <button onClick={() => void act(() => call('benchtest.pause', { runId: id }))} disabled={run.state !== 'running'} data-testid="bench-pause">
              Pause
            </button>
          )}
          <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="reason to abort" data-testid="bench-abort-reason" />
          <button className="danger" disabled={!reason.trim()} onClick={() => void act(() => call('benchtest.abort', { runId: id, reason }))} data-testid="bench-abort">
            Abort
          </button>
        </div>
      )}
      {error && <p className="error">{error}</p>}
      <ol className="bench-steps">
        {run.steps.map((s) => (
          <li key={s.id} className={`step-${s.state}`} data-testid={`bench-step-${s.id}`} data-state={s.state}>
            {s.title} <span className="muted">{s.state}{s.attempt > 1 ? `, attempt ${s.attempt}` : ''}{s.note ? `: ${s.note}` : ''}</span>
            {!over && s.kind === 'run' && (s.state === 'done' || s.state === 'invalid') && (
              <button className="ghost" onClick={() => void act(() => call('benchtest.rerunStep', { runId: id, stepId: s.id }))}>
                Rerun
              </button>
            )}
          </li>
        ))}
      </ol>
      {!over && (
        <table className="bench-table" data-testid="bench-live-values">
          <tbody>
            {run.live.map((v) => (
              <tr key={v.name} className={v.ok === false ? 'over' : ''} data-ok={String(v.ok)}>
                <td>{v.name}</td>
                <td className="num">{fmt(v.value, v.unit)}</td>
                <td className="num muted">{v.limit === null ? '' : `limit ${fmt(v.limit, v.unit)}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!over && run.spectrum && <MiniSpectrum spectrum={run.spectrum} />}
      {run.abortReason && <p className="warn">Aborted: {run.abortReason}</p>}
      {run.warnings.map((w) => (
        <p key={w} className="warn">
          {w}
        </p>
      ))}
      {over && (
        <>
          <table className="bench-table" data-testid="bench-criteria">
            <thead>
              <tr>
                <th>Criterion</th>
                <th>Measured</th>
                <th>Limit</th>
                <th>Result</th>
              </tr>
            </thead>
            <tbody>
              {run.criteria.map((c) => (
                <tr key={c.id} className={`result-${c.result}`} title={`${c.detail}\n\nSource: ${c.source}`}>
                  <td>{c.name}</td>
                  <td className="num">{fmt(c.value, c.unit)}</td>
                  <td className="num">{c.limit === null ? '—' : `≤ ${fmt(c.limit, c.unit)}`}</td>
                  <td>{c.result.toUpperCase()}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row">
            <button onClick={() => void openReport('html')} data-testid="bench-report-html">
              Report (HTML)
            </button>
            <button onClick={() => void openReport('pdf')}>Report (PDF)</button>
          </div>
        </>
      )}
    </div>
  );
}

function MiniSpectrum({ spectrum }: { spectrum: NonNullable<BenchRunState['spectrum']> }) {
  const W = 520;
  const H = 120;
  const max = Math.max(...spectrum.amplitude, 1e-9);
  const maxHz = spectrum.df * spectrum.amplitude.length;
  const points = spectrum.amplitude.map((a, i) => `${((i / spectrum.amplitude.length) * W).toFixed(1)},${(H - (a / max) * (H - 12)).toFixed(1)}`).join(' ');
  return (
    <svg className="bench-spectrum" viewBox={`0 0 ${W} ${H}`} data-testid="bench-spectrum" role="img" aria-label="acceleration spectrum">
      <polyline fill="none" stroke="var(--accent, #1f5fa8)" points={points} />
      {spectrum.markers.map((m) => (
        <g key={m.label}>
          <line x1={(m.hz / maxHz) * W} x2={(m.hz / maxHz) * W} y1={0} y2={H} stroke="#c0392b" strokeDasharray="3 3" />
          <text x={(m.hz / maxHz) * W + 2} y={10} fontSize={9} fill="#c0392b">
            {m.label}
          </text>
        </g>
      ))}
      <text x={W - 2} y={H - 2} fontSize={9} textAnchor="end" fill="currentColor">
        0–{Math.round(maxHz)} Hz
      </text>
    </svg>
  );
}
