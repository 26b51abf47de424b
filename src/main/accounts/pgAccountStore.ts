import type { Pool } from 'pg';
import type { Account, AccountStore, StoredAccount } from './accountStore';
import { roleSchema, type Role } from '../../shared/roles';

// Accounts in a plant's PostgreSQL, given the pool of the server's store (table `accounts`, made by the
// store's migration 3, which `motortwin users` runs too on a database `serve` has not opened yet).

const COLUMNS = `name, role, password_hash, (extract(epoch FROM created_at) * 1000)::float8 AS created_at, (extract(epoch FROM updated_at) * 1000)::float8 AS updated_at`;

type PgRow = { name: string; role: string; password_hash: string; created_at: number; updated_at: number };
const account = (r: PgRow): Account => ({ name: r.name, role: roleSchema.parse(r.role), createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) });
const ts = (ms: number) => new Date(ms).toISOString();

export class PgAccountStore implements AccountStore {
  constructor(private readonly pool: Pool) {}

  private async query(sql: string, params: unknown[] = []): Promise<PgRow[]> {
    return (await this.pool.query<PgRow>(sql, params)).rows;
  }

  async list(): Promise<Account[]> {
    return (await this.query(`SELECT ${COLUMNS} FROM accounts ORDER BY name`)).map(account);
  }

  async get(name: string): Promise<StoredAccount | null> {
    const [r] = await this.query(`SELECT ${COLUMNS} FROM accounts WHERE name = $1`, [name]);
    return r ? { ...account(r), passwordHash: r.password_hash } : null;
  }

  async count(): Promise<number> {
    return (await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts')).rows[0].n;
  }

  async add(a: StoredAccount): Promise<boolean> {
    const rows = await this.query('INSERT INTO accounts VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING RETURNING name', [a.name, a.role, a.passwordHash, ts(a.createdAt), ts(a.updatedAt)]);
    return rows.length === 1;
  }

  async remove(name: string): Promise<boolean> {
    return (await this.query('DELETE FROM accounts WHERE name = $1 RETURNING name', [name])).length === 1;
  }

  async setPassword(name: string, passwordHash: string, at: number): Promise<boolean> {
    return (await this.query('UPDATE accounts SET password_hash = $2, updated_at = $3 WHERE name = $1 RETURNING name', [name, passwordHash, ts(at)])).length === 1;
  }

  async setRole(name: string, role: Role, at: number): Promise<boolean> {
    return (await this.query('UPDATE accounts SET role = $2, updated_at = $3 WHERE name = $1 RETURNING name', [name, role, ts(at)])).length === 1;
  }
}
