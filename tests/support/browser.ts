import { chromium, type Browser, type Page } from 'playwright-core';
import { requireTool } from './tools';

/** Debian's Chromium, headless, with software WebGL (for the 3D view) and no traffic beyond loopback. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = requireTool('chromium', 'chromium');
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
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
