import type { MotorDatabase, Row } from '../store/database';
import type { Account, AccountStore, StoredAccount } from './accountStore';
import { roleSchema } from '../../shared/roles';

// Accounts in the DuckDB history file (table `accounts`, schema migration 11).

const COLUMNS = `name, role, password_hash, epoch_ms(created_at)::DOUBLE AS created_at, epoch_ms(updated_at)::DOUBLE AS updated_at`;
const ts = (ms: number) => new Date(ms).toISOString();

function account(r: Row): Account {
  return { name: String(r.name), role: roleSchema.parse(r.role), createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) };
}

export class DuckAccountStore implements AccountStore {
  constructor(private readonly db: MotorDatabase) {}

  async list(): Promise<Account[]> {
    return (await this.db.query(`SELECT ${COLUMNS} FROM accounts ORDER BY name`)).map(account);
  }

  async get(name: string): Promise<StoredAccount | null> {
    const [r] = await this.db.query(`SELECT ${COLUMNS} FROM accounts WHERE name = $1`, [name]);
    return r ? { ...account(r), passwordHash: String(r.password_hash) } : null;
  }

  async count(): Promise<number> {
    const [r] = await this.db.query('SELECT count(*) AS n FROM accounts');
    return Number(r.n);
  }

  async add(a: StoredAccount): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO accounts VALUES ($1, $2, $3, $4::TIMESTAMP, $5::TIMESTAMP) ON CONFLICT DO NOTHING RETURNING name`,
      [a.name, a.role, a.passwordHash, ts(a.createdAt), ts(a.updatedAt)],
      this.db.writer,
    );
    return rows.length === 1;
  }

  async remove(name: string): Promise<boolean> {
    return (await this.db.query('DELETE FROM accounts WHERE name = $1 RETURNING name', [name], this.db.writer)).length === 1;
  }

  async setPassword(name: string, passwordHash: string, at: number): Promise<boolean> {
    const rows = await this.db.query('UPDATE accounts SET password_hash = $2, updated_at = $3::TIMESTAMP WHERE name = $1 RETURNING name', [name, passwordHash, ts(at)], this.db.writer);
    return rows.length === 1;
  }

  async setRole(name: string, role: string, at: number): Promise<boolean> {
    const rows = await this.db.query('UPDATE accounts SET role = $2, updated_at = $3::TIMESTAMP WHERE name = $1 RETURNING name', [name, role, ts(at)], this.db.writer);
    return rows.length === 1;
  }
}
