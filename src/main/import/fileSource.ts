import type { DuckDBConnection } from '@duckdb/node-api';
import { isReadingName, type ReadingName } from '../../shared/readings';

// What a trend export holds and how DuckDB reads it: its own CSV sniffer and reader (typed, streaming, with
// line-numbered rejects) or its Parquet reader. No CSV is parsed in JavaScript.

export type FileFormat = 'csv' | 'parquet';

export interface FileLayout {
  format: FileFormat;
  columns: string[];
  /** CSV dialect as the sniffer found it. */
  csv: { delim: string; quote: string; escape: string; header: boolean } | null;
}

export const formatOf = (file: string): FileFormat => (/\.parq(uet)?$/i.test(file) ? 'parquet' : 'csv');

/** A SQL string literal. */
export const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
/** A SQL identifier. */
export const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

export async function inspectFile(conn: DuckDBConnection, file: string): Promise<FileLayout> {
  const format = formatOf(file);
  if (format === 'parquet') {
    const r = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${lit(file)})`);
    return { format, columns: r.getRowObjectsJS().map((c) => String(c.column_name)), csv: null };
  }
  const sniff = async (delim?: string) =>
    (await conn.runAndReadAll(`SELECT Delimiter AS d, Quote AS q, Escape AS e, HasHeader AS h, Columns AS c FROM sniff_csv(${lit(file)}${delim ? `, delim = ${lit(delim)}, ignore_errors = true` : ''})`)).getRowObjectsJS()[0] as {
      d: string;
      q: string;
      e: string;
      h: boolean;
      c: Array<{ name: string }>;
    };
  let s = await sniff();
  // A sample full of ragged rows can make the sniffer settle on one wide column: try the usual separators.
  for (const d of [',', ';', '\t']) {
    if (s.c.length > 1) break;
    // A separator the sniffer cannot use is simply not the file's: the first answer stands.
    const tried = await sniff(d).catch(() => null);
    if (tried && tried.c.length > 1) s = tried;
  }
  // "(empty)": the sample held no quotes; a quoted field further down is still read the usual way.
  const orQuote = (x: string) => (x === '(empty)' || !x ? '"' : x);
  return { format, columns: s.c.map((c) => c.name), csv: { delim: s.d, quote: orQuote(s.q), escape: orQuote(s.e), header: s.h } };
}

const TIME_NAME = /^(time|timestamp|datetime|date[ _]?time|date|ts|zeit|t)$/i;

/** The time column asked for, or one named like a time, or the first. */
export function timeColumnOf(layout: FileLayout, asked?: string): string {
  if (asked !== undefined) {
    if (!layout.columns.includes(asked)) throw new Error(`--time-column "${asked}" is not in the file; its columns: ${layout.columns.join(', ')}`);
    return asked;
  }
  return layout.columns.find((c) => TIME_NAME.test(c.trim())) ?? layout.columns[0];
}

/** Column → reading: as asked (every column must exist), else the columns named like a reading. */
export function readingMapOf(layout: FileLayout, timeColumn: string, asked?: Record<string, ReadingName>): Record<string, ReadingName> {
  if (asked && Object.keys(asked).length) {
    for (const c of Object.keys(asked)) {
      if (!layout.columns.includes(c)) throw new Error(`--map: no column "${c}" in the file; its columns: ${layout.columns.join(', ')}`);
      if (c === timeColumn) throw new Error(`--map: "${c}" is the time column`);
    }
    const readings = Object.values(asked);
    const twice = readings.find((r, i) => readings.indexOf(r) !== i);
    if (twice) throw new Error(`--map: two columns are mapped to ${twice}`);
    return { ...asked };
  }
  const map: Record<string, ReadingName> = {};
  for (const c of layout.columns) {
    const name = c.trim().toLowerCase();
    if (c !== timeColumn && isReadingName(name) && !Object.values(map).includes(name)) map[c] = name;
  }
  if (!Object.keys(map).length) {
    throw new Error(`no column is named like a reading (temperature, vibration, rpm…): map them with --map COLUMN=READING; the file's columns: ${layout.columns.join(', ')}`);
  }
  return map;
}

/**
 * The SELECT that reads the file, in file order, into rows of (t_raw, bad_text, r0…): t_raw is the time as text, r<i> the i-th mapped column as DOUBLE. A CSV is read with explicit types and
 * its refusals (text in a numeric column, a row with too few or too many fields) go to `imp_rejects` with
 * their line numbers (unless `rejects` is false); a Parquet column of text is checked here instead (bad_text names it).
 */
export function readSql(file: string, layout: FileLayout, timeColumn: string, mapped: string[], rejects = true): string {
  if (layout.format === 'parquet') {
    const cols = mapped.map((c, i) => `try_cast(${ident(c)} AS DOUBLE) AS r${i}`).join(', ');
    const badText = mapped.length ? `CASE ${mapped.map((c) => `WHEN ${ident(c)} IS NOT NULL AND try_cast(${ident(c)} AS DOUBLE) IS NULL THEN ${lit(c)}`).join(' ')} END` : 'NULL';
    return `SELECT CAST(${ident(timeColumn)} AS VARCHAR) AS t_raw, ${badText} AS bad_text, ${cols} FROM read_parquet(${lit(file)})`;
  }
  const csv = layout.csv!;
  // Unmapped columns are read as text so their content can never refuse a row.
  const types = layout.columns.map((c) => `${lit(c)}: ${mapped.includes(c) ? "'DOUBLE'" : "'VARCHAR'"}`).join(', ');
  const cols = mapped.map((c, i) => `${ident(c)} AS r${i}`).join(', ');
  // Rows come out in file order (DuckDB preserves insertion order): the importer numbers them by it.
  return `SELECT ${ident(timeColumn)} AS t_raw, NULL::VARCHAR AS bad_text, ${cols}
          FROM read_csv(${lit(file)}, auto_detect = false, strict_mode = false, header = ${csv.header}, delim = ${lit(csv.delim)},
            quote = ${lit(csv.quote)}, escape = ${lit(csv.escape)}, columns = {${types}},
            ignore_errors = true${rejects ? ", store_rejects = true, rejects_table = 'imp_rejects', rejects_scan = 'imp_scans'" : ''})`;
}
