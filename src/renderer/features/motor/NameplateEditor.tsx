import { useState } from 'react';
import { READINGS } from '../../../shared/readings';
import type { TwinSnapshot } from '../../../shared/twin';
import { useEngineCall } from '../../engine/useEngineQuery';
import { LIMIT_KEYS, LIMIT_READINGS, NAMEPLATE_FIELDS, formFromTwin, patchFromForm, type FormValues } from './nameplateForm';

const LIMIT_LABEL = { warnAbove: 'warn above', alarmAbove: 'alarm above', warnBelow: 'warn below', alarmBelow: 'alarm below' } as const;

/** The motor's nameplate and limits; saved to the twin (and DuckDB) by the engine, which validates them. */
export function NameplateEditor({ twin }: { twin: TwinSnapshot }) {
  const call = useEngineCall();
  const [values, setValues] = useState<FormValues | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const shown = values ?? formFromTwin(twin);
  const set = (key: string, value: string) => setValues({ ...shown, [key]: value });

  const save = async () => {
    const r = patchFromForm(twin, shown);
    if ('error' in r) return setMessage({ text: r.error, error: true });
    try {
      await call('twins.update', r.patch);
      setValues(null);
      setMessage({ text: 'Saved', error: false });
    } catch (e) {
      setMessage({ text: (e as Error).message, error: true });
    }
  };

  return (
    <section className="panel" data-testid="nameplate-editor">
      <h2>Nameplate and limits</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="form-grid">
          <label className="field">
            Name
            <input value={shown.name} onChange={(e) => set('name', e.target.value)} data-testid="field-name" />
          </label>
          {NAMEPLATE_FIELDS.map((f) => (
            <label key={f.key} className="field">
              {f.label}
              {f.unit && <span className="muted"> ({f.unit})</span>}
              {typeof f.kind === 'object' ? (
                <select value={shown[f.key]} onChange={(e) => set(f.key, e.target.value)} data-testid={`field-${f.key}`}>
                  <option value="">not set</option>
                  {f.kind.options.map((o) => (
                    <option key={o}>{o}</option>
                  ))}
                </select>
              ) : (
                <input inputMode={f.kind === 'number' ? 'decimal' : 'text'} value={shown[f.key]} onChange={(e) => set(f.key, e.target.value)} data-testid={`field-${f.key}`} />
              )}
            </label>
          ))}
        </div>
        <h3>Limits</h3>
        <div className="form-grid">
          {LIMIT_READINGS.flatMap((r) =>
            LIMIT_KEYS.map((k) => (
              <label key={`${r}.${k}`} className="field">
                {READINGS[r].label} {LIMIT_LABEL[k]} <span className="muted">({READINGS[r].unit})</span>
                <input inputMode="decimal" value={shown[`${r}.${k}`]} onChange={(e) => set(`${r}.${k}`, e.target.value)} data-testid={`field-${r}-${k}`} />
              </label>
            )),
          )}
        </div>
        <div className="inline-form">
          <button type="submit" disabled={values === null} data-testid="nameplate-save">
            Save
          </button>
          {values !== null && (
            <button type="button" className="ghost" onClick={() => setValues(null)}>
              Discard changes
            </button>
          )}
          {message && <span className={message.error ? 'error' : 'muted'} data-testid="nameplate-message">{message.text}</span>}
        </div>
      </form>
    </section>
  );
}
