// Which store `--store` names, read without loading the PostgreSQL client: a DuckDB-only engine never needs pg.

/** What a `--store` value names: the embedded DuckDB file (the default), or a PostgreSQL database. */
export type StoreChoice = { kind: 'duckdb' } | { kind: 'postgres'; url: string };

/** `postgres://USER[:PASSWORD]@HOST[:PORT]/DB` (or postgresql://); anything else is refused with the reason. */
export function parseStoreOption(value: string | undefined): StoreChoice {
  if (value === undefined || value === 'duckdb') return { kind: 'duckdb' };
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`--store ${redact(value)}: not a URL; give postgres://USER@HOST:PORT/DB (or leave it out for the DuckDB file in --data-dir)`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new Error(`--store ${redact(value)}: only postgres:// URLs are understood (or leave it out for the DuckDB file)`);
  if (!u.hostname) throw new Error(`--store ${redact(value)}: the URL names no host`);
  if (u.pathname.replace(/^\//, '') === '') throw new Error(`--store ${redact(value)}: the URL names no database (postgres://USER@HOST:PORT/DB)`);
  return { kind: 'postgres', url: value };
}

/** The URL without its password, for messages and the status. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}
