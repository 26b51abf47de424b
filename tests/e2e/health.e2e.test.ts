import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SimulatedMotor } from '../../src/main/sim/simulatedMotor';
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
    await expect.poll(() => page.getByTestId('sub-score-bearing').innerText()).toMatch(/early-stage outer-race defect: bearing tones in the envelope, overall vibration still zone A/);
    // One story: the gauge, its verdict and the status badge all say "watch".
    expect(await page.getByTestId('health-verdict').getAttribute('data-level')).toBe('watch');
    expect(Number(await page.getByTestId('health-index').textContent())).toBeGreaterThanOrEqual(50);
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

  it('draws the projected band on the trend of a growing fault, and says "no upward trend" for a steady motor', async () => {
    // Two boards at four times real time: each declares 4 x 120 plant seconds per second, so 45 s of history
    // is enough for a fit and the outer-race fault grows towards the limit within about two minutes.
    const boards = (['bearing_outer', null] as const).map((fault, i) => new SimulatedMotor({ id: ['motor_02', 'motor_04'][i], brokerUrl: `mqtt://127.0.0.1:${served.mqttPort}`, fault, rateHz: 5, waveformEveryS: 5, speedup: 4 }));
    for (const b of boards) await b.start();
    const chart = page.getByTestId('trend-chart-vibration');
    /** The note below the trends until `want` holds: the page asks again on opening the motor, else every 30 s. */
    const noteOf = async (id: string, want: RegExp, timeout: number) => {
      await page.goto(`${served.url}/#/motor/${id}`);
      await expect
        .poll(async () => {
          const text = await page.getByTestId('rul-note-vibration').innerText({ timeout: 5000 }).catch(() => '');
          // No note yet (the page may have opened before the motor's first reading) or another one: ask again.
          if (!want.test(text)) {
            await page.goto(`${served.url}/#/`);
            await page.goto(`${served.url}/#/motor/${id}`);
          }
          return text;
        }, { timeout, interval: 10_000 })
        .toMatch(want);
    };
    try {
      await noteOf('motor_04', /^Vibration \(RMS accel\.\): Remaining life: no upward trend/, 90_000);
      expect(await chart.getAttribute('data-projection')).toBe('no_trend');
      expect(await chart.locator('.uplot').getAttribute('data-projection-drawn')).not.toMatch(/band/);
      await chart.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, 'trend-no-upward-trend.png') });

      await noteOf('motor_02', /Reaches 0\.05 \(the mechanical-fault rule\) in about [\d.]+ (s|min) \(between/, 150_000);
      expect(await chart.getAttribute('data-projection')).toBe('estimate');
      await expect.poll(() => chart.locator('.uplot').getAttribute('data-projection-drawn')).toMatch(/trend band|band/);
      expect(await page.getByTestId('rul-note-vibration').innerText()).not.toMatch(/\d{7,}|e\+/);
      await chart.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, 'trend-projected-band.png') });
    } finally {
      for (const b of boards) await b.stop();
    }
    expect(errors).toEqual([]);
  }, 300_000);
});
