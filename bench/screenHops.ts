import type { Page } from 'playwright-core';
import type { Engine } from '../src/main/engine';
import { percentile } from './figure';

// Where publish-to-screen time goes, hop by hop (MOTORTWIN_SCREEN_HOPS=1 npm run bench -- --quick --only=screen):
// the engine's telemetry event, the page's WebSocket, the card's text, and how long the page waited for each
// animation frame it asked for. Off by default: the page's extra listener costs it some CPU, so the gated
// figure is measured without it.

export const hopsWanted = () => process.env.MOTORTWIN_SCREEN_HOPS === '1';

/** The page's side, as a script run before the app: a string, so the bench's transpiler adds nothing to it. */
export const PAGE_HOPS_SCRIPT = `(() => {
  const arrived = {}; const frameWaits = [];
  window.__hops = { arrived, frameWaits };
  const Native = window.WebSocket;
  window.WebSocket = function (url, protocols) {
    const ws = new Native(url, protocols);
    ws.addEventListener('message', (e) => {
      const now = Date.now();
      const m = JSON.parse(String(e.data));
      if (m.kind === 'event' && m.name === 'telemetry')
        for (const p of m.data) if (typeof p.values.temperature === 'number') arrived[p.id + '|' + p.values.temperature.toFixed(1)] = now;
    });
    return ws;
  };
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3, prototype: Native.prototype });
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => {
    const asked = performance.now();
    return raf((ts) => { frameWaits.push(performance.now() - asked); cb(ts); });
  };
})();`;

/** When the engine's telemetry event carried each value. */
export function watchEngine(engine: Engine): Map<string, number> {
  const at = new Map<string, number>();
  engine.on('telemetry', (batch) => {
    const now = Date.now();
    for (const p of batch) if (typeof p.values.temperature === 'number') at.set(`${p.id}|${p.values.temperature.toFixed(1)}`, now);
  });
  return at;
}

const spread = (xs: number[]) => (xs.length ? `p50 ${Math.round(percentile(xs, 50))} ms, p95 ${Math.round(percentile(xs, 95))} ms (n ${xs.length})` : 'none');

function since(sentAt: Map<string, number>, at: Map<string, number>): number[] {
  const out: number[] = [];
  for (const [k, t] of sentAt) {
    const a = at.get(k);
    if (a !== undefined) out.push(a - t);
  }
  return out;
}

export async function reportHops(page: Page, sentAt: Map<string, number>, engineAt: Map<string, number>, shownAt: Map<string, number>): Promise<void> {
  const { arrived, frameWaits } = (await page.evaluate('window.__hops')) as { arrived: Record<string, number>; frameWaits: number[] };
  const pageAt = new Map(Object.entries(arrived));
  const notAtPage = [...sentAt.keys()].filter((k) => !pageAt.has(k)).length;
  const lines = [
    `publish -> engine telemetry event: ${spread(since(sentAt, engineAt))}`,
    `publish -> page WebSocket:         ${spread(since(sentAt, pageAt))}; values that never reached it: ${notAtPage}`,
    `publish -> card text:              ${spread(since(sentAt, shownAt))}`,
    `page: animation frame asked -> run: ${spread(frameWaits)}`,
  ];
  process.stderr.write(`screen hops:\n  ${lines.join('\n  ')}\n`);
}
