import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, servePage, type ServedPage } from '../support/browser';
import { connectWs } from '../support/wsClient';

// The anomaly baseline on the motor page, in Chromium against `serve` and its simulated motor_01: learning
// with how much of the 24 h window of running is done, the ISO 20816 zone with ALERT and TRIP beside it, and,
// once a short window (set on the nameplate) is complete, ALERT set from the learned baseline.

describe('anomaly baseline on the motor page', () => {
  let served: ServedPage;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    served = await servePage('/#/motor/motor_01');
    ({ page, errors } = served);
  });

  afterAll(async () => {
    await served?.close();
  });

  it('says how much of the 24 h of running it has learned, and gives the ISO zone with ALERT and TRIP', async () => {
    const note = page.getByTestId('anomaly-note');
    await expect.poll(() => note.innerText().catch(() => ''), { timeout: 30_000 }).toMatch(/^Anomaly detection: learning: \d+ (s|min) of 24 h of running$/);
    const iso = page.getByTestId('iso-levels');
    await expect.poll(() => iso.innerText().catch(() => ''), { timeout: 15_000 }).toMatch(/^ISO zone A \(0\.\d\d mm\/s\) · ALERT 2\.80 mm\/s · TRIP 5\.63 mm\/s \(no baseline yet: ALERT at the B\/C boundary\)$/);
    await page.getByTestId('health-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'baseline-learning.png') });
  });

  it('after a 36 s window (nameplate), scores against the learned state and sets ALERT from the baseline', async () => {
    const { client, close } = await connectWs(served.url);
    try {
      await client.call('twins.update', { id: 'motor_01', nameplate: { baselineHours: 0.01 } });
    } finally {
      close();
    }
    await expect.poll(() => page.getByTestId('anomaly-note').innerText(), { timeout: 60_000 }).toMatch(/^Anomaly detection: scoring against its "rated speed" baseline \(score \d+\.\d \/ \d+\.\d\)/);
    const alert = await page.getByTestId('iso-alert').innerText();
    const baseline = Number(/baseline (\d\.\d\d) mm\/s, zone A/.exec(await page.getByTestId('iso-levels').innerText())?.[1]);
    expect(baseline).toBeGreaterThan(0.3);
    expect(alert).toBe(`ALERT ${(baseline + 0.7).toFixed(2)} mm/s`);
    await page.screenshot({ path: join(ARTIFACTS, 'baseline-scoring.png') });
    expect(errors).toEqual([]);
  });
});
