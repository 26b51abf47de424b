import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Engine } from '../engine';
import { serveChannel } from '../rpc/serveChannel';
import { handlers } from '../rpc/handlers';
import { wireError } from '../rpc/errors';
import { DomainError } from '../platform/domainError';
import { methods } from '../../shared/contract';
import type { Channel } from '../../shared/rpc/envelope';
import { exportsDir } from '../store/exporter';
import { reportsDir } from '../benchtest/reports';
import { fileIn, pipeFile, serveStatic } from './staticFiles';
import { commandRoutes } from './commandRoutes';
import { alarmsOf } from './alarmsRoute';
import { isLoopback } from '../broker/urls';
import type { SessionStore } from '../accounts/sessionStore';
import { AuthGate, csrfProof, type Credential, type Session } from './auth';
import { HostCheck, isMutating, requireJson } from './access';
import { apiLoginRoute, loginRoute, logoutRoute, sendAuthFailure, sessionRoutes } from './sessionRoutes';
import type { Accounts } from '../accounts/accounts';
import { roleAllows, type Role } from '../../shared/roles';
import type { Refusal } from '../rpc/callGuard';
import { securityLogOf, type SecurityLog } from './securityLog';
import { pushRoutes } from './pushRoutes';
import { PushStore } from '../plant/pushStore';
import { SocketOutbox, type DeliveryStats } from './socketOutbox';

export interface HttpServerOptions {
  host: string;
  port: number;
  /** Built renderer (index.html and assets). */
  uiDir: string | null;
  /** Bearer token: once set, every request needs a login; beyond loopback it or an account is required. */
  apiToken?: string | null;
  /** What the token may do (default admin). */
  apiTokenRole?: Role;
  /** People's accounts, from the store the engine uses; once one exists, every request needs a login. */
  accounts?: Accounts | null;
  /** Where login sessions are kept: the same store, so a restart or the standby of a pair keeps them. */
  sessions?: SessionStore | null;
  /** Where logins, failed logins and refused actions are told (default: the engine's log, part `security`). */
  securityLog?: SecurityLog;
  /** Names besides its own addresses that this server answers to (`--public-host`): a DNS name, a proxy's "name:port". */
  publicHosts?: string[];
  /** Wrong tokens allowed per client address and minute (default 5). */
  maxAuthFailures?: number;
  /** Browser sessions end after this long idle, and at this age (defaults 8 h and 24 h). */
  sessionIdleMs?: number;
  sessionMaxMs?: number;
  /** PEM certificate and key: the UI, the API and the WebSocket over HTTPS and WSS (a plant server). */
  tls?: { cert: string; key: string } | null;
}

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
  /** Each open WebSocket's event delivery: what ws buffers for it and what waits for a slow reader. */
  deliveries(): DeliveryStats[];
  close(): Promise<void>;
}

const MAX_WS_MESSAGE = 1024 * 1024;

/**
 * The headless shell: the UI and the contract over a WebSocket (/ws), plus plain HTTP for scripts.
 * Binds to loopback unless told otherwise.
 */
export async function startHttpServer(engine: Engine, opts: HttpServerOptions): Promise<RunningServer> {
  const log = opts.securityLog ?? securityLogOf(engine.log.child({ part: 'security' }));
  const serverLog = engine.log.child({ part: 'server' });
  const gate = await AuthGate.create({
    token: opts.apiToken ?? null,
    tokenRole: opts.apiTokenRole,
    accounts: opts.accounts ?? null,
    sessions: opts.sessions ?? null,
    log,
    exposed: !isLoopback(opts.host),
    maxFailures: opts.maxAuthFailures,
    sessionIdleMs: opts.sessionIdleMs,
    sessionMaxMs: opts.sessionMaxMs,
  });
  // The port is known once listening (0 picks one); a bad --public-host is refused before that.
  let hosts = new HostCheck({ bindHost: opts.host, port: opts.port, publicHosts: opts.publicHosts ?? [] });
  // A pushed motor is history from elsewhere, like an imported one: listed, with no live source of its own here.
  const pushStore = new PushStore(engine.db, engine.historian, engine.writer, { ensure: (id) => engine.twins.ensure(id, 'import') });
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    route(engine, opts, gate, hosts, log, pushStore, req, res).catch((e) => {
      const where = { method: req.method, path: req.url?.split('?')[0] };
      // A file already streaming cannot take an error answer any more: cut it short, so the client sees it is incomplete.
      if (res.headersSent) {
        serverLog.warn({ err: e, ...where }, 'answer cut short');
        return void res.destroy();
      }
      // A path segment that is not valid percent-encoding is the request's fault, not ours.
      if (e instanceof URIError) return sendJson(res, 400, { error: `path: ${e.message} (bad percent-encoding)` });
      const err = wireError(e);
      // The client hears every error; the log keeps ours (not what the request got wrong).
      if (err.code === 'internal') serverLog.error({ err: e, ...where }, 'request failed');
      sendJson(res, err.status, { error: err.message });
    });
  };
  // An https.Server is an http.Server in all the ways used here (requests, upgrades, closing).
  const server: Server = opts.tls ? (createTlsServer({ cert: opts.tls.cert, key: opts.tls.key }, handle) as unknown as Server) : createServer(handle);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE });
  const socketsBySession = new Map<string, Set<WebSocket>>();
  const outboxes = new Set<SocketOutbox>();
  gate.onSessionEnded((id) => {
    for (const ws of socketsBySession.get(id) ?? []) ws.close(4401, 'session ended: log in again');
    socketsBySession.delete(id);
  });
  server.on('upgrade', (req, socket, head) => void upgrade(req, socket, head));
  const upgrade = async (req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => {
    // A client that resets mid-handshake is its own problem; without a listener it would end the process.
    socket.on('error', () => socket.destroy());
    const url = requestUrl(req);
    const refuse = (status: number, reason: string, error: string) => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n${JSON.stringify({ error })}`);
    };
    if (!url) return refuse(400, 'Bad Request', 'not a valid request target');
    if (url.pathname !== '/ws') return refuse(404, 'Not Found', 'the contract is served at /ws');
    const access = hosts.check(req);
    if (access) return refuse(access.status, 'Forbidden', access.error);
    const auth = await gate.check(req);
    if (!auth.ok) return refuse(auth.status, auth.status === 429 ? 'Too Many Requests' : 'Unauthorized', auth.error);
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Oversized, unmasked or non-UTF-8 frames: ws closes that socket (1009, 1002, 1007) and says so here.
      // One client's bad frame is never the server's end.
      ws.on('error', () => ws.terminate());
      const session = auth.kind === 'open' ? null : auth.session;
      if (session) track(socketsBySession, session, ws);
      // The session's principal, not a copy: a role changed on the account applies to this socket too.
      const outbox = new SocketOutbox(ws);
      outboxes.add(outbox);
      ws.once('close', () => outboxes.delete(outbox));
      serveChannel(engine, webSocketChannel(ws, outbox), { principal: auth.principal, onRefused: refusalLogger(log, auth) });
    });
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new Error(`port ${opts.port} on ${opts.host} is already in use: choose another with --port`) : e),
    );
    server.listen(opts.port, opts.host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  hosts = new HostCheck({ bindHost: opts.host, port, publicHosts: opts.publicHosts ?? [] });
  const sweep = setInterval(() => {
    // A store that is briefly away (PostgreSQL restarting) leaves sessions as they were until the next round.
    gate.sweep().catch((e: Error) => serverLog.warn({ err: e }, 'sessions not swept: the store did not answer'));
    gate.refreshAccounts().catch((e: Error) => serverLog.warn({ err: e }, 'accounts not re-read: the store did not answer'));
  }, 60_000).unref();
  const shownHost = opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host;
  return {
    server,
    port,
    deliveries: () => [...outboxes].map((o) => o.stats()),
    url: `${opts.tls ? 'https' : 'http'}://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweep);
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => void pushStore.close().then(resolve, resolve));
      }),
  };
}

function track(bySession: Map<string, Set<WebSocket>>, session: Session, ws: WebSocket): void {
  const set = bySession.get(session.id) ?? new Set<WebSocket>();
  set.add(ws);
  bySession.set(session.id, set);
  ws.once('close', () => set.delete(ws));
}

const round1 = (v: number) => Math.round(v * 10) / 10;

function webSocketChannel(ws: WebSocket, outbox: SocketOutbox): Channel {
  return {
    send: (m) => outbox.send(m),
    onMessage: (listener) => {
      const h = (data: Buffer, isBinary: boolean) => {
        if (isBinary) return listener({ invalid: 'binary frame' });
        let msg: unknown;
        try {
          msg = JSON.parse(data.toString('utf8'));
        } catch {
          // Answered as an invalid message by the channel, like any other bad frame.
          msg = { invalid: 'not JSON' };
        }
        listener(msg);
      };
      ws.on('message', h);
      return () => ws.off('message', h);
    },
    onClose: (listener) => {
      ws.on('close', listener);
      return () => ws.off('close', listener);
    },
  };
}

/** The request target as a URL; null when it cannot be one (e.g. "//["), which a client may well send. */
function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://x');
  } catch {
    return null;
  }
}

function refusalLogger(log: SecurityLog, auth: Credential): (r: Refusal) => void {
  return (r) => log({ event: 'forbidden', user: r.principal.name, role: r.principal.role, reason: `${r.method}: ${r.reason}`, address: auth.kind === 'open' ? undefined : (auth.session?.address ?? undefined) });
}

async function route(engine: Engine, opts: HttpServerOptions, gate: AuthGate, hosts: HostCheck, log: SecurityLog, pushStore: PushStore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = requestUrl(req);
  if (!url) return sendJson(res, 400, { error: `request target "${String(req.url).slice(0, 80)}" is not a valid path` });
  // One policy for every entrance, in this order: the right host and origin, a credential, and for a change
  // a JSON body with a credential another page cannot borrow.
  const access = hosts.check(req);
  if (access) return sendJson(res, access.status, { error: access.error });
  const path = url.pathname;
  if (path === '/login') return gate.required ? loginRoute(gate, req, res) : void res.writeHead(303, { location: '/' }).end();
  if (path === '/api/login') {
    if (isMutating(req)) {
      const refusal = requireJson(req);
      if (refusal) return sendJson(res, refusal.status, { error: refusal.error });
    }
    return apiLoginRoute(gate, req, res, sendJson);
  }
  const auth = await gate.check(req);
  if (!auth.ok) {
    // Open to all, for load balancers and scripts: whether the server answers and stores, nothing more. A
    // credential that is given must still be right (a script learns its token is wrong).
    if (path === '/api/health' && req.headers.authorization === undefined) return sendJson(res, 200, { status: healthStatus(engine), login: 'required' });
    // A browser opening the UI is sent to the login form; scripts get the reason as JSON.
    if (!path.startsWith('/api/') && auth.status === 401 && (req.method === 'GET' || req.method === 'HEAD')) return void res.writeHead(303, { location: '/login' }).end();
    return sendAuthFailure(res, auth, sendJson);
  }
  if (path === '/logout') return logoutRoute(gate, req, res);
  if (isMutating(req)) {
    const refusal = requireJson(req) ?? csrfRefusal(req, auth);
    if (refusal) return sendJson(res, refusal.status, { error: refusal.error });
  }
  if (path.startsWith('/api/')) {
    if (await sessionRoutes(gate, auth, req, path, res, sendJson)) return;
    if (await commandRoutes(engine, { principal: auth.principal, onRefused: refusalLogger(log, auth) }, req, path, url.searchParams, res, sendJson)) return;
    if (path.startsWith('/api/push/') && !roleAllows(auth.principal.role, 'technician')) {
      const reason = `pushing to the plant server needs the technician role; you are ${auth.principal.role}`;
      log({ event: 'forbidden', user: auth.principal.name, role: auth.principal.role, reason: `${path}: ${reason}` });
      throw new DomainError('forbidden', reason);
    }
    if (await pushRoutes(pushStore, req, path, res, sendJson)) return;
    if (req.method !== 'GET') return sendJson(res, 405, { error: `${req.method} is not allowed on ${path}` });
    return api(engine, path, url.searchParams, res);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' });
  if (opts.uiDir && serveStatic(opts.uiDir, path === '/' ? '/index.html' : path, res)) return;
  if (opts.uiDir && serveStatic(opts.uiDir, '/index.html', res)) return;
  res.writeHead(404, { 'content-type': 'text/plain' }).end('MotorTwin UI is not built: run `npm run build:web`');
}

function csrfRefusal(req: IncomingMessage, auth: Parameters<typeof csrfProof>[1]): { status: 403; error: string } | null {
  const error = csrfProof(req, auth);
  return error ? { status: 403, error } : null;
}

async function api(engine: Engine, path: string, q: URLSearchParams, res: ServerResponse): Promise<void> {
  if (path === '/api/health') {
    const s = engine.status();
    const m = process.memoryUsage();
    // DuckDB's own accounting: its buffer cache is most of what the process holds beyond the JS heap.
    const duck = await engine.db.query('SELECT coalesce(sum(memory_usage_bytes), 0)::DOUBLE AS b FROM duckdb_memory()').catch(() => [{ b: NaN }]);
    const memory = { rss_mb: round1(m.rss / 2 ** 20), heap_used_mb: round1(m.heapUsed / 2 ** 20), external_mb: round1(m.external / 2 ** 20), duckdb_mb: round1(Number(duck[0].b) / 2 ** 20) };
    // With several instances on one store: which one ingests (instance names only), and whether it is this one.
    const lease = engine.lease?.status();
    const ingestLease = lease ? { role: lease.role, instance: lease.instance, holder: lease.holder, since: lease.since === null ? null : new Date(lease.since).toISOString(), store_reachable: lease.error === null } : null;
    return sendJson(res, 200, { status: healthStatus(engine), version: s.version, uptime_s: s.uptimeS, broker: s.broker, brokers: s.brokers, ingest: s.ingest, ingest_lease: ingestLease, storage: s.storage, twins: s.twins, memory });
  }
  if (path === '/api/twins') {
    return sendJson(
      res,
      200,
      engine.twins.all().map((t) => {
        const s = engine.twins.snapshot(t);
        return {
          id: s.id,
          name: s.name,
          source: s.source,
          connection: s.connection,
          status: s.status,
          status_reasons: s.statusReasons,
          last_seen: s.lastSeen,
          readings: s.readings,
          nameplate: s.nameplate,
          counts: s.counts,
        };
      }),
    );
  }
  if (path === '/api/alarms') return sendJson(res, 200, await alarmsOf(engine, q));
  if (path === '/api/export') {
    for (const key of ['from', 'to']) {
      const given = q.get(key);
      if (given !== null && toMs(given) === undefined) throw new DomainError('invalid', `${key}: "${given.slice(0, 40)}" is not a time: give ISO 8601 (2026-11-27T10:00:00Z) or milliseconds since 1970`);
    }
    const params = methods['history.export'].params.safeParse({
      id: q.get('device') ?? q.get('id'),
      from: toMs(q.get('from')),
      to: toMs(q.get('to')),
      format: q.get('format') ?? 'csv',
    });
    if (!params.success) throw new DomainError('invalid', params.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
    const result = await handlers['history.export'](engine, params.data);
    return sendFile(res, result.file);
  }
  const exp = /^\/api\/exports\/([^/]+)$/.exec(path);
  if (exp) {
    const name = decodeURIComponent(exp[1]);
    const file = fileIn(exportsDir(engine.config.dataDir), name);
    if (!file) throw new DomainError('not_found', `no export "${name}"`);
    return sendFile(res, file);
  }
  const report = /^\/api\/reports\/([^/]+\.(html|pdf))$/.exec(path);
  if (report) {
    // Bench test reports open in the browser (inline), not as a download.
    const file = fileIn(reportsDir(engine.config.dataDir), decodeURIComponent(report[1]));
    if (!file) throw new DomainError('not_found', `no report "${report[1]}"`);
    res.writeHead(200, { 'content-type': report[2] === 'pdf' ? 'application/pdf' : 'text/html; charset=utf-8', 'content-length': statSync(file).size });
    return pipeFile(file, res);
  }
  throw new DomainError('not_found', `no such endpoint ${path}`);
}

/** Still 200 either way: the engine answers and keeps ingesting; "degraded" tells a monitor history is not being saved, or a crash cost stored data. */
function healthStatus(engine: Engine): 'ok' | 'degraded' {
  const s = engine.status();
  return s.ingest.storageError || s.storage.warnings.length ? 'degraded' : 'ok';
}

function toMs(v: string | null): number | undefined {
  if (v === null) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

function sendFile(res: ServerResponse, file: string): void {
  res.writeHead(200, {
    'content-type': file.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/octet-stream',
    'content-length': statSync(file).size,
    'content-disposition': `attachment; filename="${basename(file)}"`,
  });
  pipeFile(file, res);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

