import type { IncomingMessage } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { sameSecret } from '../broker/embeddedBroker';
import { FailedLogins } from '../security/failedLogins';

// Who may use the headless server. Without a token (loopback only: the constructor refuses otherwise) it is
// open to this machine, as the desktop app is. With a token, one policy holds at every entrance (HTTP API,
// WebSocket, static files, exports, reports): a bearer header from a script, or a browser session that
// typing the token into /login opened. Sessions expire when idle and at an absolute age, end at /logout, and
// can be listed and ended one by one. Wrong tokens are rate limited per client address.

export const SESSION_COOKIE = 'motortwin_session';
export const CSRF_HEADER = 'x-motortwin-csrf';

export interface AuthGateOptions {
  token: string | null;
  /** Listening beyond loopback: the token is required. */
  exposed: boolean;
  /** Wrong tokens allowed per address within the window before it is refused outright. */
  maxFailures?: number;
  windowMs?: number;
  /** A session ends after this long without a request (default 8 h, a shift). */
  sessionIdleMs?: number;
  /** …and at this age whatever happens (default 24 h). */
  sessionMaxMs?: number;
  now?: () => number;
}

/** How a request proved itself: a bearer token, a browser session, or nothing needed (open loopback server). */
export type Credential = { kind: 'bearer' } | { kind: 'session'; session: Session } | { kind: 'open' };
export type AuthResult = ({ ok: true } & Credential) | { ok: false; status: 401 | 429; error: string; retryAfterS?: number };
export type AuthFailure = Extract<AuthResult, { ok: false }>;

export interface Session {
  /** A public name for the session (a hash of its secret), safe to list and to revoke by. */
  id: string;
  /** Sent back in CSRF_HEADER by the pages that change state with this session. */
  csrf: string;
  createdAt: number;
  lastSeenAt: number;
  address: string;
  userAgent: string;
}

export interface SessionInfo {
  id: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  address: string;
  userAgent: string;
  current: boolean;
}

const MAX_SESSIONS = 1000;

export class AuthGate {
  readonly exposed: boolean;
  private readonly token: string | null;
  private readonly failures: FailedLogins;
  /** By the secret in the cookie. */
  private readonly sessions = new Map<string, Session>();
  private readonly idleMs: number;
  private readonly maxMs: number;
  private readonly now: () => number;
  private readonly endedListeners = new Set<(sessionId: string) => void>();

  constructor(opts: AuthGateOptions) {
    if (opts.exposed && !opts.token) throw new Error('MotorTwin only listens beyond loopback with an API token (--api-token or MOTORTWIN_API_TOKEN): otherwise anyone on the network could use it');
    this.token = opts.token;
    this.exposed = opts.exposed;
    this.now = opts.now ?? Date.now;
    this.failures = new FailedLogins(opts.maxFailures ?? 5, opts.windowMs ?? 60_000, this.now);
    this.idleMs = opts.sessionIdleMs ?? 8 * 3600_000;
    this.maxMs = opts.sessionMaxMs ?? 24 * 3600_000;
  }

  /** A token is set: every entrance asks for it. */
  get required(): boolean {
    return this.token !== null;
  }

  check(req: IncomingMessage): AuthResult {
    if (!this.token) return { ok: true, kind: 'open' };
    const session = this.sessionOf(req);
    if (session) {
      session.lastSeenAt = this.now();
      return { ok: true, kind: 'session', session };
    }
    const limited = this.limited(req);
    if (limited) return limited;
    const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (given !== undefined && sameSecret(given, this.token)) return { ok: true, kind: 'bearer' };
    if (given !== undefined) this.fail(req);
    const expired = given === undefined && this.cookieOf(req) !== undefined;
    return {
      ok: false,
      status: 401,
      error: given !== undefined ? 'wrong bearer token' : expired ? 'your session has ended (expired or logged out): log in again at /login' : 'this server needs the API token: Authorization: Bearer <token>, or log in at /login',
    };
  }

  /** A token typed into the login form: a session cookie when it is right. */
  login(req: IncomingMessage, token: string): { ok: true; cookie: string } | AuthFailure {
    const limited = this.limited(req);
    if (limited) return limited;
    if (!this.token || !sameSecret(token, this.token)) {
      this.fail(req);
      return { ok: false, status: 401, error: 'wrong token' };
    }
    this.sweep();
    if (this.sessions.size >= MAX_SESSIONS) this.end([...this.sessions.keys()][0]);
    const secret = randomBytes(32).toString('base64url');
    const now = this.now();
    this.sessions.set(secret, {
      id: createHash('sha256').update(secret).digest('base64url').slice(0, 16),
      csrf: randomBytes(24).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
      address: req.socket.remoteAddress ?? 'unknown',
      userAgent: String(req.headers['user-agent'] ?? '').slice(0, 200),
    });
    return { ok: true, cookie: `${SESSION_COOKIE}=${secret}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.floor(this.maxMs / 1000)}` };
  }

  /** Ends the request's own session; the cookie that clears it in the browser. */
  logout(req: IncomingMessage): string {
    const secret = this.cookieOf(req);
    if (secret !== undefined && this.sessions.has(secret)) this.end(secret);
    return `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;
  }

  list(current?: Session): SessionInfo[] {
    this.sweep();
    return [...this.sessions.values()].map((s) => ({
      id: s.id,
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      expiresAt: this.expiresAt(s),
      address: s.address,
      userAgent: s.userAgent,
      current: s === current,
    }));
  }

  /** Ends a session by its public id; false when there is none. */
  revoke(id: string): boolean {
    const secret = [...this.sessions.entries()].find(([, s]) => s.id === id)?.[0];
    if (secret === undefined) return false;
    this.end(secret);
    return true;
  }

  /** Called with a session's public id when it ends (logout, revoke, expiry): its sockets close. */
  onSessionEnded(listener: (sessionId: string) => void): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  /** Ends the sessions past their time. */
  sweep(): void {
    const now = this.now();
    for (const [secret, s] of this.sessions) if (now >= this.expiresAt(s)) this.end(secret);
  }

  private expiresAt(s: Session): number {
    return Math.min(s.lastSeenAt + this.idleMs, s.createdAt + this.maxMs);
  }

  private end(secret: string): void {
    const s = this.sessions.get(secret);
    if (!s) return;
    this.sessions.delete(secret);
    for (const l of this.endedListeners) l(s.id);
  }

  private cookieOf(req: IncomingMessage): string | undefined {
    return (req.headers.cookie ?? '')
      .split(';')
      .map((c) => c.trim().split('='))
      .find(([k]) => k === SESSION_COOKIE)?.[1];
  }

  private sessionOf(req: IncomingMessage): Session | null {
    const secret = this.cookieOf(req);
    if (secret === undefined) return null;
    const s = this.sessions.get(secret);
    if (!s) return null;
    if (this.now() >= this.expiresAt(s)) {
      this.end(secret);
      return null;
    }
    return s;
  }

  private limited(req: IncomingMessage): AuthFailure | null {
    const retryAfterS = this.failures.retryAfterS(req.socket.remoteAddress ?? 'unknown');
    if (retryAfterS === null) return null;
    return { ok: false, status: 429, error: `too many wrong tokens from this address; try again in ${retryAfterS} s`, retryAfterS };
  }

  private fail(req: IncomingMessage): void {
    this.failures.fail(req.socket.remoteAddress ?? 'unknown');
  }
}

/**
 * A request that changes state needs a credential a page of another origin cannot borrow: the bearer header
 * (a browser never adds it on its own) or a session with its CSRF token in a header. The session cookie
 * alone is not enough: a page on another port of this machine is the same "site" and would carry it.
 */
export function csrfProof(req: IncomingMessage, credential: Credential): string | null {
  if (credential.kind !== 'session') return null;
  const given = req.headers[CSRF_HEADER];
  if (typeof given === 'string' && sameSecret(given, credential.session.csrf)) return null;
  return `a browser session changes things only with its CSRF token in the ${CSRF_HEADER} header (GET /api/session gives it)`;
}
