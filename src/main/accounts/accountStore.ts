import type { Role } from '../../shared/roles';

// The port where accounts are kept: in the store `serve` uses (the DuckDB file on a laptop or lab PC,
// PostgreSQL for a plant), so `motortwin users` and the server read the same accounts.

export interface Account {
  name: string;
  role: Role;
  createdAt: number;
  updatedAt: number;
}

export interface StoredAccount extends Account {
  passwordHash: string;
}

export interface AccountStore {
  /** Every account, by name. */
  list(): Promise<Account[]>;
  get(name: string): Promise<StoredAccount | null>;
  count(): Promise<number>;
  /** False when an account of that name exists already. */
  add(account: StoredAccount): Promise<boolean>;
  /** False when there is no such account. */
  remove(name: string): Promise<boolean>;
  setPassword(name: string, passwordHash: string, at: number): Promise<boolean>;
  setRole(name: string, role: Role, at: number): Promise<boolean>;
}
