import type { Role } from '../../shared/roles';

// The port where login sessions are kept: in the store `serve` uses, so a standby that takes over (or a second
// instance behind the same load balancer) knows the sessions the other one opened, and a restart does not log
// everyone out. Only a hash of a session's secret is stored: reading the table does not let anyone in.

export interface StoredSession {
  /** SHA-256 of the secret the browser or script holds (hex). */
  key: string;
  /** The public name, safe to list and revoke by. */
  id: string;
  csrf: string;
  user: string;
  role: Role;
  kind: 'account' | 'token';
  createdAt: number;
  lastSeenAt: number;
  address: string;
  userAgent: string;
}

export interface SessionStore {
  save(session: StoredSession): Promise<void>;
  get(key: string): Promise<StoredSession | null>;
  /** Records that the session was used; the idle expiry counts from the latest. */
  touch(key: string, lastSeenAt: number): Promise<void>;
  remove(key: string): Promise<void>;
  list(): Promise<StoredSession[]>;
}

/** For a server with no store of its own (tests, an open server): the sessions live as long as the process. */
export class MemorySessionStore implements SessionStore {
  private readonly byKey = new Map<string, StoredSession>();

  async save(s: StoredSession): Promise<void> {
    this.byKey.set(s.key, { ...s });
  }

  async get(key: string): Promise<StoredSession | null> {
    const s = this.byKey.get(key);
    return s ? { ...s } : null;
  }

  async touch(key: string, lastSeenAt: number): Promise<void> {
    const s = this.byKey.get(key);
    if (s) s.lastSeenAt = Math.max(s.lastSeenAt, lastSeenAt);
  }

  async remove(key: string): Promise<void> {
    this.byKey.delete(key);
  }

  async list(): Promise<StoredSession[]> {
    return [...this.byKey.values()].map((s) => ({ ...s }));
  }
}
