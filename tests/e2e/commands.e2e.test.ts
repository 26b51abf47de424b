import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, servePage, type ServedPage } from '../support/browser';
import { requireTool } from '../support/tools';

// The closed loop as a person meets it: a rule's proposal waits in Approvals, a command asks for
// confirmation, the limits refuse with the reason, the motor's audit trail shows every step.

describe('commands and approvals in the UI', () => {
  let served: ServedPage;
  let url: string;
  let mqttPort: number;
  let page: Page;
  let errors: string[];
  const mosquittoPub = requireTool('mosquitto_pub', 'mosquitto-clients');

  beforeAll(async () => {
    served = await servePage('/#/motor/motor_01');
    ({ url, page, errors, mqttPort } = served);
    await page.getByTestId('command-panel').waitFor();
  });

  afterAll(async () => {
    await served?.close();
  });

  it('sends a confirmed command to the simulated motor and shows it applied, with desired and reported set-points', async () => {
    await page.getByTestId('command-action').selectOption('REDUCE_LOAD');
    await page.getByTestId('command-value').fill('20');
    await page.getByTestId('command-reason').fill('bearing runs warm');
    await page.getByTestId('command-send').click();
    await expect.poll(() => page.getByTestId('command-confirm').innerText(), { timeout: 10_000 }).toMatch(/Send\s+REDUCE_LOAD 20 %\s+to\s+motor_01\s+now\?/);
    await page.getByTestId('command-confirm-yes').click();
    await expect.poll(() => page.getByTestId('command-status').first().innerText(), { timeout: 10_000 }).toBe('applied');
    await expect.poll(() => page.getByTestId('setpoint-load_reduction').innerText(), { timeout: 10_000 }).toMatch(/20 %\s+20 %/);
    await expect.poll(() => page.getByTestId('audit-entry').allInnerTexts(), { timeout: 10_000 }).toEqual(expect.arrayContaining([expect.stringMatching(/^\S+ \S+ command person operator REDUCE_LOAD 20 to motor_01 because bearing runs warm/i)]));
  });

  it('refuses a value beyond the limits and says why', async () => {
    await page.getByTestId('command-value').fill('80');
    await page.getByTestId('command-reason').fill('cool it down fast');
    await page.getByTestId('command-send').click();
    await page.getByTestId('command-confirm-yes').click();
    await expect.poll(() => page.getByTestId('command-message').innerText(), { timeout: 10_000 }).toMatch(/REDUCE_LOAD 80 is outside the allowed 0-50 %/);
  });

  it("puts a rule's proposal in Approvals; a person edits and approves it", async () => {
    execFileSync(mosquittoPub, ['-h', '127.0.0.1', '-p', String(mqttPort), '-q', '1', '-t', 'factory/pump_09/telemetry', '-m', JSON.stringify({ device_id: 'pump_09', temperature: 96, vibration: 0.01, rpm: 1470 })]);
    await expect.poll(() => page.getByTestId('approvals-badge-count').innerText(), { timeout: 10_000 }).toBe('1');
    await expect.poll(() => page.getByTestId('toast').allInnerTexts(), { timeout: 10_000 }).toEqual(expect.arrayContaining([expect.stringMatching(/pump_09: rule OVERHEATING proposes REDUCE_LOAD 25/)]));
    await page.getByTestId('approvals-badge').click();
    const proposal = page.locator('[data-testid^="proposal-cmd-"]');
    await expect.poll(() => proposal.innerText(), { timeout: 10_000 }).toMatch(/pump_09: REDUCE_LOAD 25 %[\s\S]*proposed by rule OVERHEATING/);
    await page.screenshot({ path: join(ARTIFACTS, 'approvals.png') });
    await page.getByTestId('proposal-value').fill('70');
    await page.getByTestId('proposal-approve').click();
    await expect.poll(() => page.getByTestId('proposal-error').innerText(), { timeout: 10_000 }).toMatch(/outside the allowed 0-50 %/);
    await page.getByTestId('proposal-value').fill('30');
    await page.getByTestId('proposal-comment').fill('checked on site');
    await page.getByTestId('proposal-approve').click();
    await expect.poll(() => page.getByTestId('approvals-badge-count').innerText(), { timeout: 10_000 }).toBe('0');
    await page.goto(`${url}/#/motor/pump_09`);
    await expect.poll(() => page.getByTestId('audit-entry').allInnerTexts(), { timeout: 10_000 }).toEqual(
      expect.arrayContaining([expect.stringMatching(/edit operator value changed from 25 to 30/i), expect.stringMatching(/approval operator REDUCE_LOAD 30 to pump_09 approved: checked on site/i)]),
    );
    await page.getByTestId('command-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'commands.png') });
    expect(errors).toEqual([]);
  });
});
