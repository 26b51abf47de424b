import { useState } from 'react';
import type { Procedure } from '../../../shared/benchtestProcedure';
import { checkProcedureText } from '../../../shared/procedureText';
import { useEngineCall, useEngineQuery } from '../../engine/useEngineQuery';

/** Shipped and own procedures; any can be copied, own ones edited, as JSON checked against the schema. */
export function ProcedureList() {
  const call = useEngineCall();
  const procedures = useEngineQuery('benchtest.procedures', {});
  const list = procedures.data ?? [];
  const [draft, setDraft] = useState<string | null>(null);
  const [note, setMessage] = useState<string | null>(null);
  const message = note ?? procedures.error;

  const copy = (p: Procedure) => setDraft(JSON.stringify({ ...p, name: `${p.name}-copy`, title: `${p.title} (copy)`, version: '1.0.0' }, null, 2));
  const save = async () => {
    // The same check as for a procedure file, pointing at the line and column in the editor.
    const r = checkProcedureText(draft ?? '', 'line');
    if (!r.ok) return setMessage(r.message);
    try {
      await call('benchtest.saveProcedure', { procedure: r.procedure });
      setMessage(`saved ${r.procedure.name} version ${r.procedure.version}`);
      setDraft(null);
      await procedures.reload();
    } catch (e) {
      setMessage((e as Error).message);
    }
  };

  return (
    <div className="panel" data-testid="bench-procedures">
      <h2>Procedures</h2>
      <table className="bench-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Version</th>
            <th>Title</th>
            <th>Steps</th>
            <th>Criteria</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map(({ procedure: p, builtIn }) => (
            <tr key={p.name} data-testid={`procedure-${p.name}`}>
              <td>{p.name}</td>
              <td>{p.version}</td>
              <td>
                {p.title}
                {builtIn && <span className="muted"> (shipped)</span>}
              </td>
              <td>{p.steps.length}</td>
              <td>{p.criteria.length}</td>
              <td>
                <button onClick={() => copy(p)} data-testid={`procedure-copy-${p.name}`}>
                  Copy
                </button>
                {!builtIn && (
                  <button onClick={() => setDraft(JSON.stringify(p, null, 2))} data-testid={`procedure-edit-${p.name}`}>
                    Edit
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {draft !== null && (
        <div className="bench-editor">
          <p className="muted">Raise the version when you change a procedure: each report names the version it followed.</p>
          <textarea value={draft} onChange={(e) => setDraft(e.target.value)} rows={24} spellCheck={false} data-testid="procedure-editor" />
          <div className="row">
            <button className="primary" onClick={() => void save()} data-testid="procedure-save">
              Save
            </button>
            <button onClick={() => setDraft(null)}>Cancel</button>
          </div>
        </div>
      )}
      {message && (
        <pre className="bench-message" data-testid="procedure-message">
          {message}
        </pre>
      )}
    </div>
  );
}
