import { useEffect, useState } from 'react';
import type { AuditEntry } from '../../../shared/commandsContract';
import { useEngineClient } from '../../engine/EngineProvider';
import { desktopBridge } from '../../desktop';
import { formatDateTime } from '../../ui/format';
import { useAuditVersion } from './commandsState';

/** The motor's audit trail: commands, approvals, edits, rejections, acknowledgements, alerts; exportable as CSV. */
export function AuditTimeline({ deviceId }: { deviceId: string }) {
  const client = useEngineClient();
  const version = useAuditVersion();
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => {
    if (!client) return;
    let cancelled = false;
    client.call('audit.list', { deviceId, limit: 50 }).then(
      (e) => !cancelled && setEntries(e),
      (e: Error) => !cancelled && setNote(`Audit trail unavailable: ${e.message}`),
    );
    return () => {
      cancelled = true;
    };
  }, [client, deviceId, version]);

  const exportCsv = async () => {
    if (!client) return;
    try {
      const r = await client.call('audit.export', { deviceId });
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
        <button onClick={() => void exportCsv()} disabled={!client} data-testid="audit-export">
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
