import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthFailure, AuthGate, Credential } from './auth';

// The browser's way in and out: /login (a form for the API token), /logout, and the session list a person
// checks and prunes (GET /api/session for the page's own session and CSRF token, GET /api/sessions, POST
// /api/sessions/:id/revoke).

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

const loginPage = (message: string) =>
  page(
    'log in',
    `<p>This MotorTwin asks for its API token (the <code>--api-token</code> it was started with).</p>
${message ? `<p role="alert" style="color: #b00020">${escapeHtml(message)}</p>` : ''}
<form method="post" action="/login"><label>API token <input type="password" name="token" autocomplete="current-password" required autofocus></label> <button type="submit">Log in</button></form>`,
  );

const logoutPage = page('log out', `<form method="post" action="/logout"><p>End this browser's session?</p><button type="submit">Log out</button></form>`);

const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

/** GET shows the form; POST checks the token and sets the session cookie. */
export async function loginRoute(gate: AuthGate, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') {
    res.writeHead(200, HTML_HEADERS).end(loginPage(''));
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
  res.writeHead(result.status, HTML_HEADERS).end(loginPage(result.error));
}

/** GET asks; POST ends this browser's session (its open sockets close too) and goes back to the login form. */
export function logoutRoute(gate: AuthGate, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'POST') {
    res.writeHead(200, HTML_HEADERS).end(logoutPage);
    return;
  }
  res.writeHead(303, { location: gate.required ? '/login' : '/', 'set-cookie': gate.logout(req), 'cache-control': 'no-store' }).end();
}

/** /api/session and /api/sessions[/:id/revoke]; false for any other path. */
export function sessionRoutes(gate: AuthGate, credential: Credential, req: IncomingMessage, path: string, res: ServerResponse, send: Send): boolean {
  const current = credential.kind === 'session' ? credential.session : undefined;
  if (path === '/api/session') {
    if (req.method !== 'GET') return methodNotAllowed(res, send, 'GET');
    send(res, 200, { required: gate.required, via: credential.kind, csrf: current?.csrf ?? null, session: current ? gate.list(current).find((s) => s.current) : null });
    return true;
  }
  if (path === '/api/sessions') {
    if (req.method !== 'GET') return methodNotAllowed(res, send, 'GET');
    send(res, 200, gate.list(current));
    return true;
  }
  const revoke = /^\/api\/sessions\/([A-Za-z0-9_-]{1,64})\/revoke$/.exec(path);
  if (revoke) {
    if (req.method !== 'POST') return methodNotAllowed(res, send, 'POST');
    if (!gate.revoke(revoke[1])) send(res, 404, { error: `no session ${revoke[1]}` });
    else send(res, 200, { revoked: revoke[1] });
    return true;
  }
  return false;
}

function methodNotAllowed(res: ServerResponse, send: Send, allowed: string): true {
  res.setHeader('allow', allowed);
  send(res, 405, { error: `use ${allowed}` });
  return true;
}
