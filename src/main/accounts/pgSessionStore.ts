import type { Pool } from 'pg';
import type { SessionStore, StoredSession } from './sessionStore';
import { sessionOfRow } from './duckSessionStore';

// Login sessions in a plant's PostgreSQL (table `sessions`, migration 4): both instances of a pair see them.

const COLUMNS = `key, id, csrf, user_name, role, kind, (extract(epoch FROM created_at) * 1000)::float8 AS created_at,
  (extract(epoch FROM last_seen_at) * 1000)::float8 AS last_seen_at, address, user_agent`;
const ts = (ms: number) => new Date(ms).toISOString();

export class PgSessionStore implements SessionStore {
  constructor(private readonly pool: Pool) {}

  async save(s: StoredSession): Promise<void> {
    await this.pool.query('INSERT INTO sessions VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (key) DO NOTHING', [
      s.key,
      s.id,
      s.csrf,
      s.user,
      s.role,
      s.kind,
      ts(s.createdAt),
      ts(s.lastSeenAt),
      s.address,
      s.userAgent,
    ]);
  }

  async get(key: string): Promise<StoredSession | null> {
    const [r] = (await this.pool.query(`SELECT ${COLUMNS} FROM sessions WHERE key = $1`, [key])).rows;
    return r ? sessionOfRow(r) : null;
  }

  async touch(key: string, lastSeenAt: number): Promise<void> {
    await this.pool.query('UPDATE sessions SET last_seen_at = greatest(last_seen_at, $2) WHERE key = $1', [key, ts(lastSeenAt)]);
  }

  async remove(key: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE key = $1', [key]);
  }

  async list(): Promise<StoredSession[]> {
    return (await this.pool.query(`SELECT ${COLUMNS} FROM sessions ORDER BY created_at`)).rows.map(sessionOfRow);
  }
}
