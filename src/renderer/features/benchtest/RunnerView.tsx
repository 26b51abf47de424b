import { useState } from 'react';
import type { BenchRunState } from '../../../shared/benchtestContract';
import { SIM_FAULTS } from '../../../shared/contract';
import { useTwins } from '../../engine/EngineProvider';
import { useEngineCall, useEngineQuery } from '../../engine/useEngineQuery';
import { LiveRun } from './LiveRun';
import { useBenchRuns } from './useBenchRuns';

/** The start form (motor, operator, source) and the live view of the newest run. */
export function RunnerView() {
  const call = useEngineCall();
  const twins = useTwins();
  const runs = useBenchRuns();
  const procedures = useEngineQuery('benchtest.procedures', {}).data?.map((x) => x.procedure) ?? [];
  const [form, setForm] = useState({ procedure: 'no-load-acceptance', serialNumber: '', operator: '', model: '', source: 'sim', fault: '', speedup: '30' });
  const [error, setError] = useState<{ text: string; retest: boolean } | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  const start = async (retest = false) => {
    setError(null);
    try {
      const source = form.source === 'sim' ? { kind: 'sim' as const, fault: form.fault || null, speedup: Number(form.speedup) || 1 } : { kind: 'device' as const, deviceId: form.source };
      const s = await call('benchtest.start', {
        procedure: form.procedure,
        serialNumber: form.serialNumber,
        operator: form.operator,
        nameplate: form.model ? { model: form.model } : {},
        source,
        retest,
      });
      setSelected(s.runId);
    } catch (e) {
      const text = (e as Error).message;
      setError({ text, retest: /already tested/.test(text) });
    }
  };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const shown = runs.find((r) => r.runId === selected) ?? runs[0];
  const boards = [...twins.values()].filter((t) => !t.simulated && t.connection === 'online');

  return (
    <div className="bench-runner">
      <form className="panel bench-start" onSubmit={(e) => (e.preventDefault(), void start())} data-testid="bench-start">
        <h2>New bench test</h2>
        <label>
          Procedure
          <select value={form.procedure} onChange={set('procedure')} data-testid="bench-procedure">
            {procedures.map((p) => (
              <option key={p.name} value={p.name}>
                {p.title} ({p.name} {p.version})
              </option>
            ))}
          </select>
        </label>
        <label>
          Motor serial number
          <input value={form.serialNumber} onChange={set('serialNumber')} required data-testid="bench-serial" />
        </label>
        <label>
          Model (nameplate)
          <input value={form.model} onChange={set('model')} placeholder="from the motor's nameplate" />
        </label>
        <label>
          Operator
          <input value={form.operator} onChange={set('operator')} required data-testid="bench-operator" />
        </label>
        <label>
          Readings from
          <select value={form.source} onChange={set('source')} data-testid="bench-source">
            <option value="sim">simulated motor</option>
            {boards.map((t) => (
              <option key={t.id} value={t.id}>
                {t.id} ({t.source})
              </option>
            ))}
          </select>
        </label>
        {form.source === 'sim' && (
          <>
            <label>
              Fault
              <select value={form.fault} onChange={set('fault')} data-testid="bench-fault">
                <option value="">none (healthy)</option>
                {SIM_FAULTS.map((f) => (
                  <option key={f}>{f}</option>
                ))}
              </select>
            </label>
            <label>
              Speedup (simulator only)
              <input type="number" min={1} max={1000} value={form.speedup} onChange={set('speedup')} data-testid="bench-speedup" />
            </label>
          </>
        )}
        <button className="primary" type="submit" data-testid="bench-start-button">
          Start
        </button>
        {error && (
          <div className="error" data-testid="bench-error">
            {error.text}
            {error.retest && (
              <div className="row">
                <a href="#/bench/reports">Open the earlier report</a>
                <button type="button" onClick={() => void start(true)}>
                  Test again
                </button>
              </div>
            )}
          </div>
        )}
      </form>
      {shown ? <LiveRun run={shown} /> : <p className="muted panel">No run yet in this session.</p>}
      {runs.length > 1 && (
        <div className="panel">
          <h3>Runs this session</h3>
          {runs.map((r: BenchRunState) => (
            <button key={r.runId} className={r.runId === shown?.runId ? 'active' : ''} onClick={() => setSelected(r.runId)}>
              {r.serialNumber}: {r.verdict ?? r.state}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
