import type { IncomingMessage } from 'node:http';
import { sameSecret } from '../broker/embeddedBroker';
import { FailedLogins } from '../security/failedLogins';
import type { Accounts } from '../accounts/accounts';
import { MemorySessionStore, type SessionStore } from '../accounts/sessionStore';
import { SessionBook, type Session } from './sessionBook';
import { LOCAL_USER, type Principal, type Role } from '../../shared/roles';
import type { SecurityLog } from './securityLog';

// Who may use the headless server, and as whom. With neither accounts nor a token (loopback only: creation
// refuses otherwise) it is open to this machine, as the desktop app is, and everyone is the local user. Once an
// account exists or a token is set, one policy holds at every entrance (HTTP API, WebSocket, static files,
// exports, reports): a person logs in with a user name and password (a session: a cookie for a browser, a
// bearer token for a script), and a script may use the API token, which acts as an account of its own with
// its own role. Sessions expire when idle and at an absolute age, end at logout, and can be listed and ended
// one by one; they live in the server's store (sessionBook.ts). Wrong passwords and tokens are rate limited per
// client address.

export type { Session };

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
  /** Where sessions are kept (the server's store, shared by a standby pair); default: this process's memory. */
  sessions?: SessionStore | null;
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
  /** Where logins, failed logins, lockouts and refusals are told (the server's log). */
  log: SecurityLog;
}

/** How a request proved itself, and who it is. A bearer may be the API token or a session opened by /api/login. */
export type Credential =
  | { kind: 'bearer'; principal: Principal; session: Session | null }
  | { kind: 'session'; principal: Principal; session: Session }
  | { kind: 'open'; principal: Principal };
export type AuthResult = ({ ok: true } & Credential) | { ok: false; status: 401 | 429; error: string; retryAfterS?: number };
export type AuthFailure = Extract<AuthResult, { ok: false }>;
export type LoginAttempt = { username: string; password: string } | { token: string };

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

/** How long "no accounts yet" is believed before the store is asked again (another process may add one). */
const OPEN_RECHECK_MS = 1000;

export class AuthGate {
  readonly exposed: boolean;
  private readonly token: string | null;
  private readonly tokenPrincipal: Principal;
  private readonly accounts: Accounts | null;
  private readonly failures: FailedLogins;
  private readonly sessions: SessionBook;
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
    this.log = opts.log;
    this.failures = new FailedLogins(opts.maxFailures ?? 5, opts.windowMs ?? 60_000, this.now);
    this.maxMs = opts.sessionMaxMs ?? 24 * 3600_000;
    this.sessions = new SessionBook({
      store: opts.sessions ?? new MemorySessionStore(),
      accounts: this.accounts,
      tokenPrincipal: this.token === null ? null : this.tokenPrincipal,
      idleMs: opts.sessionIdleMs ?? 8 * 3600_000,
      maxMs: this.maxMs,
      now: this.now,
      onEnded: (session, reason) => {
        this.log({ event: reason === 'logged out' ? 'logout' : 'session_ended', user: session.principal.name, address: session.address, reason });
        for (const l of this.endedListeners) l(session.id);
      },
      onStoreError: (what, e) => this.log({ event: 'session_store_failed', reason: `${what}: ${e.message}` }),
    });
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
    const fromCookie = await this.sessionOf(this.cookieOf(req));
    if (fromCookie) return { ok: true, kind: 'session', session: fromCookie, principal: fromCookie.principal };
    const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const fromBearer = await this.sessionOf(given);
    if (fromBearer) return { ok: true, kind: 'bearer', session: fromBearer, principal: fromBearer.principal };
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
    const { secret, session } = await this.sessions.open(principal, req.socket.remoteAddress ?? 'unknown', String(req.headers['user-agent'] ?? '').slice(0, 200));
    this.log({ event: 'login', user: principal.name, role: principal.role, address: session.address });
    return { ok: true, secret, session, cookie: `${SESSION_COOKIE}=${secret}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.floor(this.maxMs / 1000)}` };
  }

  /** Ends the request's own session (by cookie or bearer); the cookie that clears it in the browser. */
  async logout(req: IncomingMessage): Promise<string> {
    for (const secret of [this.cookieOf(req), /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1]]) {
      if (secret !== undefined) await this.sessions.end(secret, 'logged out');
    }
    return `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;
  }

  /** Every session (an admin's view), or only those of `onlyUser`. */
  async list(current?: Session | null, onlyUser?: string): Promise<SessionInfo[]> {
    return (await this.sessions.list())
      .filter((s) => onlyUser === undefined || s.principal.name === onlyUser)
      .map((s) => ({
        id: s.id,
        user: s.principal.name,
        role: s.principal.role,
        createdAt: s.createdAt,
        lastSeenAt: s.lastSeenAt,
        expiresAt: this.sessions.expiresAt(s),
        address: s.address,
        userAgent: s.userAgent,
        current: s.id === current?.id,
      }));
  }

  /** The session with this public id, if any. */
  async find(id: string): Promise<Session | null> {
    return (await this.sessions.list()).find((s) => s.id === id) ?? null;
  }

  /** Ends a session by its public id; false when there is none. */
  revoke(id: string): Promise<boolean> {
    return this.sessions.revoke(id, 'ended from the session list');
  }

  /** Called with a session's public id when it ends (logout, revoke, expiry): its sockets close. */
  onSessionEnded(listener: (sessionId: string) => void): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  /** Ends the sessions past their time. */
  sweep(): Promise<void> {
    return this.sessions.sweep();
  }

  /**
   * Sessions follow their accounts: a removed account's sessions end, a changed role applies to its open
   * pages too. Another process (`motortwin users` on PostgreSQL) may have changed them.
   */
  async refreshAccounts(): Promise<void> {
    await this.recheckAccounts();
    if (!this.accounts) return;
    await this.sessions.followAccounts(new Map((await this.accounts.list()).map((a) => [a.name, a])));
  }

  private async recheckAccounts(): Promise<void> {
    this.accountsCheckedAt = this.now();
    // Once accounts existed, the door stays shut until restart: the safe way round if the last one is removed.
    if (this.accounts && !this.accountsExist) this.accountsExist = await this.accounts.exist();
  }

  private cookieOf(req: IncomingMessage): string | undefined {
    return (req.headers.cookie ?? '')
      .split(';')
      .map((c) => c.trim().split('='))
      .find(([k]) => k === SESSION_COOKIE)?.[1];
  }

  private sessionOf(secret: string | undefined): Promise<Session | null> {
    return secret === undefined ? Promise.resolve(null) : this.sessions.lookup(secret);
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
