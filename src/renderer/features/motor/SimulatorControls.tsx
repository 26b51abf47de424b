import { useState } from 'react';
import { SIM_FAULTS, type SimFault } from '../../../shared/contract';
import { useConnected, useEngineCall, useEngineQuery } from '../../engine/useEngineQuery';

/** For a simulated motor: inject or clear a fault, or stop simulating it. */
export function SimulatorControls({ id }: { id: string }) {
  const call = useEngineCall();
  const connected = useConnected();
  const sims = useEngineQuery('sim.list', {});
  const fault = sims.data?.find((s) => s.id === id)?.fault ?? null;
  const [error, setError] = useState<string | null>(null);

  const choose = async (next: SimFault | null) => {
    try {
      await call('sim.setFault', { id, fault: next });
      await sims.reload();
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const remove = async () => {
    try {
      await call('sim.remove', { id });
      window.location.hash = '#/';
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section className="panel">
      <h2>Simulator</h2>
      <label className="field">
        Injected fault
        <select value={fault ?? ''} onChange={(e) => void choose((e.target.value || null) as SimFault | null)} data-testid="sim-fault">
          <option value="">none (healthy)</option>
          {SIM_FAULTS.map((f) => (
            <option key={f} value={f}>
              {f.replace('_', ' ')}
            </option>
          ))}
        </select>
      </label>
      <p className="muted small">Bearing faults grow over time; “malformed” sends bad messages that land in the rejected panel.</p>
      <button className="danger" onClick={() => void remove()} disabled={!connected}>
        Stop simulating this motor
      </button>
      {error && <div className="error">{error}</div>}
    </section>
  );
}
