import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT, startServe } from './cli';
import { requireTool, stopProcess, tempDir } from './tools';

/** Debian's Chromium, headless, with software WebGL for the 3D view (unless `webgl: false`) and no traffic beyond loopback. */
export async function launchChromium(opts: { webgl?: boolean } = {}): Promise<Browser> {
  const executablePath = requireTool('chromium', 'chromium');
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      ...((opts.webgl ?? true) ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'] : ['--disable-gpu']),
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      '--no-first-run',
      '--no-default-browser-check',
    ],
  });
}

/** A page at a laptop's size that fails the test on any console error or uncaught exception. */
export async function openPage(browser: Browser, url: string, size = { width: 1366, height: 768 }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: size });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  // The status bar shows the broker once the page has its engine connection; a click before that goes nowhere.
  await page.getByTestId('status-broker').waitFor({ timeout: 30_000 });
  return { page, errors };
}

export const ARTIFACTS = join(ROOT, 'test-artifacts');

export interface ServedPage {
  url: string;
  mqttPort: number;
  browser: Browser;
  page: Page;
  /** Console errors and uncaught exceptions of the page. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * What every browser test starts from: `motortwin serve` on ports the OS picks with a fresh data folder,
 * Chromium, and a page at `path` that has its engine connection. `beforeOpen` runs once serve is up (a
 * board that must have published before the page opens).
 */
export async function servePage(path: string, opts: { args?: string[]; size?: { width: number; height: number }; beforeOpen?(s: { url: string; mqttPort: number }): void | Promise<void> } = {}): Promise<ServedPage> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const serve = await startServe(['--data-dir', tempDir(), ...(opts.args ?? [])]);
  await opts.beforeOpen?.(serve);
  const browser = await launchChromium();
  const { page, errors } = await openPage(browser, `${serve.url}${path}`, opts.size);
  return {
    url: serve.url,
    mqttPort: serve.mqttPort,
    browser,
    page,
    errors,
    async close() {
      await browser.close();
      await stopProcess(serve.child, 'SIGINT');
    },
  };
}
