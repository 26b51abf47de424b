import { resolve } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { build } from 'vite';
import { launchChromium } from '../tests/support/browser';
import { startServe } from '../tests/support/cli';
import { connectWs } from '../tests/support/wsClient';
import { stopProcess, tempDir, waitFor } from '../tests/support/tools';
import { round, type Figure } from './figure';

const ROOT = resolve(import.meta.dirname, '..');
const MOTORS = 10;
const RATE_HZ = 10;
const SETTLE_MS = 5000;
const WINDOW_MS = 20_000;

/** Main-thread task time the page's renderer spent over `ms`, as a share of one core (CDP Performance.TaskDuration). */
async function rendererShare(page: Page, cdp: CDPSession, ms: number): Promise<number> {
  const taskSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN;
  const t0 = performance.now();
  const before = await taskSeconds();
  await page.waitForTimeout(ms);
  const after = await taskSeconds();
  return (100 * (after - before)) / ((performance.now() - t0) / 1000);
}

/**
 * The browser renderer's CPU on the fleet page: `motortwin serve` with 10 simulated motors at 10 Hz (added
 * through the API, as "Add simulated motor" does), the UI in headless Chromium, settled, then the renderer's
 * main-thread task time over 20 s as a share of one core.
 * Baseline: the same renderer on a blank page over the same time (Chromium's own floor).
 */
export async function benchRendererCpu(opts: { quick: boolean }): Promise<Figure[]> {
  // Start-up, settling and a 20 s window take most of a minute: the full bench only.
  if (opts.quick) return [];
  // Built here, so serve finds the UI current and starts at once (a build on a loaded machine outlasts its start-up wait).
  await build({ configFile: resolve(ROOT, 'vite.web.config.ts'), logLevel: 'silent' });
  const serve = await startServe(['--no-sim', '--data-dir', tempDir('bench-renderer-cpu-')]);
  const browser = await launchChromium();
  try {
    const { client, close } = await connectWs(serve.url);
    try {
      for (let i = 1; i <= MOTORS; i++) await client.call('sim.add', { id: `motor_${String(i).padStart(2, '0')}`, rateHz: RATE_HZ });
    } finally {
      close();
    }
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const blank = await rendererShare(page, cdp, WINDOW_MS / 4);
    // A loaded machine can take long to serve the first page: the figure is measured after it, not during.
    await page.goto(serve.url, { timeout: 120_000 });
    await waitFor('ten motor cards', async () => (await page.locator('a.twin-card').count()) >= MOTORS, 60_000);
    await page.waitForTimeout(SETTLE_MS);
    const fleet = await rendererShare(page, cdp, WINDOW_MS);
    return [
      {
        name: `renderer_cpu_fleet_${MOTORS}_motors_${RATE_HZ}hz`,
        value: round(fleet, 1),
        unit: '% of a core',
        baseline: round(blank, 2),
        baselineName: `the same renderer on a blank page (% of a core); main-thread task time over ${WINDOW_MS / 1000} s, CDP Performance.getMetrics`,
        ratio: null,
        goal: 'reported (laptop: under 10 % of a core)',
        pass: true,
      },
    ];
  } finally {
    await browser.close();
    await stopProcess(serve.child, 'SIGINT');
  }
}
