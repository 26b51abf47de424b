import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, servePage, type ServedPage } from '../support/browser';
import { connectWs } from '../support/wsClient';
import { requireTool } from '../support/tools';

// The rules editor as an engineer uses it, in Chromium against `serve`: the overheating limit of one motor is
// lowered in the UI, a reading between the old and the new limit then raises the alarm with the new limit in
// its message; an invalid entry is refused with the engine's reason beside the field and changes nothing.
const MOTOR = 'motor_07';

describe('rules editor in the UI', () => {
  let served: ServedPage;
  let url: string;
  let mqttPort: number;
  let page: Page;
  let errors: string[];
  let seq = 0;
  const mosquittoPub = requireTool('mosquitto_pub', 'mosquitto-clients');
  const publishTemperature = (temperature: number) =>
    execFileSync(mosquittoPub, [
      '-h', '127.0.0.1', '-p', String(mqttPort), '-q', '1', '-t', `factory/${MOTOR}/telemetry`,
      '-m', JSON.stringify({ device_id: MOTOR, seq: ++seq, temperature, vibration: 0.01, rpm: 1480, timestamp: new Date().toISOString() }),
    ]);
  const engineRules = async () => {
    const ws = await connectWs(url);
    try {
      return await ws.client.call('rules.get', { id: MOTOR });
    } finally {
      ws.close();
    }
  };

  beforeAll(async () => {
    served = await servePage(`/#/motor/${MOTOR}`, { args: ['--no-sim'] });
    ({ url, page, errors, mqttPort } = served);
    publishTemperature(65);
    await page.getByTestId(`rule-row-overheating`).waitFor({ timeout: 20_000 });
  });

  afterAll(async () => {
    await served?.close();
  });

  it('lowers the overheating limit for this motor; a reading over the new limit raises the alarm with it', async () => {
    expect(await page.getByTestId('rule-origin-overheating').innerText()).toBe('default (nameplate)');
    expect(await page.getByTestId('rule-text-overheating').innerText()).toBe('frame temperature above 80.0 °C');
    // 65 °C is under the default 80 °C: no alarm.
    await expect.poll(() => page.getByTestId('rule-state-overheating').innerText()).toBe('quiet');
    expect(await page.getByTestId('status-reasons').count()).toBe(0);

    await page.getByTestId('rule-edit-overheating').click();
    await page.getByTestId('rule-field-clauses.0.value').fill('60');
    expect(await page.getByTestId('rule-scope-model').isDisabled()).toBe(true);
    await page.getByTestId('rule-save').click();
    await expect.poll(() => page.getByTestId('rule-text-overheating').innerText()).toBe('frame temperature above 60.0 °C');
    expect(await page.getByTestId('rule-origin-overheating').innerText()).toBe('this motor');
    expect(await page.getByTestId('rule-overrides-overheating').innerText()).toMatch(/overrides the default: frame temperature above 80\.0 °C/);
    expect(await page.getByTestId('rule-form').count()).toBe(0);

    publishTemperature(65);
    await expect
      .poll(() => page.getByTestId('status-reasons').innerText().catch(() => ''), { timeout: 15_000 })
      .toMatch(/OVERHEATING \(critical\): Overheating: frame temperature above 60\.0 °C \(65\.0 °C\)/);
    await expect.poll(() => page.getByTestId('rule-state-overheating').innerText()).toBe('holds now');
    const alarms = page.getByTestId('alarm-timeline');
    await expect.poll(() => alarms.innerText()).toMatch(/OVERHEATING/);
    await page.getByTestId('rules-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'rules.png') });
  });

  it("refuses an invalid entry with the engine's reason beside each field, and changes nothing", async () => {
    const before = await engineRules();
    await page.getByTestId('rule-edit-overheating').click();
    await page.getByTestId('rule-field-clauses.0.hysteresis').fill('-1');
    await page.getByTestId('rule-field-condition').fill('too hot');
    await page.getByTestId('rule-save').click();
    await expect.poll(() => page.getByTestId('rule-error-clauses.0.hysteresis').innerText().catch(() => '')).toMatch(/Too small: expected number to be >=0/);
    expect(await page.getByTestId('rule-error-condition').innerText()).toMatch(/condition: 1-40 upper-case letters, digits or "_"/);
    expect(await page.getByTestId('rule-refused').innerText()).toMatch(/nothing was changed/);
    await page.getByTestId('rule-form').screenshot({ path: join(ARTIFACTS, 'rules-refused.png') });

    expect(await engineRules()).toEqual(before);
    expect(before.motorRules).toEqual([expect.objectContaining({ id: 'overheating', condition: 'OVERHEATING', clauses: [expect.objectContaining({ value: 60, hysteresis: 2 })] })]);
    await page.getByTestId('rule-cancel').click();
    expect(await page.getByTestId('rule-text-overheating').innerText()).toBe('frame temperature above 60.0 °C');
    expect(await page.getByTestId('rule-state-overheating').innerText()).toBe('holds now');
    expect(errors).toEqual([]);
  });
});
