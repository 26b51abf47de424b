import { useState } from 'react';
import { useEngineCall } from '../../engine/useEngineQuery';
import { desktopBridge } from '../../desktop';
import { formatBytes } from '../../ui/format';

/** Exports the shown range: a download from `serve`, a save dialog in the desktop app. */
export function ExportButtons({ id, from, to }: { id: string; from: number; to: number }) {
  const call = useEngineCall();
  const [message, setMessage] = useState<{ text: string; error: boolean; href?: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (format: 'csv' | 'parquet') => {
    setBusy(true);
    setMessage(null);
    try {
      const r = await call('history.export', { id, from: Math.floor(from), to: Math.ceil(to), format });
      const summary = `${r.rows.toLocaleString()} rows, ${formatBytes(r.bytes)}`;
      const desktop = desktopBridge();
      if (desktop) {
        const saved = await desktop.saveExport(r.file);
        setMessage({ text: saved ? `Saved ${summary} to ${saved}` : 'Export cancelled', error: false });
      } else {
        const a = document.createElement('a');
        a.href = r.downloadPath;
        a.download = r.file.split(/[\\/]/).pop() ?? `export.${format}`;
        a.click();
        setMessage({ text: `Exported ${summary}`, error: false, href: r.downloadPath });
      }
    } catch (e) {
      setMessage({ text: `Export failed: ${(e as Error).message}`, error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="inline-form">
      <button onClick={() => void run('csv')} disabled={busy} data-testid="export-csv">
        Export CSV
      </button>
      <button onClick={() => void run('parquet')} disabled={busy} data-testid="export-parquet">
        Export Parquet
      </button>
      {message && (
        <span className={message.error ? 'error' : 'muted small'} data-testid="export-result">
          {message.href ? <a href={message.href}>{message.text}</a> : message.text}
        </span>
      )}
    </div>
  );
}
