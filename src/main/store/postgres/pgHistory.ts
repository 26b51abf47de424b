import { createWriteStream, rmSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { to as copyTo } from 'pg-copy-streams';
import type { ExportRequest, HistoryQuery, HistoryResult } from '../../../shared/contract';
import { READING_NAMES, type ReadingName } from '../../../shared/readings';
import { planHistoryQuery } from '../history';
import type { ExportResult } from '../exporter';
import type { PgStore } from './pgStore';
import { pgCsvText as csvText } from './pgCommandStore';

// The history API's reads from PostgreSQL, answering as the DuckDB file does (history.ts, exporter.ts):
// the same buckets, the same rollup choice, the same CSV.

const EPOCH = "TIMESTAMPTZ '1970-01-01 00:00:00+00'";
const bounded = (avg: string, min: string, max: string) => `greatest(least(${avg}, ${max}), ${min})`;

export function historySql(q: Pick<HistoryQuery, 'from' | 'to' | 'maxPoints' | 'metrics'>): { sql: string; resolution: HistoryResult['resolution']; bucketMs: number } {
  const { resolution, bucketMs } = planHistoryQuery(q);
  const metrics = q.metrics as ReadingName[];
  // Buckets from the epoch, as DuckDB's floor(epoch_ms / step) * step: the stride is a whole number of ms.
  const bucket = (col: string) => `date_bin(make_interval(secs => $4::DOUBLE PRECISION / 1000), ${col}, ${EPOCH})`;
  const range = (col: string) => `device_id = $1 AND ${col} >= to_timestamp($2::DOUBLE PRECISION / 1000) AND ${col} < to_timestamp($3::DOUBLE PRECISION / 1000)`;
  let read: string;
  let cols: string;
  if (resolution === 'raw') {
    read = `SELECT ${bucket('ts')} AS t, ${metrics.join(', ')} FROM telemetry WHERE ${range('ts')}`;
    cols = metrics.map((m) => `min(${m}) AS ${m}_min, max(${m}) AS ${m}_max, ${bounded(`avg(${m})`, `min(${m})`, `max(${m})`)} AS ${m}_avg`).join(', ');
  } else {
    const table = resolution === '1h' ? 'telemetry_1h' : 'telemetry_1m';
    read = `SELECT ${bucket('bucket')} AS t, ${metrics.map((m) => `${m}_min, ${m}_max, ${m}_sum, ${m}_n`).join(', ')} FROM ${table} WHERE ${range('bucket')}`;
    cols = metrics.map((m) => `min(${m}_min) AS ${m}_min, max(${m}_max) AS ${m}_max, ${bounded(`sum(${m}_sum) / nullif(sum(${m}_n), 0)`, `min(${m}_min)`, `max(${m}_max)`)} AS ${m}_avg`).join(', ');
  }
  // OFFSET 0 keeps the bucketing in its own subquery, so the planner takes its usual guess for the number of
  // buckets instead of one per row read. Grouped on the rows directly, it expected 43,000 groups from a 30-day
  // trend on the 1-minute rollup, so it sorted every row (spilling to disk past work_mem) where a hash table of
  // the buckets does: there are never more buckets than maxPoints (10,000 at most), which fit in memory.
  const sql = `SELECT (extract(epoch FROM r.t) * 1000)::DOUBLE PRECISION AS t, ${cols} FROM (${read} OFFSET 0) r GROUP BY r.t ORDER BY r.t`;
  return { sql, resolution, bucketMs };
}

export async function queryHistoryPg(store: PgStore, q: HistoryQuery): Promise<HistoryResult> {
  const { sql, resolution, bucketMs } = historySql(q);
  const { rows } = await store.pool.query({ text: sql, values: [q.id, Math.floor(q.from), Math.ceil(q.to), bucketMs], rowMode: 'array' });
  const metrics = q.metrics as ReadingName[];
  const result: HistoryResult = { id: q.id, resolution, bucketMs, t: rows.map((r) => r[0] as number), series: {} };
  metrics.forEach((m, i) => {
    result.series[m] = { min: rows.map((r) => r[1 + 3 * i]), max: rows.map((r) => r[2 + 3 * i]), avg: rows.map((r) => r[3 + 3 * i]) };
  });
  return result;
}

/** A double written as DuckDB's CSV writes it: a whole number keeps its ".0". */
const duckNumber = (c: string) => `CASE WHEN ${c} = trunc(${c}) AND abs(${c}) < 1e15 THEN trunc(${c})::BIGINT::TEXT || '.0' ELSE ${c}::TEXT END`;
/** A time as DuckDB writes a TIMESTAMP: UTC, no zone, trailing zeros of the fraction left out. */
const duckTime = (c: string) => `(${c} AT TIME ZONE 'UTC')::TEXT`;

const EXPORT_COLUMNS = ['device_id', 'ts', 'seq', ...READING_NAMES, 'ts_suspect', 'source', 'received_at'];

function exportSelect(req: ExportRequest, forCsv: boolean): string {
  const cols = [
    forCsv ? `${csvText('device_id')} AS device_id` : 'device_id',
    forCsv ? `${duckTime('ts')} AS ts` : `(extract(epoch FROM ts) * 1e6)::BIGINT AS ts`,
    'seq',
    ...READING_NAMES.map((m) => (forCsv ? `${duckNumber(m)} AS ${m}` : m)),
    `CASE WHEN ts_suspect THEN 'true' ELSE 'false' END AS ts_suspect`,
    forCsv ? `${csvText('source')} AS source` : 'source',
    forCsv ? `${duckTime('received_at')} AS received_at` : `(extract(epoch FROM received_at) * 1e6)::BIGINT AS received_at`,
  ];
  // COPY takes no parameters: the id is a validated device id, quoted here, and the times are integers.
  return `SELECT ${cols.join(', ')} FROM telemetry WHERE device_id = '${req.id.replace(/'/g, "''")}'
    AND ts >= to_timestamp(${Math.floor(req.from)}::DOUBLE PRECISION / 1000) AND ts < to_timestamp(${Math.ceil(req.to)}::DOUBLE PRECISION / 1000) ORDER BY ts`;
}

async function copyOut(store: PgStore, sql: string, file: string): Promise<number> {
  const client = await store.pool.connect();
  try {
    const stream = client.query(copyTo(`COPY (${sql}) TO STDOUT WITH (FORMAT csv, HEADER true)`));
    await pipeline(stream, createWriteStream(file));
    client.release();
    return stream.rowCount;
  } catch (e) {
    client.release(e as Error);
    throw e;
  }
}

/**
 * One device's raw history to CSV (streamed by PostgreSQL's COPY, in DuckDB's layout) or Parquet (the same
 * rows converted by an in-memory DuckDB, with the types the DuckDB file's export has).
 */
export async function exportHistoryPg(store: PgStore, req: ExportRequest, file: string): Promise<ExportResult> {
  if (req.format === 'csv') {
    const rows = await copyOut(store, exportSelect(req, true), file);
    return { file, rows, bytes: statSync(file).size };
  }
  const csv = `${file}.part.csv`;
  try {
    const rows = await copyOut(store, exportSelect(req, false), csv);
    const duck = await DuckDBInstance.create(':memory:');
    const conn = await duck.connect();
    try {
      const types = `{'device_id': 'VARCHAR', 'ts': 'BIGINT', 'seq': 'BIGINT', ${READING_NAMES.map((m) => `'${m}': 'DOUBLE'`).join(', ')}, 'ts_suspect': 'BOOLEAN', 'source': 'VARCHAR', 'received_at': 'BIGINT'}`;
      const select = EXPORT_COLUMNS.map((c) => (c === 'ts' || c === 'received_at' ? `make_timestamp(${c}) AS ${c}` : c)).join(', ');
      const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
      await conn.run(`COPY (SELECT ${select} FROM read_csv(${q(csv)}, header = true, columns = ${types})) TO ${q(file)} (FORMAT parquet, COMPRESSION zstd)`);
    } finally {
      conn.closeSync();
      duck.closeSync();
    }
    return { file, rows, bytes: statSync(file).size };
  } finally {
    rmSync(csv, { force: true });
  }
}
