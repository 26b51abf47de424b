import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { sameSecret } from '../broker/embeddedBroker';
import { FailedLogins } from '../security/failedLogins';

// Who may use the headless server. On loopback it is open, as before (the command API still asks for the
// token when one is set). Beyond loopback every request needs the API token: as a bearer header (scripts) or,
// for a browser, a session cookie given once the token was typed into /login. Wrong tokens are rate limited
// per client address.

export const SESSION_COOKIE = 'motortwin_session';

export interface AuthGateOptions {
  token: string | null;
  /** Listening beyond loopback: every request must authenticate. */
  exposed: boolean;
  /** Wrong tokens allowed per address within the window before it is refused outright. */
  maxFailures?: number;
  windowMs?: number;
  now?: () => number;
}

export type AuthResult = { ok: true } | { ok: false; status: 401 | 429; error: string; retryAfterS?: number };

const MAX_SESSIONS = 1000;

export class AuthGate {
  readonly exposed: boolean;
  private readonly token: string | null;
  private readonly failures: FailedLogins;
  private readonly sessions = new Set<string>();

  constructor(opts: AuthGateOptions) {
    if (opts.exposed && !opts.token) throw new Error('MotorTwin only listens beyond loopback with an API token (--api-token or MOTORTWIN_API_TOKEN): otherwise anyone on the network could use it');
    this.token = opts.token;
    this.exposed = opts.exposed;
    this.failures = new FailedLogins(opts.maxFailures ?? 5, opts.windowMs ?? 60_000, opts.now ?? Date.now);
  }

  /**
   * Beyond loopback every request comes here; on loopback only the command API does, which needs the token once
   * one is set. No token means loopback (the constructor refuses otherwise): open.
   */
  check(req: IncomingMessage): AuthResult {
    if (!this.token) return { ok: true };
    if (this.hasSession(req)) return { ok: true };
    const limited = this.limited(req);
    if (limited) return limited;
    const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (given !== undefined && sameSecret(given, this.token)) return { ok: true };
    if (given !== undefined) this.fail(req);
    return { ok: false, status: 401, error: given === undefined ? 'this server needs the API token: Authorization: Bearer <token>, or log in at /login' : 'wrong bearer token' };
  }

  /** A token typed into the login form: a session cookie when it is right. */
  login(req: IncomingMessage, token: string): { ok: true; cookie: string } | Exclude<AuthResult, { ok: true }> {
    const limited = this.limited(req);
    if (limited) return limited;
    if (!this.token || !sameSecret(token, this.token)) {
      this.fail(req);
      return { ok: false, status: 401, error: 'wrong token' };
    }
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.values().next().value!);
    const session = randomBytes(32).toString('base64url');
    this.sessions.add(session);
    return { ok: true, cookie: `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/` };
  }

  private hasSession(req: IncomingMessage): boolean {
    const cookie = (req.headers.cookie ?? '').split(';').map((c) => c.trim().split('=')).find(([k]) => k === SESSION_COOKIE)?.[1];
    return cookie !== undefined && this.sessions.has(cookie);
  }

  private limited(req: IncomingMessage): Exclude<AuthResult, { ok: true }> | null {
    const retryAfterS = this.failures.retryAfterS(req.socket.remoteAddress ?? 'unknown');
    if (retryAfterS === null) return null;
    return { ok: false, status: 429, error: `too many wrong tokens from this address; try again in ${retryAfterS} s`, retryAfterS };
  }

  private fail(req: IncomingMessage): void {
    this.failures.fail(req.socket.remoteAddress ?? 'unknown');
  }
}

export function sendAuthFailure(res: ServerResponse, result: Exclude<AuthResult, { ok: true }>, send: (res: ServerResponse, status: number, body: unknown) => void): void {
  if (result.retryAfterS) res.setHeader('retry-after', String(result.retryAfterS));
  if (result.status === 401) res.setHeader('www-authenticate', 'Bearer realm="MotorTwin"');
  send(res, result.status, { error: result.error });
}

const page = (message: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>MotorTwin: log in</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 26rem; margin: 4rem auto">
<h1>MotorTwin</h1><p>This MotorTwin is reachable from the network. Enter its API token (the <code>--api-token</code> it was started with).</p>
${message ? `<p role="alert" style="color: #b00020">${message}</p>` : ''}
<form method="post" action="/login"><label>API token <input type="password" name="token" autocomplete="current-password" required autofocus></label> <button type="submit">Log in</button></form>
</body></html>`;

/** GET shows the form; POST checks the token and sets the session cookie. */
export async function loginRoute(gate: AuthGate, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'" };
  if (req.method !== 'POST') {
    res.writeHead(200, headers).end(page(''));
    return;
  }
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 4096) break;
  }
  const result = gate.login(req, new URLSearchParams(body).get('token') ?? '');
  if (result.ok) {
    res.writeHead(303, { location: '/', 'set-cookie': result.cookie, 'cache-control': 'no-store' }).end();
    return;
  }
  if (result.retryAfterS) res.setHeader('retry-after', String(result.retryAfterS));
  res.writeHead(result.status, headers).end(page(result.error));
}
