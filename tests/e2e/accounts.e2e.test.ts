import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { runCli, startServe } from '../support/cli';
import { stopProcess, tempDir } from '../support/tools';

// Issue 15, item 1 in a real browser: two people log in to the same `serve`; the viewer sees the approval
// refused with the reason before trying, the approver approves a rule's proposal and finds their own name
// in the motor's audit trail.

describe('people log in to serve', () => {
  let serve: Awaited<ReturnType<typeof startServe>>;
  let browser: Browser;

  beforeAll(async () => {
    const dir = tempDir();
    for (const [name, role] of [
      ['ana', 'approver'],
      ['bo', 'viewer'],
    ]) {
      const r = await runCli(['users', 'add', name, '--role', role, '--data-dir', dir], 60_000, { input: `${name}-password-1\n` });
      expect(r.code).toBe(0);
    }
    serve = await startServe(['--data-dir', dir, '--no-sim']);
    const board = await mqtt.connectAsync(`mqtt://127.0.0.1:${serve.mqttPort}`, { clientId: `board-${Math.random().toString(16).slice(2)}` });
    await board.publishAsync('factory/pump_09/telemetry', JSON.stringify({ device_id: 'pump_09', temperature: 96, vibration: 0.01, rpm: 1470 }), { qos: 1 });
    await board.endAsync();
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    if (serve) await stopProcess(serve.child, 'SIGINT');
  });

  const logIn = async (name: string): Promise<Page> => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(serve.url);
    await expect.poll(() => page.url()).toMatch(/\/login$/);
    await page.getByLabel('User name').fill(name);
    await page.getByLabel('Password').fill(`${name}-password-1`);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByTestId('whoami').innerText(), { timeout: 30_000 }).toMatch(new RegExp(`${name}\\s+·`));
    return page;
  };

  it('shows the viewer that approving needs the approver role, and the approver approves under their own name', async () => {
    const viewer = await logIn('bo');
    expect(await viewer.getByTestId('whoami').innerText()).toMatch(/bo\s+·\s+viewer/);
    await expect.poll(() => viewer.getByTestId('approvals-badge-count').innerText(), { timeout: 20_000 }).toBe('1');
    await viewer.getByTestId('approvals-badge').click();
    await viewer.getByTestId('proposal-approve').waitFor();
    expect(await viewer.getByTestId('proposal-approve').isDisabled()).toBe(true);
    expect(await viewer.getByTestId('proposal-not-allowed').innerText()).toBe('approving a command needs the approver role; you are viewer');

    const approver = await logIn('ana');
    await approver.getByTestId('approvals-badge').click();
    expect(await approver.getByTestId('operator-name').innerText()).toMatch(/as ana \(approver\)/);
    await approver.getByTestId('proposal-comment').fill('fan checked');
    await approver.getByTestId('proposal-approve').click();
    await expect.poll(() => approver.getByTestId('approvals-badge-count').innerText(), { timeout: 10_000 }).toBe('0');
    await approver.goto(`${serve.url}/#/motor/pump_09`);
    await expect.poll(() => approver.getByTestId('audit-entry').allInnerTexts(), { timeout: 10_000 }).toEqual(expect.arrayContaining([expect.stringMatching(/approval ana REDUCE_LOAD \d+ to pump_09 approved: fan checked/i)]));
  }, 120_000);
});
