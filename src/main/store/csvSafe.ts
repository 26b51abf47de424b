/**
 * SQL for a text column written to CSV by DuckDB's COPY, safe to open in a spreadsheet (OWASP "CSV
 * injection"): control characters other than tab and line breaks become U+FFFD (visible, as in the
 * rejected log), and a cell that starts with = + - @ tab or CR gets a leading ' so it is read as text,
 * not run as a formula. Only for text columns: numeric columns keep their numbers (-3.2 stays -3.2).
 * NULL stays NULL (an empty cell).
 */
export function csvText(column: string): string {
  const visible = `regexp_replace(${column}, '[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]', '\uFFFD', 'g')`;
  return `(CASE WHEN regexp_matches(${visible}, '^[=+\\-@\\t\\r]') THEN '''' ELSE '' END || ${visible}) AS ${column}`;
}
