import { join } from 'node:path';
import { UsageError } from './command';
import { dataDirOf } from './options';
import { parseStoreOption, redact } from '../store/postgres/storeChoice';

// Where a command finds the server's store: the DuckDB file in --data-dir (the default), or a plant's
// PostgreSQL given with --store postgres://USER@HOST:PORT/DB. `serve` and `users` read it the same way.

export type StoreSpec = { kind: 'duckdb'; dataDir: string; file: string } | { kind: 'postgres'; url: string; shown: string };

export const storeOptions = {
  'data-dir': { type: 'string' },
  store: { type: 'string' },
} as const;

export const STORE_USAGE = `  --data-dir DIR         where the DuckDB history lives (default: the desktop app's data folder)
  --store URL            postgres://USER[:PASSWORD]@HOST:PORT/DB: the plant server's PostgreSQL instead (default: duckdb,
                         the file in --data-dir); MOTORTWIN_STORE also works`;

export function storeOf(v: { 'data-dir'?: string | boolean; store?: string | boolean }): StoreSpec {
  const dataDir = dataDirOf(v);
  let choice: ReturnType<typeof parseStoreOption>;
  try {
    choice = parseStoreOption(typeof v.store === 'string' ? v.store : process.env.MOTORTWIN_STORE);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return choice.kind === 'duckdb' ? { kind: 'duckdb', dataDir, file: join(dataDir, 'motortwin.duckdb') } : { kind: 'postgres', url: choice.url, shown: redact(choice.url) };
}
