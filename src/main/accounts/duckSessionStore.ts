import type { MotorDatabase, Row } from '../store/database';
import type { SessionStore, StoredSession } from './sessionStore';
import { roleSchema } from '../../shared/roles';

// Login sessions in the DuckDB history file (table `sessions`, schema migration 12).

const COLUMNS = `key, id, csrf, user_name, role, kind, epoch_ms(created_at)::DOUBLE AS created_at, epoch_ms(last_seen_at)::DOUBLE AS last_seen_at, address, user_agent`;
const ts = (ms: number) => new Date(ms).toISOString();

export function sessionOfRow(r: Row): StoredSession {
  return {
    key: String(r.key),
    id: String(r.id),
    csrf: String(r.csrf),
    user: String(r.user_name),
    role: roleSchema.parse(r.role),
    kind: r.kind === 'token' ? 'token' : 'account',
    createdAt: Number(r.created_at),
    lastSeenAt: Number(r.last_seen_at),
    address: String(r.address),
    userAgent: String(r.user_agent),
  };
}

export class DuckSessionStore implements SessionStore {
  constructor(private readonly db: MotorDatabase) {}

  async save(s: StoredSession): Promise<void> {
    await this.db.query(
      `INSERT INTO sessions VALUES ($1, $2, $3, $4, $5, $6, $7::TIMESTAMP, $8::TIMESTAMP, $9, $10) ON CONFLICT DO NOTHING`,
      [s.key, s.id, s.csrf, s.user, s.role, s.kind, ts(s.createdAt), ts(s.lastSeenAt), s.address, s.userAgent],
      this.db.writer,
    );
  }

  async get(key: string): Promise<StoredSession | null> {
    const [r] = await this.db.query(`SELECT ${COLUMNS} FROM sessions WHERE key = $1`, [key]);
    return r ? sessionOfRow(r) : null;
  }

  async touch(key: string, lastSeenAt: number): Promise<void> {
    await this.db.query('UPDATE sessions SET last_seen_at = greatest(last_seen_at, $2::TIMESTAMP) WHERE key = $1', [key, ts(lastSeenAt)], this.db.writer);
  }

  async remove(key: string): Promise<void> {
    await this.db.query('DELETE FROM sessions WHERE key = $1', [key], this.db.writer);
  }

  async list(): Promise<StoredSession[]> {
    return (await this.db.query(`SELECT ${COLUMNS} FROM sessions ORDER BY created_at`)).map(sessionOfRow);
  }
}
