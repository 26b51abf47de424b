import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportRequest } from '../../shared/contract';
import { READING_NAMES } from '../../shared/readings';
import type { MotorDatabase } from './database';
import { csvText } from './csvSafe';

export interface ExportResult {
  file: string;
  rows: number;
  bytes: number;
}

/** Writes one device's raw history in a time range to CSV or Parquet with DuckDB's COPY. */
export async function exportHistory(db: MotorDatabase, req: ExportRequest, file: string): Promise<ExportResult> {
  // Parquet keeps its types; a CSV's text cells are made safe for a spreadsheet.
  const text = (c: string) => (req.format === 'csv' ? csvText(c) : c);
  const columns = [text('device_id'), 'ts', 'seq', ...READING_NAMES, 'ts_suspect', text('source'), 'received_at'].join(', ');
  const select = `SELECT ${columns} FROM telemetry WHERE device_id = '${req.id.replace(/'/g, "''")}'
    AND ts >= make_timestamp(${Math.floor(req.from)}::BIGINT * 1000) AND ts < make_timestamp(${Math.ceil(req.to)}::BIGINT * 1000) ORDER BY ts`;
  const options = req.format === 'parquet' ? '(FORMAT parquet, COMPRESSION zstd)' : '(FORMAT csv, HEADER true)';
  // COPY takes no parameters: the id is a validated device id, quoted above, and the times are integers. An
  // export is bulk work: sorting and compressing a month of rows gets every core, not the steady one thread.
  const reader = await db.allCores(() => db.reader.runAndReadAll(`COPY (${select}) TO '${file.replace(/'/g, "''")}' ${options}`));
  const rows = Number(reader.getRows()[0]?.[0] ?? 0);
  return { file, rows, bytes: statSync(file).size };
}

export function exportFileName(req: ExportRequest): string {
  const stamp = (ms: number) => new Date(ms).toISOString().replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${req.id}_${stamp(req.from)}_${stamp(req.to)}.${req.format}`;
}

export function exportsDir(dataDir: string): string {
  const dir = join(dataDir, 'exports');
  mkdirSync(dir, { recursive: true });
  return dir;
}
