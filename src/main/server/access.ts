import type { IncomingMessage } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { isLoopback } from '../broker/urls';

// Which requests the headless server answers at all, before any credential is looked at. Two attacks from the
// engineer's own browser are in view: DNS rebinding (a page on attacker.example whose name now points at
// 127.0.0.1 reads and commands as if it were ours: refused by the Host check) and cross-site requests from a
// page on another site or another local port (refused by the Origin and Fetch Metadata checks, and by the
// JSON body that a cross-origin page cannot send without a CORS preflight this server never grants).

export type AccessRefusal = { status: 400 | 403 | 415; error: string };

export interface HostRules {
  /** The address the server is bound to (127.0.0.1, 0.0.0.0, a LAN address…). */
  bindHost: string;
  /** The port it really listens on. */
  port: number;
  /** Further names it is reached by (`--public-host`), e.g. a DNS name or a reverse proxy's "name:port". */
  publicHosts: readonly string[];
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/** The host names (without port) that name this server on this machine. */
function ownNames(bindHost: string): Set<string> {
  const names = new Set([...LOOPBACK_NAMES, bare(bindHost)]);
  if (bindHost === '0.0.0.0' || bindHost === '::') {
    names.add(hostname().toLowerCase());
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.add(a.address.toLowerCase());
  } else if (!isLoopback(bindHost)) {
    // Bound to one outside address: loopback names do not reach it, only that address does.
    for (const n of LOOPBACK_NAMES) names.delete(n);
    names.add(bare(bindHost));
  }
  return names;
}

const bare = (host: string) => host.toLowerCase().replace(/^\[(.*)\]$/, '$1');

/** "name:port" or "[v6]:port" or "name" → [name, port or null]. */
function splitHost(value: string): [string, number | null] | null {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!m) return null;
  return [bare(m[1]), m[2] === undefined ? null : Number(m[2])];
}

export class HostCheck {
  private readonly names: Set<string>;
  private readonly publicHosts: Array<[string, number | null]>;

  constructor(private readonly rules: HostRules) {
    this.names = ownNames(rules.bindHost);
    this.publicHosts = rules.publicHosts.map((h) => {
      const split = splitHost(h);
      if (!split) throw new Error(`--public-host "${h}" is not a host name or "name:port"`);
      return split;
    });
  }

  /** True when a Host (or an Origin's host) names this server: one of its own names at its port, or a public host. */
  isOwnHost(value: string, defaultPort: number): boolean {
    const split = splitHost(value);
    if (!split) return false;
    const [name, port] = split;
    for (const [pub, pubPort] of this.publicHosts) if (pub === name && (pubPort === null || pubPort === (port ?? defaultPort))) return true;
    return this.names.has(name) && (port ?? defaultPort) === this.rules.port;
  }

  /** Every request, HTTP or WebSocket, passes here first. */
  check(req: IncomingMessage): AccessRefusal | null {
    const host = req.headers.host;
    if (!host) return { status: 400, error: 'the request has no Host header' };
    if (!this.isOwnHost(host, 80)) {
      return { status: 403, error: `this MotorTwin does not answer to the host "${host.slice(0, 100)}"; start it with --public-host NAME if that name is really its own` };
    }
    return this.checkOrigin(req);
  }

  /**
   * A browser says where a request comes from. A request from another site, or from another port of this
   * machine (the same "site" to a browser, so a cookie would go along), is refused whatever it asks.
   */
  private checkOrigin(req: IncomingMessage): AccessRefusal | null {
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    const mutating = isMutating(req) || isUpgrade(req);
    if (mutating && (site === 'cross-site' || site === 'same-site')) return { status: 403, error: `a request from another web page (${site}) may not change anything here` };
    if (origin === undefined || !mutating || sameHostOrigin(origin, req.headers.host)) return null;
    return { status: 403, error: `a page from ${origin.slice(0, 100)} may not change anything here` };
  }
}

/** "null" (a sandboxed or file page) and anything that is not http(s) on this very host:port is foreign. */
function sameHostOrigin(origin: string, host: string | undefined): boolean {
  try {
    const url = new URL(origin);
    return url.host === host && (url.protocol === 'http:' || url.protocol === 'https:');
  } catch {
    // Not a URL: a foreign origin, refused.
    return false;
  }
}

export function isMutating(req: IncomingMessage): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(req.method ?? 'GET');
}

function isUpgrade(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/** A body that changes state is JSON: a web page of another origin cannot send that without a preflight. */
export function requireJson(req: IncomingMessage): AccessRefusal | null {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') return null;
  return { status: 415, error: `send the body as JSON with "Content-Type: application/json"${type ? ` (not ${type.slice(0, 60)})` : ''}` };
}
