import type { DuckDBConnection } from '@duckdb/node-api';
import { REPORTED_PROBLEMS, type ImportProblem } from '../../shared/importContract';
import type { ReadingName } from '../../shared/readings';
import { lit, readSql, type FileLayout } from './fileSource';

// One import as one transaction on its own connection: the file is read into a temporary table, each row
// judged (time, time zone, numbers, duplicates), the good ones not yet in the motor's history inserted, then
// COMMIT. A failure anywhere before the commit rolls everything back: nothing is half-stored. Every step is
// set-based SQL, so a file of gigabytes streams through DuckDB (which spills to disk beyond its memory limit).

export interface StoreRequest {
  deviceId: string;
  file: string;
  layout: FileLayout;
  timeColumn: string;
  /** Column → reading. */
  map: Record<string, ReadingName>;
  timezone: string;
  baselineHours: number;
  /** Called inside the transaction once the rows are in: a throw here rolls the import back. */
  beforeCommit?: () => void;
}

export interface BaselineStats {
  reading: ReadingName;
  median: number;
  spread: number;
  readings: number;
}

export interface StoreResult {
  rowsRead: number;
  stored: number;
  alreadyStored: number;
  skipped: number;
  skippedByKind: Record<string, number>;
  problems: ImportProblem[];
  from: number | null;
  to: number | null;
  baselines: BaselineStats[];
}

/** Offsets as ISO 8601 writes them (Z, +02, +0200, +02:00) after a time of day. */
const ZONED = `'\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?\\s*(Z|z|[+-]\\d\\d(:?\\d\\d)?)$'`;
const EPOCH_S = `'^\\s*\\d{9,10}(\\.\\d+)?\\s*$'`;
const EPOCH_MS = `'^\\s*\\d{12,13}\\s*$'`;
const LATEST_OK_MS = 24 * 3_600_000;

const rows = async (conn: DuckDBConnection, sql: string) =>
  (await conn.runAndReadAll(sql)).getRowObjectsJS().map((r) => {
    for (const k in r) if (typeof r[k] === 'bigint') r[k] = Number(r[k]);
    return r as Record<string, unknown>;
  });

export async function storeImport(conn: DuckDBConnection, req: StoreRequest): Promise<StoreResult> {
  const mapped = Object.keys(req.map);
  const r = mapped.map((_, i) => `r${i}`);
  const header = req.layout.format === 'csv' && req.layout.csv!.header ? 1 : 0;
  // Epoch numbers and times with an offset are absolute; a time without one is read in the given zone.
  const parsed = `CASE WHEN regexp_matches(t_raw, ${EPOCH_S}) THEN make_timestamp((t_raw::DOUBLE * 1e6)::BIGINT)
    WHEN regexp_matches(t_raw, ${EPOCH_MS}) THEN make_timestamp(t_raw::BIGINT * 1000)
    WHEN regexp_matches(t_raw, ${ZONED}) THEN timezone('UTC', try_cast(t_raw AS TIMESTAMPTZ))
    ELSE timezone('UTC', timezone(${lit(req.timezone)}, try_cast(t_raw AS TIMESTAMP))) END`;
  const zoned = `(regexp_matches(t_raw, ${ZONED}) OR regexp_matches(t_raw, ${EPOCH_S}) OR regexp_matches(t_raw, ${EPOCH_MS}))`;
  await conn.run('BEGIN TRANSACTION');
  try {
    await conn.run(`CREATE TEMP TABLE imp_raw AS ${readSql(req.file, req.layout, req.timeColumn, mapped)}`);
    await conn.run(`CREATE TEMP TABLE imp_parsed AS SELECT n, t_raw, bad_text, ${parsed} AS ts, ${zoned} AS zoned, ${r.join(', ')} FROM imp_raw`);
    await conn.run('DROP TABLE imp_raw');
    // The first readable time sets the file's style: a time with an offset among times without one (or the
    // reverse) is a different clock, not a typo the import may guess at.
    const [first] = await rows(conn, 'SELECT zoned FROM imp_parsed WHERE ts IS NOT NULL ORDER BY n LIMIT 1');
    const fileZoned = first ? Boolean(first.zoned) : false;
    const nanCheck = mapped.map((c, i) => `WHEN isnan(r${i}) OR isinf(r${i}) THEN ${lit(`not a number|not a number (NaN or infinite) in column "${c}"`)}`).join(' ');
    const latest = `make_timestamp(${Date.now() + LATEST_OK_MS}::BIGINT * 1000)`;
    await conn.run(`CREATE TEMP TABLE imp_judged AS SELECT n, ts, ${r.join(', ')}, CASE
        WHEN t_raw IS NULL OR trim(t_raw) = '' THEN 'no time|the time is empty'
        WHEN ts IS NULL THEN 'unparseable time|unparseable time "' || left(t_raw, 40) || '"'
        WHEN zoned <> ${fileZoned} THEN 'mixed time zones|mixed time zones: "' || left(t_raw, 40) || ${lit(`" ${fileZoned ? "has no offset where the file's times have one" : "has an offset where the file's times have none"}`)}
        WHEN ts < TIMESTAMP '1970-01-01' OR ts > ${latest} THEN 'time out of range|time "' || left(t_raw, 40) || '" is before 1970 or in the future'
        WHEN bad_text IS NOT NULL THEN 'text in a numeric column|text in numeric column "' || bad_text || '"'
        ${nanCheck}
        WHEN ${r.map((c) => `${c} IS NULL`).join(' AND ')} THEN 'no readings|no reading in any mapped column'
      END AS reason FROM imp_parsed`);
    await conn.run('DROP TABLE imp_parsed');
    // A time seen twice keeps its first row; the later ones are reported.
    await conn.run(`UPDATE imp_judged j SET reason = 'duplicated time|duplicated time (first at row ' || d.first_n || ')'
      FROM (SELECT ts, min(n) AS first_n FROM imp_judged WHERE reason IS NULL GROUP BY ts HAVING count(*) > 1) d
      WHERE j.reason IS NULL AND j.ts = d.ts AND j.n <> d.first_n`);
    const [span] = await rows(conn, `SELECT epoch_ms(min(ts))::DOUBLE AS f, epoch_ms(max(ts))::DOUBLE AS t FROM imp_judged WHERE reason IS NULL`);
    const from = (span.f as number | null) ?? null;
    const to = (span.t as number | null) ?? null;
    // Rows whose time the motor's history already holds (a file imported again) are not stored twice.
    await conn.run(`CREATE TEMP TABLE imp_fresh AS SELECT j.ts, ${r.map((c) => `j.${c}`).join(', ')} FROM imp_judged j
      WHERE j.reason IS NULL AND NOT EXISTS (SELECT 1 FROM main.telemetry t WHERE t.device_id = ${lit(req.deviceId)} AND t.ts = j.ts
        ${from === null ? '' : `AND t.ts BETWEEN make_timestamp(${from}::BIGINT * 1000) AND make_timestamp(${to}::BIGINT * 1000)`})`);
    const readings = Object.values(req.map);
    await conn.run(`INSERT INTO main.telemetry (device_id, ts, received_at, seq, ts_suspect, source, ${readings.join(', ')})
      SELECT ${lit(req.deviceId)}, ts, now()::TIMESTAMP, NULL, false, 'import', ${r.join(', ')} FROM imp_fresh`);
    const result = await summarise(conn, req, header, from, to);
    req.beforeCommit?.();
    await conn.run('COMMIT');
    return result;
  } catch (e) {
    // A failed COMMIT has rolled back already; the first error is the one worth reporting.
    await conn.run('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

async function summarise(conn: DuckDBConnection, req: StoreRequest, header: number, from: number | null, to: number | null): Promise<StoreResult> {
  const csv = req.layout.format === 'csv';
  const [c] = await rows(
    conn,
    `SELECT (SELECT count(*) FROM imp_judged) AS judged, (SELECT count(*) FROM imp_judged WHERE reason IS NULL) AS good, (SELECT count(*) FROM imp_fresh) AS fresh`,
  );
  const byKind: Record<string, number> = {};
  for (const k of await rows(conn, `SELECT split_part(reason, '|', 1) AS kind, count(*) AS n FROM imp_judged WHERE reason IS NOT NULL GROUP BY 1`)) byKind[String(k.kind)] = Number(k.n);
  let rejected = 0;
  let problems: ImportProblem[] = [];
  if (csv) {
    // The reader's refusals, one per line (a line may fail in several columns), with DuckDB's own line numbers.
    await conn.run(`CREATE TEMP TABLE imp_refused AS SELECT line, arg_min(CASE error_type
        WHEN 'CAST' THEN 'text in a numeric column|text in numeric column "' || column_name || '": ' || coalesce(regexp_extract(error_message, 'Could not convert string "(.*)" to', 1), error_message)
        WHEN 'MISSING COLUMNS' THEN 'wrong number of fields|' || error_message
        WHEN 'TOO MANY COLUMNS' THEN 'wrong number of fields|' || error_message
        ELSE lower(error_type) || '|' || error_message END, column_idx) AS reason FROM imp_rejects GROUP BY line`);
    for (const k of await rows(conn, `SELECT split_part(reason, '|', 1) AS kind, count(*) AS n FROM imp_refused GROUP BY 1`)) {
      byKind[String(k.kind)] = (byKind[String(k.kind)] ?? 0) + Number(k.n);
      rejected += Number(k.n);
    }
    // A row's line: its number among the rows read, plus the header, plus the refused lines before it. (Blank
    // lines are skipped by the reader without a trace, so after one the lines of judged rows run short by it.)
    problems = (
      await rows(
        conn,
        `WITH gaps AS (SELECT line - ${header} - row_number() OVER (ORDER BY line) AS gap FROM imp_refused),
         judged AS (SELECT n + ${header} + (SELECT count(*) FROM gaps WHERE gap < n) AS line, reason FROM imp_judged WHERE reason IS NOT NULL ORDER BY n LIMIT ${REPORTED_PROBLEMS})
         SELECT line, reason FROM (SELECT * FROM judged UNION ALL (SELECT line, reason FROM imp_refused ORDER BY line LIMIT ${REPORTED_PROBLEMS})) ORDER BY line LIMIT ${REPORTED_PROBLEMS}`,
      )
    ).map(problem);
  } else {
    problems = (await rows(conn, `SELECT n AS line, reason FROM imp_judged WHERE reason IS NOT NULL ORDER BY n LIMIT ${REPORTED_PROBLEMS}`)).map(problem);
  }
  const judged = Number(c.judged);
  const good = Number(c.good);
  const fresh = Number(c.fresh);
  return {
    rowsRead: judged + rejected,
    stored: fresh,
    alreadyStored: good - fresh,
    skipped: judged - good + rejected,
    skippedByKind: byKind,
    problems,
    from,
    to,
    baselines: from === null ? [] : await baselines(conn, req, from),
  };
}

const problem = (p: Record<string, unknown>): ImportProblem => {
  const [kind, reason] = String(p.reason).split('|', 2);
  return { line: Number(p.line), kind, reason: reason ?? kind };
};

/** Median and robust spread of each mapped reading over the series' first baseline hours. */
async function baselines(conn: DuckDBConnection, req: StoreRequest, from: number): Promise<BaselineStats[]> {
  const until = `make_timestamp(${from + req.baselineHours * 3_600_000}::BIGINT * 1000)`;
  const out: BaselineStats[] = [];
  for (const [i, reading] of Object.values(req.map).entries()) {
    const [b] = await rows(
      conn,
      `WITH w AS (SELECT r${i} AS v FROM imp_judged WHERE reason IS NULL AND r${i} IS NOT NULL AND ts < ${until}),
       m AS (SELECT median(v) AS med, count(*) AS n FROM w)
       SELECT med, n, (SELECT median(abs(v - med)) FROM w, m) * 1.4826 AS spread FROM m`,
    );
    if (Number(b.n) > 0) out.push({ reading, median: Number(b.med), spread: Number(b.spread), readings: Number(b.n) });
  }
  return out;
}
