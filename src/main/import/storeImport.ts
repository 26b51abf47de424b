import type { DuckDBConnection } from '@duckdb/node-api';
import { REPORTED_PROBLEMS, type ImportProblem } from '../../shared/importContract';
import type { ReadingName } from '../../shared/readings';
import { lit, readSql, type FileLayout } from './fileSource';

// One import as one transaction on its own connection. A clean new series (the usual case) goes straight from
// the file into the history and is checked there (storeClean); any other file is read into a temporary table,
// each row judged (time, time zone, numbers, duplicates), the good ones not yet in the motor's history
// inserted, then COMMIT. A failure anywhere before the commit rolls everything back: nothing is half-stored. Every step is
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
  /** The readings whose baseline is wanted (the others' medians would be worked out for nothing). */
  baselineReadings: readonly ReadingName[];
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
  /** imp_fresh's rows, read without an ORDER BY, come in time order: on the clean path the stored rows' times
   * were checked rising in that order; otherwise the good rows' times rise with their row numbers and imp_fresh
   * is a plain filter of imp_rows (no anti-join), which keeps the table's order. */
  inTimeOrder: boolean;
}

/** Offsets as ISO 8601 writes them (Z, +02, +0200, +02:00) after a time of day. */
const ZONED = `'\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?\\s*(Z|z|[+-]\\d\\d(:?\\d\\d)?)$'`;
const LATEST_OK_MS = 24 * 3_600_000;

const rows = async (conn: DuckDBConnection, sql: string) =>
  (await conn.runAndReadAll(sql)).getRowObjectsJS().map((r) => {
    for (const k in r) if (typeof r[k] === 'bigint') r[k] = Number(r[k]);
    return r as Record<string, unknown>;
  });

const PROFILE = !!process.env.MOTORTWIN_IMPORT_PROFILE;
/** Runs one statement, timed to stderr with MOTORTWIN_IMPORT_PROFILE set. */
export async function timed<T>(label: string, f: () => Promise<T>): Promise<T> {
  if (!PROFILE) return f();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let outcome = 'failed after ';
  try {
    const result = await f();
    outcome = '';
    return result;
  } finally {
    // A step that threw says so: a failed step must not read as a finished one.
    const c = process.cpuUsage(c0);
    process.stderr.write(`import step ${label}: ${outcome}${Math.round(performance.now() - t0)} ms (CPU ${Math.round((c.user + c.system) / 1000)} ms)\n`);
  }
}

export async function storeImport(conn: DuckDBConnection, req: StoreRequest): Promise<StoreResult> {
  const mapped = Object.keys(req.map);
  const r = mapped.map((_, i) => `r${i}`);
  const header = req.layout.format === 'csv' && req.layout.csv!.header ? 1 : 0;
  // Epoch numbers and times with an offset are absolute; a time without one is read in the given zone (ICU's
  // zone conversion costs a second a million rows, so UTC is taken as it stands).
  const naive = req.timezone === 'UTC' ? 'try_cast(t_raw AS TIMESTAMP)' : `timezone('UTC', timezone(${lit(req.timezone)}, try_cast(t_raw AS TIMESTAMP)))`;
  const parsed = `CASE WHEN num IS NOT NULL THEN CASE WHEN num BETWEEN 1e8 AND 1e11 THEN make_timestamp((num * 1e6)::BIGINT) WHEN num BETWEEN 1e11 AND 1e14 THEN make_timestamp((num * 1e3)::BIGINT) END
    WHEN zoned THEN make_timestamp(epoch_us(try_cast(t_raw AS TIMESTAMPTZ))) ELSE ${naive} END`;
  await conn.run('BEGIN TRANSACTION');
  try {
    // The offset test is one regular expression on every time: RE2 over a short string costs less than the
    // string functions of a cheaper-looking pre-test (measured: about 90 against 130 ms of CPU a million rows).
    // A time with a colon is never an epoch number, and a failing cast on every row is not free.
    const zonedTest = `regexp_matches(t_raw, ${ZONED})`;
    const read = (rejects: boolean) => `SELECT t_raw, bad_text, ${parsed} AS ts, zoned OR num IS NOT NULL AS zoned, ${r.join(', ')}
      FROM (SELECT *, CASE WHEN contains(t_raw, ':') THEN NULL ELSE try_cast(t_raw AS DOUBLE) END AS num, ${zonedTest} AS zoned FROM (${readSql(req.file, req.layout, req.timeColumn, mapped, rejects)}))`;
    // The first readable time sets the file's style: a time with an offset among times without one (or the
    // reverse) is a different clock, not a typo the import may guess at. (A streaming LIMIT in file order: it
    // stops at the first such row, and keeps no refusals.)
    const [first] = await timed('first time', () => rows(conn, `SELECT zoned FROM (${read(false)}) WHERE ts IS NOT NULL LIMIT 1`));
    const fileZoned = first ? Boolean(first.zoned) : false;
    const nanCheck = mapped.map((c, i) => `WHEN isnan(r${i}) OR isinf(r${i}) THEN ${lit(`not a number|not a number (NaN or infinite) in column "${c}"`)}`).join(' ');
    const latest = `make_timestamp(${Date.now() + LATEST_OK_MS}::BIGINT * 1000)`;
    // One pass over the file: read, parse the time and judge the row; the verdict is NULL for a good row.
    const judged = `SELECT ts, ${r.join(', ')}, CASE
        WHEN ts IS NULL THEN CASE WHEN t_raw IS NULL OR trim(t_raw) = '' THEN 'no time|the time is empty' ELSE 'unparseable time|unparseable time "' || left(t_raw, 40) || '"' END
        WHEN zoned <> ${fileZoned} THEN 'mixed time zones|mixed time zones: "' || left(t_raw, 40) || ${lit(`" ${fileZoned ? "has no offset where the file's times have one" : "has an offset where the file's times have none"}`)}
        WHEN ts < TIMESTAMP '1970-01-01' OR ts > ${latest} THEN 'time out of range|time "' || left(t_raw, 40) || '" is before 1970 or in the future'
        WHEN bad_text IS NOT NULL THEN 'text in a numeric column|text in numeric column "' || bad_text || '"'
        ${nanCheck}
        WHEN ${r.map((c) => `${c} IS NULL`).join(' AND ')} THEN 'no readings|no reading in any mapped column'
      END AS verdict FROM (${read(true)})`;
    const clean = await storeClean(conn, req, judged, header);
    if (clean) {
      req.beforeCommit?.();
      await timed('commit', () => conn.run('COMMIT'));
      return clean;
    }
    // Not a clean new series: judged row by row below, in a transaction of its own.
    await conn.run('BEGIN TRANSACTION');
    // The refused first pass's reader refusals, if its temporary tables outlived the rollback.
    for (const t of ['imp_rejects', 'imp_scans']) await conn.run(`DROP TABLE IF EXISTS ${t}`);
    // The verdict (NULL for a good row) is all that is kept of a bad one; the time as text is not stored
    // beside a million good rows.
    await timed('imp_rows', () => conn.run(`CREATE TEMP TABLE imp_read AS ${judged}`));
    // A row's number in the file's order is its place in the table: CREATE TABLE AS keeps the reader's order
    // (DuckDB preserves insertion order) and numbers the rows it appends one after another (from a large
    // base while the transaction is open), so rowid numbers the rows as a row-number operator would, without
    // the single-threaded WITH ORDINALITY that halved the reader's speed.
    const [base] = await rows(conn, 'SELECT coalesce(min(rowid), 0)::VARCHAR AS b FROM imp_read');
    const rowNumber = `rowid - ${BigInt(String(base.b))} + 1`;
    await conn.run(`CREATE TEMP VIEW imp_rows AS SELECT ${rowNumber} AS n, * FROM imp_read`);
    // A time seen twice keeps its first row; the later ones are reported. A trend export is in time order:
    // one streaming pass (LAG over the table in its stored order) shows whether the good rows' times rise
    // strictly with their row numbers, and then no time can repeat. Otherwise (or if the scan were not in
    // row order, which the row numbers would show) a hash grouping finds the repeated times.
    const [order] = await timed('order', () =>
      rows(conn, `SELECT count(*) FILTER (WHERE NOT (ts > pt AND n > pn)) AS n FROM (SELECT ts, n, lag(ts) OVER () AS pt, lag(n) OVER () AS pn FROM imp_rows WHERE verdict IS NULL)`),
    );
    if (Number(order.n)) {
      await timed('imp_dups', () => conn.run(`CREATE TEMP TABLE imp_dups AS SELECT ts, min(n) AS first_n FROM imp_rows WHERE verdict IS NULL GROUP BY ts HAVING count(*) > 1`));
      await timed('mark dups', () =>
        conn.run(`UPDATE imp_read SET verdict = 'duplicated time|duplicated time (first at row ' || d.first_n || ')' FROM imp_dups d
          WHERE imp_read.verdict IS NULL AND imp_read.ts = d.ts AND imp_read.${rowNumber} <> d.first_n`),
      );
    }
    // One pass for the counts, the kinds of bad row and the span of the good ones (kind NULL).
    const kinds = await timed('kinds', () => rows(conn, `SELECT split_part(verdict, '|', 1) AS kind, count(*) AS n, epoch_ms(min(ts))::DOUBLE AS f, epoch_ms(max(ts))::DOUBLE AS t FROM imp_rows GROUP BY 1`));
    const good = kinds.find((k) => k.kind === null);
    const from = good ? Number(good.f) : null;
    const to = good ? Number(good.t) : null;
    const range = from === null ? 'false' : `t.ts BETWEEN make_timestamp(${from}::BIGINT * 1000) AND make_timestamp(${to}::BIGINT * 1000)`;
    const [held] = await timed('held', () => rows(conn, `SELECT count(*) AS n FROM main.telemetry t WHERE t.device_id = ${lit(req.deviceId)} AND ${range}`));
    // Rows whose time the motor's history already holds (a file imported again) are not stored twice.
    // (The anti-join only when the span holds rows already: a first import skips it.)
    const notHeld = Number(held.n) ? `AND NOT EXISTS (SELECT 1 FROM main.telemetry t WHERE t.device_id = ${lit(req.deviceId)} AND t.ts = j.ts AND ${range})` : '';
    // The rows stored (the replay reads them): a view of the good rows on a first import, a table when some
    // of them were held already (once inserted, all of them are).
    const fresh = `SELECT j.ts, ${r.map((c) => `j.${c}`).join(', ')} FROM imp_rows j WHERE j.verdict IS NULL ${notHeld}`;
    await conn.run(`CREATE TEMP ${notHeld ? 'TABLE' : 'VIEW'} imp_fresh AS ${fresh}`);
    const readings = Object.values(req.map);
    const inserted = await timed('insert', () =>
      conn.run(`INSERT INTO main.telemetry (device_id, ts, received_at, seq, ts_suspect, source, ${readings.join(', ')})
        SELECT ${lit(req.deviceId)}, ts, now()::TIMESTAMP, NULL, false, 'import', ${r.join(', ')} FROM imp_fresh`),
    );
    const stored = await timed('summarise', () => summarise(conn, req, header, kinds, from, to, inserted.rowsChanged, '(SELECT * FROM imp_rows WHERE verdict IS NULL)'));
    const result = { ...stored, inTimeOrder: !Number(order.n) && !notHeld };
    req.beforeCommit?.();
    await timed('commit', () => conn.run('COMMIT'));
    return result;
  } catch (e) {
    // A failed COMMIT has rolled back already; the first error is the one worth reporting.
    await conn.run('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/**
 * The usual import, a clean new series, in one pass: the judged rows go straight from the file into the
 * history (no temporary copy: about a quarter of the reading and storing CPU), and the first bad row stops
 * the statement. Then the rows stored are checked: times rising strictly (so none repeats) and none of the
 * motor's rows already in their span. Anything else (a bad row, a repeated or unordered time, a span that
 * holds rows, no good row at all) rolls back and returns null: the caller judges the file row by row.
 */
async function storeClean(conn: DuckDBConnection, req: StoreRequest, judged: string, header: number): Promise<StoreResult | null> {
  const readings = Object.values(req.map);
  const r = readings.map((_, i) => `r${i}`);
  const [{ s }] = await rows(conn, 'SELECT now()::TIMESTAMP::VARCHAR AS s');
  // This import's rows: no other write has its time of reception (the transaction's start) and source.
  const mine = `device_id = ${lit(req.deviceId)} AND source = 'import' AND received_at = TIMESTAMP ${lit(String(s))}`;
  const back = async () => {
    await conn.run('ROLLBACK');
    return null;
  };
  try {
    await timed('insert (clean)', () =>
      conn.run(`INSERT INTO main.telemetry (device_id, ts, received_at, seq, ts_suspect, source, ${readings.join(', ')})
        SELECT ${lit(req.deviceId)}, ts, TIMESTAMP ${lit(String(s))}, NULL, false, 'import', ${r.join(', ')} FROM (${judged})
        WHERE CASE WHEN verdict IS NULL THEN true ELSE error('a bad row') END`),
    );
  } catch {
    // A bad row (or a file that cannot be read): the row-by-row pass finds and reports it with its line.
    return back();
  }
  const [got] = await timed('check (clean)', () =>
    rows(conn, `SELECT count(*) AS n, count(*) FILTER (WHERE NOT (ts > pt)) AS unordered, epoch_ms(min(ts))::DOUBLE AS f, epoch_ms(max(ts))::DOUBLE AS t
      FROM (SELECT ts, lag(ts) OVER () AS pt FROM main.telemetry WHERE ${mine})`),
  );
  if (!Number(got.n) || Number(got.unordered)) return back();
  const from = Number(got.f);
  const to = Number(got.t);
  const [held] = await rows(
    conn,
    `SELECT count(*) AS n FROM main.telemetry WHERE device_id = ${lit(req.deviceId)} AND ts BETWEEN make_timestamp(${from}::BIGINT * 1000) AND make_timestamp(${to}::BIGINT * 1000) AND NOT (${mine})`,
  );
  if (Number(held.n)) return back();
  // What the replay and the baselines read: the stored rows, in the order they were checked in.
  await conn.run(`CREATE TEMP VIEW imp_fresh AS SELECT ts, ${readings.map((m, i) => `${m} AS r${i}`).join(', ')} FROM main.telemetry WHERE ${mine}`);
  const n = Number(got.n);
  const stored = await timed('summarise', () => summarise(conn, req, header, [{ kind: null, n, f: from, t: to }], from, to, n, 'imp_fresh'));
  return { ...stored, inTimeOrder: true };
}

async function summarise(
  conn: DuckDBConnection,
  req: StoreRequest,
  header: number,
  kinds: Array<Record<string, unknown>>,
  from: number | null,
  to: number | null,
  fresh: number,
  /** The good rows (ts, r0…), for the baselines. */
  good: string,
): Promise<Omit<StoreResult, 'inTimeOrder'>> {
  const csv = req.layout.format === 'csv';
  const byKind: Record<string, number> = {};
  for (const k of kinds) if (k.kind !== null) byKind[String(k.kind)] = Number(k.n);
  const judged = kinds.reduce((sum, k) => sum + Number(k.n), 0);
  const goodRows = Number(kinds.find((k) => k.kind === null)?.n ?? 0);
  let rejected = 0;
  let problems: ImportProblem[] = [];
  const anyBad = judged > goodRows;
  if (csv) {
    // The reader's refusals, one per line (a line may fail in several columns), with DuckDB's own line numbers.
    await timed('imp_refused', () => conn.run(`CREATE TEMP TABLE imp_refused AS SELECT line, arg_min(CASE error_type
        WHEN 'CAST' THEN 'text in a numeric column|text in numeric column "' || column_name || '": ' || coalesce(regexp_extract(error_message, 'Could not convert string "(.*)" to', 1), error_message)
        WHEN 'MISSING COLUMNS' THEN 'wrong number of fields|' || error_message
        WHEN 'TOO MANY COLUMNS' THEN 'wrong number of fields|' || error_message
        ELSE lower(error_type) || '|' || error_message END, column_idx) AS reason FROM imp_rejects GROUP BY line`));
    for (const k of await rows(conn, `SELECT split_part(reason, '|', 1) AS kind, count(*) AS n FROM imp_refused GROUP BY 1`)) {
      byKind[String(k.kind)] = (byKind[String(k.kind)] ?? 0) + Number(k.n);
      rejected += Number(k.n);
    }
    // A row's line: its number among the rows read, plus the header, plus the refused lines before it. (Blank
    // lines are skipped by the reader without a trace, so after one the lines of judged rows run short by it.)
    const refused = `SELECT line, reason FROM imp_refused ORDER BY line LIMIT ${REPORTED_PROBLEMS}`;
    const sql = anyBad
      ? `WITH gaps AS (SELECT line - ${header} - row_number() OVER (ORDER BY line) AS gap FROM imp_refused),
         judged AS (SELECT n + ${header} + (SELECT count(*) FROM gaps WHERE gap < n) AS line, verdict AS reason FROM imp_rows WHERE verdict IS NOT NULL ORDER BY n LIMIT ${REPORTED_PROBLEMS})
         SELECT line, reason FROM (SELECT * FROM judged UNION ALL (${refused})) ORDER BY line LIMIT ${REPORTED_PROBLEMS}`
      : refused;
    problems = (await timed('problems', () => rows(conn, sql))).map(problem);
  } else if (anyBad) {
    problems = (await rows(conn, `SELECT n AS line, verdict AS reason FROM imp_rows WHERE verdict IS NOT NULL ORDER BY n LIMIT ${REPORTED_PROBLEMS}`)).map(problem);
  }
  return {
    rowsRead: judged + rejected,
    stored: fresh,
    alreadyStored: goodRows - fresh,
    skipped: judged - goodRows + rejected,
    skippedByKind: byKind,
    problems,
    from,
    to,
    baselines: from === null ? [] : await timed('baselines', () => baselines(conn, req, from, good)),
  };
}

const problem = (p: Record<string, unknown>): ImportProblem => {
  const [kind, reason] = String(p.reason).split('|', 2);
  return { line: Number(p.line), kind, reason: reason ?? kind };
};

/** Median and robust spread of each wanted reading over the series' first baseline hours. */
async function baselines(conn: DuckDBConnection, req: StoreRequest, from: number, good: string): Promise<BaselineStats[]> {
  const until = `make_timestamp(${from + req.baselineHours * 3_600_000}::BIGINT * 1000)`;
  // Each wanted reading's column r<i> (its place among the mapped ones).
  const wanted = Object.values(req.map)
    .map((reading, i) => ({ reading, c: `r${i}` }))
    .filter((w) => req.baselineReadings.includes(w.reading));
  if (!wanted.length) return [];
  const r = wanted.map((w) => w.c);
  // Every reading in one query: the medians, then the medians of the distances from them.
  const [b] = await rows(
    conn,
    `WITH w AS MATERIALIZED (SELECT ${r.join(', ')} FROM ${good} WHERE ts < ${until}),
     m AS (SELECT ${r.map((c) => `median(${c}) AS m_${c}, count(${c}) AS n_${c}`).join(', ')} FROM w)
     SELECT ${r.map((c) => `any_value(m_${c}) AS m_${c}, any_value(n_${c}) AS n_${c}, median(abs(${c} - m_${c})) * 1.4826 AS s_${c}`).join(', ')} FROM w, m`,
  );
  const out: BaselineStats[] = [];
  for (const { reading, c } of wanted) {
    if (Number(b[`n_${c}`]) > 0) out.push({ reading, median: Number(b[`m_${c}`]), spread: Number(b[`s_${c}`]), readings: Number(b[`n_${c}`]) });
  }
  return out;
}
