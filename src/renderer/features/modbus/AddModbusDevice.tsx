import { useState } from 'react';
import { PARITIES, RTU_BAUDS, type ModbusDeviceConfigInput, type TestReadResult } from '../../../shared/modbusContract';
import { useEngineCall } from '../../engine/useEngineQuery';
import { RegisterTable } from './RegisterTable';
import { useModbusProfiles } from './useModbus';

interface Draft {
  id: string;
  kind: 'tcp' | 'rtu';
  host: string;
  port: string;
  path: string;
  baud: string;
  parity: (typeof PARITIES)[number];
  unit: string;
  profile: string;
  interval: string;
}

const INITIAL: Draft = { id: '', kind: 'tcp', host: '', port: '502', path: '/dev/ttyUSB0', baud: '19200', parity: 'even', unit: '1', profile: 'generic-vfd', interval: '1000' };

function configOf(d: Draft): ModbusDeviceConfigInput {
  const endpoint = d.kind === 'tcp' ? { kind: 'tcp' as const, host: d.host.trim(), port: Number(d.port) } : { kind: 'rtu' as const, path: d.path.trim(), baud: Number(d.baud), parity: d.parity };
  return { id: d.id.trim(), endpoint, unit: Number(d.unit), profile: d.profile.trim(), intervalMs: Number(d.interval) };
}

/** A drive or relay to poll: where it is, its unit and profile; a test read shows what it answers before it is added. */
export function AddModbusDevice({ onAdded }: { onAdded: () => void }) {
  const call = useEngineCall();
  const profiles = useModbusProfiles();
  const [draft, setDraft] = useState<Draft>(INITIAL);
  const [busy, setBusy] = useState<'test' | 'add' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [test, setTest] = useState<TestReadResult | null>(null);
  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setTest(null);
  };
  const run = async (what: 'test' | 'add') => {
    setBusy(what);
    setError(null);
    try {
      if (what === 'test') setTest(await call('modbus.testRead', configOf(draft)));
      else {
        await call('modbus.add', configOf(draft));
        setDraft(INITIAL);
        setTest(null);
        onAdded();
      }
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  const field = (label: string, key: keyof Draft, props: Record<string, unknown> = {}) => (
    <label className="field">
      <span>{label}</span>
      <input value={draft[key]} onChange={(e) => set({ [key]: e.target.value } as Partial<Draft>)} data-testid={`modbus-${key}`} {...props} />
    </label>
  );
  return (
    <section className="panel" data-testid="modbus-add">
      <div className="panel-head">
        <h2>Add a Modbus device</h2>
      </div>
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void run('add');
        }}
      >
        {field('Motor (twin id)', 'id', { placeholder: 'motor_01' })}
        <label className="field">
          <span>Connection</span>
          <select value={draft.kind} onChange={(e) => set({ kind: e.target.value as Draft['kind'] })} data-testid="modbus-kind">
            <option value="tcp">Modbus TCP</option>
            <option value="rtu">Modbus RTU (RS-485)</option>
          </select>
        </label>
        {draft.kind === 'tcp' ? (
          <>
            {field('Host', 'host', { placeholder: '10.0.0.5' })}
            {field('Port', 'port', { inputMode: 'numeric' })}
          </>
        ) : (
          <>
            {field('Serial port', 'path')}
            <label className="field">
              <span>Baud</span>
              <select value={draft.baud} onChange={(e) => set({ baud: e.target.value })} data-testid="modbus-baud">
                {RTU_BAUDS.map((b) => (
                  <option key={b}>{b}</option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Parity</span>
              <select value={draft.parity} onChange={(e) => set({ parity: e.target.value as Draft['parity'] })} data-testid="modbus-parity">
                {PARITIES.map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            </label>
          </>
        )}
        {field('Unit id', 'unit', { inputMode: 'numeric' })}
        {field('Profile (name or file path)', 'profile', { list: 'modbus-profiles' })}
        <datalist id="modbus-profiles">
          {profiles.map((p) => (
            <option key={p.name} value={p.name}>
              {p.description.slice(0, 80)}
            </option>
          ))}
        </datalist>
        {field('Interval (ms)', 'interval', { inputMode: 'numeric' })}
        <div className="field">
          <span />
          <div>
            <button type="button" onClick={() => void run('test')} disabled={busy !== null} data-testid="modbus-test-read">
              {busy === 'test' ? 'Reading…' : 'Test read'}
            </button>{' '}
            <button type="submit" disabled={busy !== null || !draft.id.trim()} data-testid="modbus-add-button">
              {busy === 'add' ? 'Adding…' : 'Add'}
            </button>
          </div>
        </div>
      </form>
      {error && (
        <p className="error" data-testid="modbus-error">
          {error}
        </p>
      )}
      {test && (
        <>
          <p className="muted small" data-testid="modbus-test-summary">
            {test.profile}: {test.values.filter((v) => !v.error).length} of {test.values.length} registers read in {test.ms} ms
          </p>
          <RegisterTable values={test.values} testId="modbus-test-values" />
        </>
      )}
    </section>
  );
}
