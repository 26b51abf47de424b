import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, servePage, type ServedPage } from '../support/browser';

// An engineer's view of a motor with a failing bearing, in Chromium against `serve --sim-fault bearing_outer`:
// the header counts the unacknowledged alarm, the motor page shows the health gauge with what pulls it down,
// the spectrum and envelope with their marker lines and the diagnosis; the alarm is acknowledged with a comment.

describe('motor health in the UI', () => {
  let served: ServedPage;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    served = await servePage('/#/motor/motor_01', { args: ['--sim-fault', 'bearing_outer'] });
    ({ page, errors } = served);
  });

  afterAll(async () => {
    await served?.close();
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
