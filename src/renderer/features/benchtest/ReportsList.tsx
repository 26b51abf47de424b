import { useState } from 'react';
import type { BenchReportSummary } from '../../../shared/benchtestContract';
import { useEngineCall, useEngineQuery } from '../../engine/useEngineQuery';
import { formatDateTime } from '../../ui/format';
import { desktopBridge } from '../../desktop';

/** Finished runs grouped by motor serial number; each report opens as HTML or PDF. */
export function ReportsList() {
  const call = useEngineCall();
  const list = useEngineQuery('benchtest.reports', {});
  const reports = list.data ?? [];
  const [failure, setError] = useState<string | null>(null);
  const error = failure ?? list.error;

  const open = async (runId: string, format: 'html' | 'pdf') => {
    try {
      const r = await call('benchtest.report', { runId, format });
      // The desktop app has no HTTP server: the report opens in the system's viewer instead.
      const desktop = desktopBridge();
      if (!desktop) window.open(r.downloadPath, '_blank', 'noopener');
      else {
        const problem = await desktop.openReport(r.file);
        if (problem) setError(problem);
      }
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const bySerial = new Map<string, BenchReportSummary[]>();
  for (const r of reports) bySerial.set(r.serialNumber, [...(bySerial.get(r.serialNumber) ?? []), r]);
  return (
    <div className="panel" data-testid="bench-reports">
      <h2>Reports by serial number</h2>
      {error && <p className="error">{error}</p>}
      {!reports.length && <p className="muted">No bench test has finished yet.</p>}
      {[...bySerial].map(([serial, runs]) => (
        <div key={serial} className="bench-serial" data-testid={`reports-${serial}`}>
          <h3>
            {serial} <span className="muted">{runs[0].model ?? ''}</span>
          </h3>
          <table className="bench-table">
            <tbody>
              {runs.map((r) => (
                <tr key={r.runId}>
                  <td>{formatDateTime(r.startedAt)}</td>
                  <td className={`verdict-${r.verdict}`}>{r.verdict.toUpperCase()}</td>
                  <td>
                    {r.procedure} {r.procedureVersion}
                  </td>
                  <td>{r.operator}</td>
                  <td>
                    <button onClick={() => void open(r.runId, 'html')} data-testid={`report-html-${r.runId}`}>
                      HTML
                    </button>
                    <button onClick={() => void open(r.runId, 'pdf')} data-testid={`report-pdf-${r.runId}`}>
                      PDF
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}
