import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { AuthFailure, AuthGate, Credential, LoginAttempt } from './auth';
import { roleAllows } from '../../shared/roles';
import { readBodyText } from './requestBody';
import { DomainError } from '../platform/domainError';

// The way in and out: /login (a form: user name and password once accounts exist, else the API token),
// POST /api/login for scripts and the UI (JSON; a cookie and a bearer token), /logout and POST /api/logout,
// and the session list a person checks and prunes (GET /api/session for the page's own session, its user and
// CSRF token; GET /api/sessions, all of them for an admin, one's own otherwise; POST /api/sessions/:id/revoke).

export type Send = (res: ServerResponse, status: number, body: unknown) => void;

export function sendAuthFailure(res: ServerResponse, result: AuthFailure, send: Send): void {
  if (result.retryAfterS) res.setHeader('retry-after', String(result.retryAfterS));
  if (result.status === 401) res.setHeader('www-authenticate', 'Bearer realm="MotorTwin"');
  send(res, result.status, { error: result.error });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>MotorTwin: ${title}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 26rem; margin: 4rem auto">
<h1>MotorTwin</h1>${body}
</body></html>`;

const field = 'style="display: block; margin: 0.5rem 0"';

/** The login form; after a refused attempt it keeps the user name typed, so only the password is asked again. */
const loginPage = (gate: AuthGate, message: string, username = '') =>
  page(
    'log in',
    `${
      gate.usesAccounts
        ? '<p>Log in with your MotorTwin account (an admin makes one with <code>motortwin users add</code>).</p>'
        : '<p>This MotorTwin asks for its API token (the <code>--api-token</code> it was started with).</p>'
    }
${message ? `<p role="alert" style="color: #b00020">${escapeHtml(message)}</p>` : ''}
<form method="post" action="/login">${
      gate.usesAccounts
        ? `<label ${field}>User name <input name="username" autocomplete="username" required value="${escapeHtml(username)}"${username ? '' : ' autofocus'}></label>
<label ${field}>Password <input type="password" name="password" autocomplete="current-password" required${username ? ' autofocus' : ''}></label>`
        : '<label>API token <input type="password" name="token" autocomplete="current-password" required autofocus></label>'
    } <button type="submit">Log in</button></form>`,
  );

const logoutPage = page('log out', `<form method="post" action="/logout"><p>End this browser's session?</p><button type="submit">Log out</button></form>`);

const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

const MAX_LOGIN_BODY = 4096;

/** The login's body, or null when longer than any login (each route answers that in its own form: a page or JSON). */
function readBody(req: IncomingMessage): Promise<string | null> {
  return readBodyText(req, MAX_LOGIN_BODY).catch((e: unknown) => {
    if (e instanceof DomainError && e.code === 'too_large') return null;
    throw e;
  });
}

/** A form's fields as a login: user name and password, or the token. */
function formAttempt(form: URLSearchParams): LoginAttempt {
  const token = form.get('token');
  if (token !== null) return { token };
  return { username: form.get('username') ?? '', password: form.get('password') ?? '' };
}

/** GET shows the form; POST checks it and sets the session cookie. */
export async function loginRoute(gate: AuthGate, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') {
    res.writeHead(200, HTML_HEADERS).end(loginPage(gate, ''));
    return;
  }
  const body = await readBody(req);
  if (body === null) return void res.writeHead(413, HTML_HEADERS).end(loginPage(gate, 'that was too long to be a login'));
  const attempt = formAttempt(new URLSearchParams(body));
  const result = await gate.login(req, attempt);
  if (result.ok) {
    res.writeHead(303, { location: '/', 'set-cookie': result.cookie, 'cache-control': 'no-store' }).end();
    return;
  }
  if (result.retryAfterS) res.setHeader('retry-after', String(result.retryAfterS));
  res.writeHead(result.status, HTML_HEADERS).end(loginPage(gate, result.error, 'username' in attempt ? attempt.username.slice(0, 64) : ''));
}

const loginBody = z.union([
  z.object({ username: z.string().min(1, 'username is required').max(64), password: z.string().min(1, 'password is required').max(1024) }).strict(),
  z.object({ token: z.string().min(1).max(1024) }).strict(),
]);

/** POST /api/login {"username","password"}: the session as a cookie (browsers) and a bearer token (scripts). */
export async function apiLoginRoute(gate: AuthGate, req: IncomingMessage, res: ServerResponse, send: Send): Promise<void> {
  if (req.method !== 'POST') return void methodNotAllowed(res, send, 'POST');
  const body = await readBody(req);
  if (body === null) return send(res, 413, { error: `a login is at most ${MAX_LOGIN_BODY} bytes` });
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return send(res, 400, { error: 'send {"username": "…", "password": "…"} as JSON' });
  }
  const attempt = loginBody.safeParse(json);
  if (!attempt.success) return send(res, 400, { error: `send {"username": "…", "password": "…"} as JSON: ${attempt.error.issues.map((i) => i.message).join('; ')}` });
  const result = await gate.login(req, attempt.data);
  if (!result.ok) return sendAuthFailure(res, result, send);
  res.setHeader('set-cookie', result.cookie);
  const s = (await gate.list(result.session)).find((x) => x.current);
  send(res, 200, { user: result.session.principal, token: result.secret, csrf: result.session.csrf, expiresAt: s?.expiresAt ?? null });
}

/** GET asks; POST ends this browser's session (its open sockets close too) and goes back to the login form. */
export async function logoutRoute(gate: AuthGate, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') {
    res.writeHead(200, HTML_HEADERS).end(logoutPage);
    return;
  }
  res.writeHead(303, { location: gate.required ? '/login' : '/', 'set-cookie': await gate.logout(req), 'cache-control': 'no-store' }).end();
}

/** /api/session, /api/logout and /api/sessions[/:id/revoke]; false for any other path. */
export async function sessionRoutes(gate: AuthGate, credential: Credential, req: IncomingMessage, path: string, res: ServerResponse, send: Send): Promise<boolean> {
  const current = credential.kind === 'open' ? null : credential.session;
  const admin = roleAllows(credential.principal.role, 'admin');
  if (path === '/api/session') {
    if (req.method !== 'GET') return methodNotAllowed(res, send, 'GET');
    send(res, 200, {
      required: gate.required,
      accounts: gate.usesAccounts,
      via: credential.kind,
      user: credential.principal,
      csrf: credential.kind === 'session' ? credential.session.csrf : null,
      session: current ? (await gate.list(current)).find((s) => s.current) : null,
    });
    return true;
  }
  if (path === '/api/logout') {
    if (req.method !== 'POST') return methodNotAllowed(res, send, 'POST');
    res.setHeader('set-cookie', await gate.logout(req));
    send(res, 200, { loggedOut: current !== null });
    return true;
  }
  if (path === '/api/sessions') {
    if (req.method !== 'GET') return methodNotAllowed(res, send, 'GET');
    send(res, 200, await gate.list(current, admin ? undefined : credential.principal.name));
    return true;
  }
  const revoke = /^\/api\/sessions\/([A-Za-z0-9_-]{1,64})\/revoke$/.exec(path);
  if (revoke) {
    if (req.method !== 'POST') return methodNotAllowed(res, send, 'POST');
    const target = await gate.find(revoke[1]);
    if (!target) send(res, 404, { error: `no session ${revoke[1]}` });
    else if (!admin && target.principal.name !== credential.principal.name) send(res, 403, { error: `ending another person's session needs the admin role; you are ${credential.principal.role}` });
    else send(res, 200, { revoked: (await gate.revoke(revoke[1])) && revoke[1] });
    return true;
  }
  return false;
}

function methodNotAllowed(res: ServerResponse, send: Send, allowed: string): true {
  res.setHeader('allow', allowed);
  send(res, 405, { error: `use ${allowed}` });
  return true;
}
