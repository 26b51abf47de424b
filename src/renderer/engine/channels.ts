import type { Channel } from '../../shared/rpc/envelope';
import { desktopBridge } from '../desktop';

// The two carriers of the one contract: the MessagePort the desktop shell hands over, and a WebSocket to
// `serve`. Each resolves once it can carry messages; `onClose` tells the provider to reconnect.

export type ChannelOpener = () => Promise<Channel>;

export const openEngineChannel: ChannelOpener = () => (desktopBridge() ? openMessagePort() : openWebSocket(webSocketUrl()));

function webSocketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/ws`;
}

/** A server that asks for its token refused this page (never logged in, logged out, expired): to its login form. */
const SESSION_ENDED = 4401;
const toLogin = () => window.location.assign('/login');

export function openWebSocket(url: string): Promise<Channel> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.addEventListener(
      'error',
      () => {
        reject(new Error(`cannot reach the engine at ${url}`));
        // A browser does not show why an upgrade failed; the session endpoint does.
        void fetch('/api/session', { credentials: 'same-origin' })
          .then((r) => (r.status === 401 ? toLogin() : undefined))
          // The server itself is down: the provider's retries already say so.
          .catch(() => undefined);
      },
      { once: true },
    );
    ws.addEventListener('close', (e) => (e.code === SESSION_ENDED ? toLogin() : undefined));
    ws.addEventListener(
      'open',
      () =>
        resolve({
          send: (m) => {
            if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m));
          },
          onMessage: (listener) => {
            const h = (e: MessageEvent) => {
              try {
                listener(JSON.parse(String(e.data)));
              } catch {
                console.warn('engine sent a message that is not JSON');
              }
            };
            ws.addEventListener('message', h);
            return () => ws.removeEventListener('message', h);
          },
          onClose: (listener) => {
            ws.addEventListener('close', listener);
            return () => ws.removeEventListener('close', listener);
          },
        }),
      { once: true },
    );
  });
}

/** The preload forwards the engine's port with window.postMessage; only a message from this window counts. */
function openMessagePort(): Promise<Channel> {
  return new Promise((resolve) => {
    const onPort = (e: MessageEvent) => {
      if (e.source !== window || e.data !== 'motortwin:engine-port' || !e.ports[0]) return;
      window.removeEventListener('message', onPort);
      const port = e.ports[0];
      port.start();
      resolve({
        send: (m) => port.postMessage(m),
        onMessage: (listener) => {
          const h = (ev: MessageEvent) => listener(ev.data);
          port.addEventListener('message', h);
          return () => port.removeEventListener('message', h);
        },
      });
    };
    window.addEventListener('message', onPort);
  });
}
