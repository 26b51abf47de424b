// Looks at a running `serve` the way a user would: `node bin/run-ts.js scripts/screenshot.ts URL OUT.png [WIDTHxHEIGHT]`.
import { launchChromium, openPage } from '../tests/support/browser';

const [url, out, size] = process.argv.slice(2);
const [width, height] = (size ?? '1366x768').split('x').map(Number);
const browser = await launchChromium();
try {
  const { page, errors } = await openPage(browser, url, { width, height });
  await page.waitForTimeout(Number(process.env.WAIT_MS ?? 3000));
  await page.screenshot({ path: out, fullPage: process.env.FULL === '1' });
  for (const e of errors) process.stderr.write(`${e}\n`);
} finally {
  await browser.close();
}
