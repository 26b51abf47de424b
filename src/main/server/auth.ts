import type { IncomingMessage } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { sameSecret } from '../broker/embeddedBroker';
import { FailedLogins } from '../security/failedLogins';
import type { Accounts } from '../accounts/accounts';
import { LOCAL_USER, type Principal, type Role } from '../../shared/roles';
import { stderrSecurityLog, type SecurityLog } from './securityLog';

// Who may use the headless server, and as whom. With neither accounts nor a token (loopback only: creation
// refuses otherwise) it is open to this machine, as the desktop app is, and everyone is the local user. Once an
// account exists or a token is set, one policy holds at every entrance (HTTP API, WebSocket, static files,
// exports, reports): a person logs in with a user name and password (a session: a cookie for a browser, a
// bearer token for a script), and a script may use the API token, which acts as an account of its own with
// its own role. Sessions expire when idle and at an absolute age, end at logout, and can be listed and ended
// one by one. Wrong passwords and tokens are rate limited per client address.

export const SESSION_COOKIE = 'motortwin_session';
export const CSRF_HEADER = 'x-motortwin-csrf';
/** The name the API token acts under in the audit trail. */
export const TOKEN_ACCOUNT = 'api-token';

export interface AuthGateOptions {
  token: string | null;
  /** What the API token may do (default admin: a script with the token did everything before accounts existed). */
  tokenRole?: Role;
  /** People's accounts; none, or an empty store, leaves the token (or nothing) to guard the door. */
  accounts?: Accounts | null;
  /** Listening beyond loopback: a token or an account is required. */
  exposed: boolean;
  /** Wrong passwords or tokens allowed per address within the window before it is refused outright. */
  maxFailures?: number;
  windowMs?: number;
  /** A session ends after this long without a request (default 8 h, a shift). */
  sessionIdleMs?: number;
  /** …and at this age whatever happens (default 24 h). */
  sessionMaxMs?: number;
  now?: () => number;
  log?: SecurityLog;
}

/** How a request proved itself, and who it is. A bearer may be the API token or a session opened by /api/login. */
export type Credential =
  | { kind: 'bearer'; principal: Principal; session: Session | null }
  | { kind: 'session'; principal: Principal; session: Session }
  | { kind: 'open'; principal: Principal };
export type AuthResult = ({ ok: true } & Credential) | { ok: false; status: 401 | 429; error: string; retryAfterS?: number };
export type AuthFailure = Extract<AuthResult, { ok: false }>;
export type LoginAttempt = { username: string; password: string } | { token: string };

export interface Session {
  /** A public name for the session (a hash of its secret), safe to list and to revoke by. */
  id: string;
  /** Sent back in CSRF_HEADER by the pages that change state with this session. */
  csrf: string;
  /** Who logged in; its role follows the account's (checked each minute). */
  principal: Principal;
  createdAt: number;
  lastSeenAt: number;
  address: string;
  userAgent: string;
}

export interface SessionInfo {
  id: string;
  user: string;
  role: Role;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  address: string;
  userAgent: string;
  current: boolean;
}

const MAX_SESSIONS = 1000;
/** How long "no accounts yet" is believed before the store is asked again (another process may add one). */
const OPEN_RECHECK_MS = 1000;

export class AuthGate {
  readonly exposed: boolean;
  private readonly token: string | null;
  private readonly tokenPrincipal: Principal;
  private readonly accounts: Accounts | null;
  private readonly failures: FailedLogins;
  /** By the secret in the cookie or bearer header. */
  private readonly sessions = new Map<string, Session>();
  private readonly idleMs: number;
  private readonly maxMs: number;
  private readonly now: () => number;
  private readonly log: SecurityLog;
  private readonly endedListeners = new Set<(sessionId: string) => void>();
  private accountsExist = false;
  private accountsCheckedAt = -Infinity;

  private constructor(opts: AuthGateOptions) {
    this.token = opts.token;
    this.tokenPrincipal = { name: TOKEN_ACCOUNT, role: opts.tokenRole ?? 'admin', kind: 'token' };
    this.accounts = opts.accounts ?? null;
    this.exposed = opts.exposed;
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? stderrSecurityLog;
    this.failures = new FailedLogins(opts.maxFailures ?? 5, opts.windowMs ?? 60_000, this.now);
    this.idleMs = opts.sessionIdleMs ?? 8 * 3600_000;
    this.maxMs = opts.sessionMaxMs ?? 24 * 3600_000;
  }

  static async create(opts: AuthGateOptions): Promise<AuthGate> {
    const gate = new AuthGate(opts);
    await gate.recheckAccounts();
    if (opts.exposed && !gate.required) {
      throw new Error('MotorTwin only listens beyond loopback with accounts (motortwin users add NAME --role ROLE) or an API token (--api-token or MOTORTWIN_API_TOKEN): otherwise anyone on the network could use it');
    }
    return gate;
  }

  /** A token is set or an account exists: every entrance asks for a login. */
  get required(): boolean {
    return this.token !== null || this.accountsExist;
  }

  /** People log in by name and password (else only the token, if any, gets in). */
  get usesAccounts(): boolean {
    return this.accountsExist;
  }

  async check(req: IncomingMessage): Promise<AuthResult> {
    const fromCookie = this.sessionOf(this.cookieOf(req));
    if (fromCookie) {
      fromCookie.lastSeenAt = this.now();
      return { ok: true, kind: 'session', session: fromCookie, principal: fromCookie.principal };
    }
    const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const fromBearer = this.sessionOf(given);
    if (fromBearer) {
      fromBearer.lastSeenAt = this.now();
      return { ok: true, kind: 'bearer', session: fromBearer, principal: fromBearer.principal };
    }
    if (!this.required && this.now() - this.accountsCheckedAt >= OPEN_RECHECK_MS) await this.recheckAccounts();
    if (!this.required) return { ok: true, kind: 'open', principal: LOCAL_USER };
    const limited = this.limited(req);
    if (limited) return limited;
    if (given !== undefined && this.token && sameSecret(given, this.token)) return { ok: true, kind: 'bearer', principal: this.tokenPrincipal, session: null };
    if (given !== undefined) this.fail(req, { user: TOKEN_ACCOUNT, reason: 'wrong bearer token' });
    const expired = given === undefined && this.cookieOf(req) !== undefined;
    const how = this.accountsExist ? 'log in at /login (or POST /api/login with {"username","password"})' : 'the API token (Authorization: Bearer <token>), or log in at /login';
    return {
      ok: false,
      status: 401,
      error: given !== undefined ? 'wrong bearer token (or an ended session): log in again' : expired ? 'your session has ended (expired or logged out): log in again at /login' : `this server needs a login: ${how}`,
    };
  }

  /** A user name and password (or, without accounts' help, the API token): a new session when right. */
  async login(req: IncomingMessage, attempt: LoginAttempt): Promise<{ ok: true; cookie: string; secret: string; session: Session } | AuthFailure> {
    const limited = this.limited(req);
    if (limited) return limited;
    let principal: Principal | null = null;
    if ('token' in attempt) {
      if (this.token && sameSecret(attempt.token, this.token)) principal = this.tokenPrincipal;
    } else if (this.accounts) {
      const account = await this.accounts.verify(attempt.username, attempt.password);
      if (account) principal = { name: account.name, role: account.role, kind: 'account' };
    }
    if (!principal) {
      const what = 'token' in attempt ? 'wrong token' : 'wrong user name or password';
      this.fail(req, { user: 'token' in attempt ? TOKEN_ACCOUNT : attempt.username.slice(0, 64), reason: what });
      return { ok: false, status: 401, error: what };
    }
    this.sweep();
    if (this.sessions.size >= MAX_SESSIONS) this.end([...this.sessions.keys()][0], 'too many sessions');
    const secret = randomBytes(32).toString('base64url');
    const now = this.now();
    const session: Session = {
      id: createHash('sha256').update(secret).digest('base64url').slice(0, 16),
      csrf: randomBytes(24).toString('base64url'),
      principal,
      createdAt: now,
      lastSeenAt: now,
      address: req.socket.remoteAddress ?? 'unknown',
      userAgent: String(req.headers['user-agent'] ?? '').slice(0, 200),
    };
    this.sessions.set(secret, session);
    this.log({ event: 'login', user: principal.name, role: principal.role, address: session.address });
    return { ok: true, secret, session, cookie: `${SESSION_COOKIE}=${secret}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.floor(this.maxMs / 1000)}` };
  }

  /** Ends the request's own session (by cookie or bearer); the cookie that clears it in the browser. */
  logout(req: IncomingMessage): string {
    for (const secret of [this.cookieOf(req), /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1]]) {
      if (secret !== undefined && this.sessions.has(secret)) this.end(secret, 'logged out');
    }
    return `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;
  }

  /** Every session (an admin's view), or only those of `onlyUser`. */
  list(current?: Session | null, onlyUser?: string): SessionInfo[] {
    this.sweep();
    return [...this.sessions.values()]
      .filter((s) => onlyUser === undefined || s.principal.name === onlyUser)
      .map((s) => ({
        id: s.id,
        user: s.principal.name,
        role: s.principal.role,
        createdAt: s.createdAt,
        lastSeenAt: s.lastSeenAt,
        expiresAt: this.expiresAt(s),
        address: s.address,
        userAgent: s.userAgent,
        current: s === current,
      }));
  }

  /** The session with this public id, if any. */
  find(id: string): Session | null {
    return [...this.sessions.values()].find((s) => s.id === id) ?? null;
  }

  /** Ends a session by its public id; false when there is none. */
  revoke(id: string): boolean {
    const secret = [...this.sessions.entries()].find(([, s]) => s.id === id)?.[0];
    if (secret === undefined) return false;
    this.end(secret, 'ended from the session list');
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
    for (const [secret, s] of this.sessions) if (now >= this.expiresAt(s)) this.end(secret, 'expired');
  }

  /**
   * Sessions follow their accounts: a removed account's sessions end, a changed role applies to its open
   * pages too. Another process (`motortwin users` on PostgreSQL) may have changed them.
   */
  async refreshAccounts(): Promise<void> {
    await this.recheckAccounts();
    if (!this.accounts) return;
    const byName = new Map((await this.accounts.list()).map((a) => [a.name, a]));
    for (const [secret, s] of this.sessions) {
      if (s.principal.kind !== 'account') continue;
      const a = byName.get(s.principal.name);
      if (!a) this.end(secret, 'account removed');
      else s.principal.role = a.role;
    }
  }

  private async recheckAccounts(): Promise<void> {
    this.accountsCheckedAt = this.now();
    // Once accounts existed, the door stays shut until restart: the safe way round if the last one is removed.
    if (this.accounts && !this.accountsExist) this.accountsExist = await this.accounts.exist();
  }

  private expiresAt(s: Session): number {
    return Math.min(s.lastSeenAt + this.idleMs, s.createdAt + this.maxMs);
  }

  private end(secret: string, reason: string): void {
    const s = this.sessions.get(secret);
    if (!s) return;
    this.sessions.delete(secret);
    this.log({ event: reason === 'logged out' ? 'logout' : 'session_ended', user: s.principal.name, address: s.address, reason });
    for (const l of this.endedListeners) l(s.id);
  }

  private cookieOf(req: IncomingMessage): string | undefined {
    return (req.headers.cookie ?? '')
      .split(';')
      .map((c) => c.trim().split('='))
      .find(([k]) => k === SESSION_COOKIE)?.[1];
  }

  private sessionOf(secret: string | undefined): Session | null {
    if (secret === undefined) return null;
    const s = this.sessions.get(secret);
    if (!s) return null;
    if (this.now() >= this.expiresAt(s)) {
      this.end(secret, 'expired');
      return null;
    }
    return s;
  }

  private limited(req: IncomingMessage): AuthFailure | null {
    const address = req.socket.remoteAddress ?? 'unknown';
    const retryAfterS = this.failures.retryAfterS(address);
    if (retryAfterS === null) return null;
    this.log({ event: 'locked_out', address, reason: `retry in ${retryAfterS} s` });
    return { ok: false, status: 429, error: `too many wrong tokens or passwords from this address; try again in ${retryAfterS} s`, retryAfterS };
  }

  private fail(req: IncomingMessage, e: { user: string; reason: string }): void {
    const address = req.socket.remoteAddress ?? 'unknown';
    this.failures.fail(address);
    this.log({ event: 'login_failed', address, ...e });
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
