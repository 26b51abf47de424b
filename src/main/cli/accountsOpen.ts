import { MotorDatabase } from '../store/database';
import { Accounts } from '../accounts/accounts';
import { DuckAccountStore } from '../accounts/duckAccountStore';
import { PgAccountStore } from '../accounts/pgAccountStore';
import type { StoreSpec } from './storeOption';

/** The accounts in the store a command was pointed at, with what closes it again. */
export async function openAccounts(spec: StoreSpec): Promise<{ accounts: Accounts; close(): Promise<void> }> {
  if (spec.kind === 'duckdb') {
    const db = await MotorDatabase.open(spec.file);
    return { accounts: new Accounts(new DuckAccountStore(db)), close: async () => db.close() };
  }
  // The store's own opening: its migrations make the accounts table on a database serve never opened.
  const { PgStore } = await import('../store/postgres/pgStore');
  const store = await PgStore.open(spec.url);
  return { accounts: new Accounts(new PgAccountStore(store.pool)), close: () => store.close() };
}
