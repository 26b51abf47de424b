import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, servePage, type ServedPage } from '../support/browser';
import { requireTool } from '../support/tools';

// A new user's first minutes, in Debian's Chromium against `motortwin serve`: motor_01 is live, a board
// publishing the original design's payload with mosquitto_pub appears, a malformed message is shown with
// its reason, trends read from the rollups, the nameplate saves, exports download.

describe('the UI against serve, in Chromium', () => {
  let served: ServedPage;
  let url: string;
  let mqttPort: number;
  let page: Page;
  let errors: string[];
  const mosquittoPub = requireTool('mosquitto_pub', 'mosquitto-clients');

  const publish = (topic: string, payload: string) =>
    execFileSync(mosquittoPub, ['-h', '127.0.0.1', '-p', String(mqttPort), '-q', '1', '-t', topic, '-m', payload]);

  beforeAll(async () => {
    served = await servePage('');
    ({ url, page, errors, mqttPort } = served);
  });

  afterAll(async () => {
    await served?.close();
  });

  it('shows motor_01 live within seconds, with no configuration', async () => {
    const temperature = page.getByTestId('reading-motor_01-temperature');
    await expect.poll(async () => Number.parseFloat(await temperature.innerText()), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('status-bar').innerText()).toMatch(/Embedded broker mqtt:\/\/127\.0\.0\.1:\d+/);
    await page.screenshot({ path: join(ARTIFACTS, 'fleet.png') });
  });

  it('adds a board that publishes the original design payload with mosquitto_pub', async () => {
    publish('factory/motor_02/telemetry', JSON.stringify({ device_id: 'motor_02', temperature: 72.4, vibration: 0.034, rpm: 1480, timestamp: new Date().toISOString() }));
    await expect.poll(() => page.getByTestId('reading-motor_02-temperature').innerText(), { timeout: 10_000 }).toMatch(/^72\.4/);
    expect(await page.getByTestId('reading-motor_02-vibration').innerText()).toMatch(/^0\.034/);
    expect(await page.getByTestId('reading-motor_02-rpm').innerText()).toMatch(/^1480/);
  });

  it('shows a malformed message in the rejected panel with its reason, and keeps ingesting', async () => {
    publish('factory/motor_02/telemetry', '{"device_id": "motor_02", "temperature": ');
    publish('factory/motor_02/telemetry', JSON.stringify({ device_id: 'motor_03', temperature: 50 }));
    await expect.poll(() => page.getByTestId('status-rejected-count').innerText(), { timeout: 10_000 }).toMatch(/^2 rejected/);
    await page.getByTestId('nav-rejected').click();
    const rows = page.getByTestId('rejected-row');
    await expect.poll(() => rows.count()).toBe(2);
    const reasons = (await page.getByTestId('rejected-reason').allInnerTexts()).join('\n');
    expect(reasons).toMatch(/JSON/i);
    expect(reasons).toMatch(/motor_03.*motor_02|topic/i);
    await page.screenshot({ path: join(ARTIFACTS, 'rejected.png') });

    // The valid message right after the bad ones is stored and shown.
    publish('factory/motor_02/telemetry', JSON.stringify({ device_id: 'motor_02', temperature: 73.1, vibration: 0.03, rpm: 1479, timestamp: new Date().toISOString() }));
    await page.getByTestId('nav-fleet').click();
    await expect.poll(() => page.getByTestId('reading-motor_02-temperature').innerText(), { timeout: 10_000 }).toMatch(/^73\.1/);
  });

  it('opens a motor page with live trends, rollup ranges and exports', async () => {
    await page.getByTestId('twin-card-motor_01').click();
    await page.getByTestId('motor-page-motor_01').waitFor();
    await expect.poll(() => page.getByTestId('trend-resolution').innerText(), { timeout: 10_000 }).toMatch(/raw readings/);
    await expect.poll(() => page.locator('[data-testid="trend-chart"] canvas').count()).toBeGreaterThanOrEqual(3);
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(ARTIFACTS, 'motor.png') });

    await page.getByTestId('range-30d').click();
    await expect.poll(() => page.getByTestId('trend-resolution').innerText(), { timeout: 10_000 }).toMatch(/-(minute|hour) rollups, 30 min buckets/);
    await page.getByTestId('range-live5m').click();

    const download = page.waitForEvent('download');
    await page.getByTestId('export-parquet').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/motor_01.*\.parquet$/);
    await expect.poll(() => page.getByTestId('export-result').innerText()).toMatch(/Exported [\d,]+ rows/);
  });

  it('saves the nameplate, and says what is wrong with a bad value', async () => {
    await page.getByTestId('field-ratedKw').fill('seven');
    await page.getByTestId('nameplate-save').click();
    await expect.poll(() => page.getByTestId('nameplate-message').innerText()).toMatch(/Rated power: “seven” is not a number/);
    await page.getByTestId('field-ratedKw').fill('7.5');
    await page.getByTestId('field-insulationClass').selectOption('F');
    await page.getByTestId('nameplate-save').click();
    await expect.poll(() => page.getByTestId('nameplate-message').innerText()).toBe('Saved');
    const twins = (await (await fetch(`${url}/api/twins`)).json()) as Array<{ id: string; nameplate: { ratedKw: number; insulationClass: string } }>;
    expect(twins.find((t) => t.id === 'motor_01')!.nameplate).toMatchObject({ ratedKw: 7.5, insulationClass: 'F' });
    await page.reload();
    await expect.poll(() => page.getByTestId('field-ratedKw').inputValue(), { timeout: 10_000 }).toBe('7.5');
  });

  it('reads well in the dark theme, and logged no errors', async () => {
    await page.getByTestId('theme-toggle').click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.getByTestId('nav-fleet').click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(ARTIFACTS, 'fleet-dark.png') });
    expect(errors).toEqual([]);
  });
});
