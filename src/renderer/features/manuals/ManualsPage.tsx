import { useCallback, useEffect, useRef, useState } from 'react';
import type { ManualInfo } from '../../../shared/agentContract';
import { useEngineCall, useEngineQuery } from '../../engine/useEngineQuery';
import { ModelSettings } from './ModelSettings';
import { filesFromDrop, useManualImport, type ImportRow } from './useManualImport';
import './manuals.css';

/** The manuals the chat searches (offline), their import, and the model settings. */
export function ManualsPage() {
  const call = useEngineCall();
  const list = useEngineQuery('manuals.list', {});
  const manuals = list.data ?? [];
  const [dragging, setDragging] = useState(false);
  const [skipped, setSkipped] = useState<string[]>([]);
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const { reload } = list;
  const refresh = useCallback(() => void reload(), [reload]);
  const imports = useManualImport(refresh);

  useEffect(() => {
    folder.current?.setAttribute('webkitdirectory', '');
  }, []);

  const take = (list: File[]) => {
    setSkipped(imports.skipped(list));
    void imports.importFiles(list);
  };
  const remove = async (m: ManualInfo) => {
    if (!window.confirm(`Remove “${m.title}” (${m.name}) and its ${m.chunks} passages?`)) return;
    await call('manuals.remove', { id: m.id });
    refresh();
  };

  return (
    <section data-testid="manuals-page">
      <div className="page-head">
        <h1>Manuals & model</h1>
        <span className="muted small">What the chat searches and cites, on this computer; no internet needed.</span>
      </div>
      <div
        className={`panel drop-zone ${dragging ? 'drop-active' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          void filesFromDrop(e.dataTransfer.items).then(take);
        }}
        data-testid="manual-drop"
      >
        <p>Drop PDF, Markdown, HTML or text files, or whole folders, here, or</p>
        <button onClick={() => files.current?.click()}>Choose files…</button>{' '}
        <button className="ghost" onClick={() => folder.current?.click()}>
          Choose a folder…
        </button>
        <input ref={files} type="file" multiple accept=".pdf,.md,.markdown,.html,.htm,.txt,.text" hidden onChange={(e) => take([...(e.target.files ?? [])])} data-testid="manual-file-input" />
        <input ref={folder} type="file" multiple hidden onChange={(e) => take([...(e.target.files ?? [])])} />
        <p className="muted small">A file imported again replaces its earlier version when it changed. From a terminal: motortwin manuals add PATH…</p>
        {skipped.length > 0 && <p className="muted small">Skipped (not PDF, Markdown, HTML or text): {skipped.slice(0, 5).join(', ')}{skipped.length > 5 ? ` and ${skipped.length - 5} more` : ''}</p>}
      </div>
      {imports.rows.length > 0 && (
        <section className="panel" data-testid="import-list">
          <div className="panel-head">
            <h2>Imports</h2>
          </div>
          {imports.rows.map((r) => (
            <ImportLine key={r.importId} r={r} />
          ))}
        </section>
      )}
      <section className="panel">
        <div className="panel-head">
          <h2>Library</h2>
          <span className="muted small">{manuals.length} manuals</span>
        </div>
        <table className="manuals-table" data-testid="manuals-table">
          <thead>
            <tr>
              <th>Title</th>
              <th>File</th>
              <th>Pages</th>
              <th>Passages</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {manuals.map((m) => (
              <tr key={m.id} data-testid="manual-row">
                <td>
                  {m.title}
                  {m.origin === 'starter' && <span className="tag">starter</span>}
                  {m.subject && <span className="tag">about a {m.subject}</span>}
                  {m.embedded && <span className="tag">vectors</span>}
                </td>
                <td className="muted small">{m.name}</td>
                <td>{m.pages}</td>
                <td>{m.chunks}</td>
                <td>
                  <button className="ghost small" onClick={() => void remove(m)} data-testid={`remove-${m.name}`}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <ModelSettings />
    </section>
  );
}

function ImportLine({ r }: { r: ImportRow }) {
  const uploading = r.status === 'queued' && r.uploaded < r.size;
  const fraction = uploading ? r.uploaded / r.size : r.pagesTotal ? r.pagesDone / r.pagesTotal : r.status === 'done' || r.status === 'unchanged' ? 1 : 0;
  const label = uploading ? `uploading ${Math.round((100 * r.uploaded) / r.size)} %` : r.status === 'reading' ? `reading page ${r.pagesDone} of ${r.pagesTotal}` : r.status;
  return (
    <div className={`import-row import-${r.status}`} data-testid="import-row" data-status={r.status}>
      <span className="import-name">{r.name}</span>
      <progress max={1} value={fraction} />
      <span className="import-status small">
        {label}
        {r.message ? `: ${r.message}` : ''}
      </span>
    </div>
  );
}
