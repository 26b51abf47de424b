import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchStore } from './benchStore';
import type { PdfPrinter } from './pdf';
import { reportHtml, type FleetComparison } from './report';
import type { RunRecord } from './runRecord';

// Report files: HTML always, PDF through the printer the shell provides. Each report compares this unit
// with every earlier finished run of the same model (the fleet's distribution, per criterion).

export const reportsDir = (dataDir: string) => join(dataDir, 'reports');

export async function comparisonFor(store: BenchStore, r: RunRecord): Promise<FleetComparison[]> {
  const others = r.nameplate.model ? (await store.list({ model: r.nameplate.model })).filter((x) => x.runId !== r.runId && x.serialNumber !== r.serialNumber && x.startedAt <= r.startedAt) : [];
  const records = (await Promise.all(others.map((o) => store.run(o.runId)))).filter((x): x is RunRecord => x !== null);
  return r.criteria.map((c) => ({
    criterion: c.name,
    unit: c.unit,
    thisUnit: c.value,
    others: records.map((o) => o.criteria.find((x) => x.id === c.id)?.value).filter((v): v is number => typeof v === 'number'),
  }));
}

export async function writeReport(store: BenchStore, r: RunRecord, dataDir: string, format: 'html' | 'pdf', printer: PdfPrinter, file?: string): Promise<string> {
  const samples = await store.samples(r.runId);
  const runs = (await store.list({ serialNumber: r.serialNumber })).filter((x) => x.runId !== r.runId);
  const html = reportHtml(r, samples, { runs, comparison: await comparisonFor(store, r) });
  const dir = reportsDir(dataDir);
  mkdirSync(dir, { recursive: true });
  const out = file ?? join(dir, `${r.runId}.${format}`);
  if (format === 'html') writeFileSync(out, html);
  else await printer(html, out);
  return out;
}
