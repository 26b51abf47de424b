import { useState } from 'react';
import { READINGS, READING_NAMES, type ReadingName } from '../../../shared/readings';
import type { SparkplugDevice, SparkplugMapping } from '../../../shared/sparkplugContract';
import { useEngineCall, useEngineQuery } from '../../engine/useEngineQuery';

/** How often the list is asked for again: births, deaths and values change on the broker's time. */
const REFRESH_MS = 2000;

/** Sparkplug B edge nodes and devices heard on the broker, each with its twin and its metric-to-reading mapping. */
export function SparkplugPanel() {
  const list = useEngineQuery('sparkplug.list', {}, { refreshMs: REFRESH_MS });
  const devices = list.data ?? null;
  const error = list.error;
  const [editing, setEditing] = useState<string | null>(null);
  const refresh = () => void list.reload();

  if (error && !devices) return <p className="error">{error}</p>;
  if (!devices) return <p className="muted">loading…</p>;
  return (
    <section className="panel" data-testid="sparkplug-panel">
      <div className="panel-head">
        <h2>Sparkplug B</h2>
      </div>
      <p className="muted small">
        MotorTwin reads <code>spBv1.0/#</code> as a Sparkplug host: each device (or a node without devices) is a twin named <code>node.device</code>, its metrics
        become readings by name (“Motor/Temperature”, “Current”, “Speed”…) unless mapped here. A gap in <code>seq</code> or data before a birth asks the edge
        node to rebirth; a death certificate takes its twins offline.
      </p>
      {devices.length === 0 ? (
        <p className="muted" data-testid="sparkplug-empty">
          No Sparkplug edge node heard since the engine started.
        </p>
      ) : (
        <table className="table" data-testid="sparkplug-devices">
          <thead>
            <tr>
              <th>Sparkplug name</th>
              <th>Twin</th>
              <th>State</th>
              <th>Metrics</th>
              <th>Rebirths asked</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.key} data-testid={`sparkplug-row-${d.key}`}>
                <td>{d.key}</td>
                <td>
                  <a href={`#/motor/${encodeURIComponent(d.twinId)}`}>{d.twinId}</a>
                </td>
                <td>{d.online ? 'online' : 'offline'}{d.born ? '' : ', awaiting birth'}</td>
                <td>
                  {d.metrics.length} ({d.metrics.filter((m) => m.reading).length} as readings)
                </td>
                <td title={d.lastRebirth ?? undefined}>{d.rebirths}{d.lastRebirth ? ` (${d.lastRebirth})` : ''}</td>
                <td>
                  <button className="ghost" onClick={() => setEditing(editing === d.key ? null : d.key)} data-testid={`sparkplug-edit-${d.key}`}>
                    {editing === d.key ? 'Close' : 'Mapping'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && devices.find((d) => d.key === editing) && (
        <MappingForm
          key={editing}
          device={devices.find((d) => d.key === editing)!}
          onSaved={() => {
            setEditing(null);
            refresh();
          }}
        />
      )}
    </section>
  );
}

/** "default" follows the name; "" is not stored; otherwise a reading. */
type Choice = 'default' | '' | ReadingName;

function MappingForm({ device, onSaved }: { device: SparkplugDevice; onSaved: () => void }) {
  const call = useEngineCall();
  const [twinId, setTwinId] = useState(device.mapping.twinId ?? '');
  const [choices, setChoices] = useState<Record<string, Choice>>(() =>
    Object.fromEntries(device.metrics.map((m) => [m.name, m.mappedBy === 'user' ? (m.reading ?? '') : 'default'])),
  );
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    const readings: SparkplugMapping['readings'] = {};
    for (const [name, c] of Object.entries(choices)) if (c !== 'default') readings[name] = c === '' ? null : c;
    try {
      await call('sparkplug.setMapping', { key: device.key, mapping: { twinId: twinId.trim() || null, readings } });
      onSaved();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <form
      className="form-grid"
      data-testid="sparkplug-mapping"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3>{device.key}</h3>
      <label className="field">
        <span>Twin (empty: {device.device === null ? device.node : `${device.node}.${device.device}`}, made safe)</span>
        <input value={twinId} onChange={(e) => setTwinId(e.target.value)} placeholder="motor_01" data-testid="sparkplug-twin" />
      </label>
      {device.metrics.map((m) => (
        <label className="field" key={m.name}>
          <span>
            {m.name} <span className="muted small">({m.type}{m.value === null ? '' : `, ${m.value}`})</span>
          </span>
          <select value={choices[m.name]} onChange={(e) => setChoices((c) => ({ ...c, [m.name]: e.target.value as Choice }))} data-testid={`sparkplug-metric-${m.name}`}>
            <option value="default">by name{m.mappedBy === 'default' ? ` (${m.reading ? READINGS[m.reading].label : 'not stored'})` : ''}</option>
            <option value="">not stored</option>
            {READING_NAMES.map((r) => (
              <option key={r} value={r}>
                {READINGS[r].label} ({r})
              </option>
            ))}
          </select>
        </label>
      ))}
      <div>
        <button type="submit" data-testid="sparkplug-save">
          Save mapping
        </button>
        {error && <span className="error"> {error}</span>}
      </div>
    </form>
  );
}
