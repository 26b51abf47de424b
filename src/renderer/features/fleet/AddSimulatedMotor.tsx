import { useState } from 'react';
import { SIM_FAULTS, type SimFault } from '../../../shared/contract';
import { useEngineCall } from '../../engine/useEngineQuery';

/** Starts another simulated motor in the engine, optionally with a fault injected. */
export function AddSimulatedMotor() {
  const call = useEngineCall();
  const [fault, setFault] = useState<SimFault | ''>('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const add = async () => {
    setBusy(true);
    setError(null);
    try {
      await call('sim.add', { fault: fault || null });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="inline-form">
      <select value={fault} onChange={(e) => setFault(e.target.value as SimFault | '')} aria-label="Fault to inject" data-testid="add-sim-fault">
        <option value="">healthy</option>
        {SIM_FAULTS.map((f) => (
          <option key={f} value={f}>
            {f.replace('_', ' ')}
          </option>
        ))}
      </select>
      <button onClick={() => void add()} disabled={busy} data-testid="add-sim-motor">
        Add simulated motor
      </button>
      {error && <span className="error">{error}</span>}
    </div>
  );
}
