import { createHash, randomBytes } from 'node:crypto';
import type { Accounts } from '../accounts/accounts';
import type { SessionStore, StoredSession } from '../accounts/sessionStore';
import type { Principal } from '../../shared/roles';

// The login sessions of a server, kept in its store (DuckDB file or PostgreSQL) so a restart or the standby of
// a pair knows them, with a cache in front: a request asks the store only for a session this instance has not
// seen, or has not checked for RECHECK_MS (so a logout or revoke on the other instance holds here within that).

export interface Session {
  /** A public name for the session (a hash of its secret), safe to list and to revoke by. */
  id: string;
  /** Sent back in the CSRF header by the pages that change state with this session. */
  csrf: string;
  /** Who logged in; its role follows the account's. */
  principal: Principal;
  createdAt: number;
  lastSeenAt: number;
  address: string;
  userAgent: string;
}

/** How stale a cached session may be before the store is asked whether it still exists. */
const RECHECK_MS = 15_000;
/** How often a session's use is written back (idle expiry is in hours: a minute's error is nothing). */
const TOUCH_MS = 60_000;
const MAX_SESSIONS = 1000;

interface Cached {
  session: Session;
  key: string;
  checkedAt: number;
  touchedAt: number;
}

export interface SessionBookOptions {
  store: SessionStore;
  accounts: Accounts | null;
  /** What a session opened with the API token acts as here; null when this server has no token. */
  tokenPrincipal: Principal | null;
  idleMs: number;
  maxMs: number;
  now: () => number;
  onEnded: (session: Session, reason: string) => void;
  /** A store write that failed in the background (the session goes on; the reason is logged). */
  onStoreError: (what: string, e: Error) => void;
}

const keyOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

export class SessionBook {
  /** By the secret in the cookie or bearer header. */
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly o: SessionBookOptions) {}

  async open(principal: Principal, address: string, userAgent: string): Promise<{ secret: string; session: Session }> {
    await this.sweep();
    const stored = await this.o.store.list();
    if (stored.length >= MAX_SESSIONS) await this.endStored(stored.sort((a, b) => a.lastSeenAt - b.lastSeenAt)[0], 'too many sessions');
    const secret = randomBytes(32).toString('base64url');
    const now = this.o.now();
    const session: Session = {
      id: createHash('sha256').update(secret).digest('base64url').slice(0, 16),
      csrf: randomBytes(24).toString('base64url'),
      principal,
      createdAt: now,
      lastSeenAt: now,
      address,
      userAgent,
    };
    const key = keyOf(secret);
    await this.o.store.save(this.toStored(key, session));
    this.cache.set(secret, { session, key, checkedAt: now, touchedAt: now });
    return { secret, session };
  }

  /** The live session this secret opens (and marks it used), or null: unknown, ended elsewhere, or expired. */
  async lookup(secret: string): Promise<Session | null> {
    const now = this.o.now();
    let c = this.cache.get(secret);
    if (c && now - c.checkedAt >= RECHECK_MS) {
      const stored = await this.o.store.get(c.key);
      if (!stored) {
        this.cache.delete(secret);
        this.o.onEnded(c.session, 'ended on another instance');
        return null;
      }
      c.session.lastSeenAt = Math.max(c.session.lastSeenAt, stored.lastSeenAt);
      c.checkedAt = now;
    }
    if (!c) {
      const loaded = await this.load(secret);
      if (!loaded) return null;
      c = loaded;
    }
    if (now >= this.expiresAt(c.session)) {
      await this.end(secret, 'expired');
      return null;
    }
    c.session.lastSeenAt = now;
    if (now - c.touchedAt >= TOUCH_MS) {
      c.touchedAt = now;
      this.o.store.touch(c.key, now).catch((e: Error) => this.o.onStoreError('recording a session as used', e));
    }
    return c.session;
  }

  /** Ends the session this secret opens, if any. */
  async end(secret: string, reason: string): Promise<boolean> {
    const c = this.cache.get(secret);
    this.cache.delete(secret);
    const stored = c ? null : await this.o.store.get(keyOf(secret));
    if (!c && !stored) return false;
    await this.o.store.remove(c?.key ?? keyOf(secret));
    this.o.onEnded(c?.session ?? this.fromStored(stored!, stored!.role), reason);
    return true;
  }

  /** Every session of the server (both instances of a pair), newest use first. */
  async list(): Promise<Session[]> {
    const live = new Map([...this.cache.values()].map((c) => [c.session.id, c.session]));
    return (await this.o.store.list())
      .map((s) => live.get(s.id) ?? this.fromStored(s, s.role))
      .filter((s) => this.o.now() < this.expiresAt(s))
      .sort((a, b) => b.lastSeenAt - a.lastSeenAt);
  }

  /** Ends a session by its public id; false when there is none. */
  async revoke(id: string, reason: string): Promise<boolean> {
    const stored = (await this.o.store.list()).find((s) => s.id === id);
    if (!stored) return false;
    await this.endStored(stored, reason);
    return true;
  }

  expiresAt(s: Pick<Session, 'createdAt' | 'lastSeenAt'>): number {
    return Math.min(s.lastSeenAt + this.o.idleMs, s.createdAt + this.o.maxMs);
  }

  /** Ends the sessions past their time, cached or only stored. */
  async sweep(): Promise<void> {
    const now = this.o.now();
    for (const [secret, c] of this.cache) if (now >= this.expiresAt(c.session)) await this.end(secret, 'expired');
    for (const s of await this.o.store.list()) if (now >= this.expiresAt(s)) await this.endStored(s, 'expired');
  }

  /** Sessions follow their accounts: a removed account's sessions end, a changed role applies to open pages. */
  async followAccounts(byName: ReadonlyMap<string, { role: Principal['role'] }>): Promise<void> {
    for (const [secret, c] of this.cache) {
      if (c.session.principal.kind !== 'account') continue;
      const a = byName.get(c.session.principal.name);
      if (!a) await this.end(secret, 'account removed');
      else c.session.principal.role = a.role;
    }
  }

  private async load(secret: string): Promise<Cached | null> {
    const key = keyOf(secret);
    const stored = await this.o.store.get(key);
    if (!stored) return null;
    const principal = await this.principalOf(stored);
    if (!principal) {
      await this.o.store.remove(key);
      return null;
    }
    const now = this.o.now();
    const c: Cached = { session: this.fromStored(stored, principal.role, principal), key, checkedAt: now, touchedAt: now };
    this.cache.set(secret, c);
    return c;
  }

  /** Who a stored session acts as here: the account as it is now, or this server's token; null if neither holds. */
  private async principalOf(s: StoredSession): Promise<Principal | null> {
    if (s.kind === 'token') return this.o.tokenPrincipal;
    const account = await this.o.accounts?.store.get(s.user);
    return account ? { name: account.name, role: account.role, kind: 'account' } : null;
  }

  private async endStored(s: StoredSession, reason: string): Promise<void> {
    for (const [secret, c] of this.cache) if (c.key === s.key) this.cache.delete(secret);
    await this.o.store.remove(s.key);
    this.o.onEnded(this.fromStored(s, s.role), reason);
  }

  private fromStored(s: StoredSession, role: Principal['role'], principal?: Principal): Session {
    return {
      id: s.id,
      csrf: s.csrf,
      principal: principal ?? { name: s.user, role, kind: s.kind },
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      address: s.address,
      userAgent: s.userAgent,
    };
  }

  private toStored(key: string, s: Session): StoredSession {
    return {
      key,
      id: s.id,
      csrf: s.csrf,
      user: s.principal.name,
      role: s.principal.role,
      kind: s.principal.kind === 'token' ? 'token' : 'account',
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      address: s.address,
      userAgent: s.userAgent,
    };
  }
}
