import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT, startCli } from '../support/cli';
import { launchChromium, openPage } from '../support/browser';
import { freePort, stopProcess, tempDir } from '../support/tools';

// An engineer's view of a motor with a failing bearing, in Chromium against `serve --sim-fault bearing_outer`:
// the header counts the unacknowledged alarm, the motor page shows the health gauge with what pulls it down,
// the spectrum and envelope with their marker lines and the diagnosis; the alarm is acknowledged with a comment.
const ARTIFACTS = join(ROOT, 'test-artifacts');

describe('motor health in the UI', () => {
  let serve: ChildProcess;
  let url: string;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const args = ['serve', '--port', String(await freePort()), '--mqtt-port', String(await freePort()), '--data-dir', tempDir(), '--sim-fault', 'bearing_outer'];
    const started = await startCli(args, /is running: (http\S+)/);
    serve = started.child;
    url = /is running: (http\S+)/.exec(started.output())![1];
    browser = await launchChromium();
    ({ page, errors } = await openPage(browser, `${url}/#/motor/motor_01`));
  });

  afterAll(async () => {
    await browser?.close();
    if (serve) await stopProcess(serve, 'SIGINT');
  });

  it('diagnoses the outer race from the simulated waveform, with spectrum, envelope and waterfall', async () => {
    await expect.poll(() => page.getByTestId('diagnosis-fault').innerText().catch(() => ''), { timeout: 40_000 }).toBe('Outer-race bearing defect');
    expect(await page.getByTestId('diagnosis').innerText()).toMatch(/BPFO 88\.\d Hz/);
    await expect.poll(() => page.locator('[data-testid="spectrum-plot"] canvas').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid="envelope-plot"] canvas').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('waterfall').innerText()).toMatch(/\d+ spectra/);
    await page.getByTestId('vibration-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'motor-vibration.png') });
  });

  it('shows the health gauge and, on click, the sub-scores that pull it down and why', async () => {
    await page.getByTestId('health-panel').scrollIntoViewIfNeeded();
    await expect.poll(async () => Number(await page.getByTestId('health-index').textContent()), { timeout: 15_000 }).toBeLessThan(80);
    await page.getByTestId('health-gauge').click();
    await expect.poll(() => page.getByTestId('sub-score-bearing').innerText()).toMatch(/outer race fault/);
    expect(await page.getByTestId('health-pulled-down').innerText()).toMatch(/bearing/);
    await page.screenshot({ path: join(ARTIFACTS, 'motor-health.png') });
  });

  it('counts the unacknowledged alarm in the header and takes an acknowledgement with a comment', async () => {
    await expect.poll(async () => Number(await page.getByTestId('alarm-badge-count').innerText()), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    await page.getByTestId('alarm-badge').click();
    await page.getByTestId('alarms-page').waitFor();
    const row = page.getByTestId('alarm-row').filter({ hasText: 'VIBRATION_DIAGNOSIS' });
    await expect.poll(() => row.count()).toBe(1);
    const id = await row.getAttribute('data-alarm-id');
    const before = Number(await page.getByTestId('alarm-badge-count').innerText());
    await page.getByTestId(`ack-comment-${id}`).fill('bearing ordered, change on Friday');
    await page.getByTestId(`ack-${id}`).click();
    await expect.poll(() => row.getByTestId('alarm-state').innerText()).toMatch(/Active, acknowledged/);
    expect(await row.innerText()).toMatch(/Ack: “bearing ordered, change on Friday”/);
    await expect.poll(async () => Number(await page.getByTestId('alarm-badge-count').innerText())).toBe(before - 1);
    await page.screenshot({ path: join(ARTIFACTS, 'alarms.png') });

    await page.getByTestId('alarm-filter-severity').selectOption('critical');
    await expect.poll(() => page.getByTestId('alarm-row').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
