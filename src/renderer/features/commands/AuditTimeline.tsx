import { useState } from 'react';
import type { AuditEntry } from '../../../shared/commandsContract';
import { upsert } from '../../engine/liveQuery';
import { useConnected, useEngineCall, useEngineQuery } from '../../engine/useEngineQuery';
import { desktopBridge } from '../../desktop';
import { formatDateTime } from '../../ui/format';

const KEPT = 50;
/** Audit entries have no id: one is its time, kind, command and words. */
const entryKey = (e: AuditEntry) => `${e.ts} ${e.kind} ${e.commandId ?? ''} ${e.text}`;

/** The motor's audit trail: commands, approvals, edits, rejections, acknowledgements, alerts; exportable as CSV. */
export function AuditTimeline({ deviceId }: { deviceId: string }) {
  const call = useEngineCall();
  const connected = useConnected();
  const trail = useEngineQuery('audit.list', { deviceId, limit: KEPT }, { filter: { motor: deviceId }, on: { audit: (list, e) => (e.deviceId === deviceId ? upsert(list, e, entryKey, KEPT) : list) } });
  const entries: AuditEntry[] = trail.data ?? [];
  const [failure, setNote] = useState<string | null>(null);
  const note = failure ?? (trail.error && `Audit trail unavailable: ${trail.error}`);

  const exportCsv = async () => {
    try {
      const r = await call('audit.export', { deviceId });
      const desktop = desktopBridge();
      if (desktop) {
        const saved = await desktop.saveExport(r.file);
        setNote(saved ? `Saved ${r.rows} entries to ${saved}` : 'Export cancelled');
      } else {
        const a = document.createElement('a');
        a.href = r.downloadPath;
        a.download = r.file.split(/[\\/]/).pop() ?? 'audit.csv';
        a.click();
        setNote(`Exported ${r.rows} entries`);
      }
    } catch (e) {
      setNote(`Export failed: ${(e as Error).message}`);
    }
  };

  return (
    <section className="panel" data-testid="audit-timeline">
      <div className="panel-head">
        <h2>Audit trail</h2>
        <span className="spacer" />
        {note && <span className="muted small">{note}</span>}
        <button onClick={() => void exportCsv()} disabled={!connected} data-testid="audit-export">
          Export CSV
        </button>
      </div>
      {entries.length === 0 ? (
        <p className="muted small">Nothing recorded for this motor yet.</p>
      ) : (
        <ol className="audit">
          {entries.map((e, i) => (
            <li key={`${e.ts}-${i}`} className={`audit-${e.kind}`} data-testid="audit-entry">
              <span className="muted small nowrap">{formatDateTime(e.ts)}</span> <span className="audit-kind">{e.kind.replace('_', ' ')}</span>{' '}
              <span className="muted small">{e.actor}</span> {e.text}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
