import { request } from 'node:https';
import WebSocket from 'ws';
import type { Channel } from '../../shared/rpc/envelope';

// The laptop's side of one plant server over HTTPS: JSON requests with its bearer session, and the engine
// contract over WSS. A certificate is always checked, against the system's CAs or the plant's own CA.

export interface PlantAddress {
  /** https://host[:port], no path. */
  url: string;
  /** The plant's CA certificate (PEM) when its server's certificate is not signed by a public CA. */
  caPem?: string;
}

export class PlantHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const TIMEOUT_MS = 30_000;

/** One JSON request; resolves with the status and body, rejects only when the server cannot be reached. */
export function plantRequest(at: PlantAddress, method: 'GET' | 'POST', path: string, opts: { token?: string | null; body?: unknown } = {}): Promise<{ status: number; body: unknown }> {
  const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, at.url),
      {
        method,
        ca: at.caPem,
        timeout: TIMEOUT_MS,
        headers: {
          accept: 'application/json',
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            // Not JSON (a proxy's error page): the text itself is the answer.
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', (e) => reject(new Error(unreachable(at.url, e))));
    req.end(payload);
  });
}

/** The server's own reason from an error body, else the HTTP status. */
export function reasonOf(r: { status: number; body: unknown }): string {
  const error = (r.body as { error?: unknown } | null)?.error;
  return typeof error === 'string' && error ? error : typeof r.body === 'string' && r.body ? r.body.slice(0, 200) : `HTTP ${r.status}`;
}

/** Why a server could not be reached, in words a person can act on. */
export function unreachable(url: string, e: Error & { code?: string }): string {
  const code = e.code ?? '';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return `${url}: its certificate is not trusted (${e.message}); if the plant uses its own certification authority, give its CA certificate`;
  }
  if (code === 'ECONNREFUSED') return `${url}: nothing answers there (connection refused)`;
  if (code === 'ENOTFOUND') return `${url}: no such host`;
  if (code === 'EPROTO' || /wrong version number|packet length too long/i.test(e.message)) return `${url}: the server does not speak HTTPS there`;
  return `${url}: ${e.message}`;
}

/** The engine contract of the plant server over WSS, carried as the browser carries it. */
export interface PlantContract extends Channel {
  /** Once, when the socket closes: its close code (4401: the session ended) and reason. */
  onEnded(listener: (code: number, reason: string) => void): void;
  close(): void;
}

export function openPlantContract(at: PlantAddress, token: string | null): Promise<PlantContract> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${at.url.replace(/^https:/, 'wss:').replace(/\/$/, '')}/ws`, {
      ca: at.caPem,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      handshakeTimeout: TIMEOUT_MS,
      maxPayload: 64 * 1024 * 1024,
    });
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let text = Buffer.concat(chunks).toString('utf8');
        try {
          text = String((JSON.parse(text) as { error?: unknown }).error ?? text);
        } catch {
          // Not JSON: the text is the reason.
        }
        reject(new PlantHttpError(res.statusCode ?? 0, `the plant server refused the connection: ${text || `HTTP ${res.statusCode}`}`));
      });
      ws.terminate();
    });
    ws.once('error', (e) => reject(new Error(unreachable(at.url, e as Error & { code?: string }))));
    ws.once('open', () =>
      resolve({
        send: (m) => {
          if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m));
        },
        onMessage: (listener) => {
          const h = (d: WebSocket.RawData) => {
            try {
              listener(JSON.parse(d.toString()));
            } catch {
              // A frame that is not JSON is dropped; the UI's client validates everything else.
            }
          };
          ws.on('message', h);
          return () => ws.off('message', h);
        },
        onClose: (listener) => {
          ws.on('close', listener);
          return () => ws.off('close', listener);
        },
        onEnded: (listener) => ws.once('close', (code: number, reason: Buffer) => listener(code, reason.toString())),
        close: () => ws.close(),
      }),
    );
  });
}
