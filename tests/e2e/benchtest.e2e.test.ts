import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, servePage, type ServedPage } from '../support/browser';

// A bench test as an engineer runs it in Chromium against `serve`: a simulated motor at a high speedup
// through the shipped procedure with speed steps and a run-down, the manual steps confirmed by hand, a
// pause in the warm-up, the verdict, the report opened from the list per serial number; then a copy of
// the shipped procedure edited with a schema error (the message names the line), fixed and saved.
const SERIAL = 'E2E-7781';

describe('bench testing in the UI', () => {
  let served: ServedPage;
  let url: string;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    served = await servePage('/#/bench', { args: ['--no-sim'] });
    ({ url, page, errors } = served);
  });

  afterAll(async () => {
    await served?.close();
  });

  const state = () => page.getByTestId('bench-state').innerText();
  const stepState = (id: string) => page.getByTestId(`bench-step-${id}`).getAttribute('data-state');

  it('runs a simulated motor through the procedure: prompts, live values against limits, pause and resume, verdict', async () => {
    await expect.poll(() => page.getByTestId('bench-procedure').locator('option').count()).toBeGreaterThanOrEqual(2);
    await page.getByTestId('bench-procedure').selectOption('speed-steps-acceptance');
    await page.getByTestId('bench-serial').fill(SERIAL);
    await page.getByTestId('bench-operator').fill('Ada Lovelace');
    await page.getByTestId('bench-speedup').fill('60');
    await page.getByTestId('bench-start-button').click();

    // The three manual steps wait for the operator, each with its prompt.
    for (const [id, prompt] of [
      ['mount', /Fix the sensor board on the drive-end bearing housing/],
      ['identify', /Check the nameplate/],
      ['start', /Start the motor uncoupled/],
    ] as const) {
      await expect.poll(() => stepState(id)).toBe('waiting');
      expect(await page.getByTestId('bench-prompt').innerText()).toMatch(prompt);
      await page.getByTestId('bench-confirm').click();
      await expect.poll(() => stepState(id)).toBe('done');
    }

    // The warm-up runs: pausing at once (before its shortest end) stops the motor clock and the countdown.
    await expect.poll(state).toBe('RUNNING');
    await page.getByTestId('bench-pause').click();
    await expect.poll(state).toBe('PAUSED');
    expect(await page.getByTestId('bench-current').innerText()).toMatch(/^Warm-up at no load/);
    const frozen = await page.getByTestId('bench-countdown').innerText();
    expect(frozen).toMatch(/^1[2-5]:\d\d left \(motor time\)$/);
    await page.waitForTimeout(1500);
    expect(await page.getByTestId('bench-countdown').innerText()).toBe(frozen);
    expect(await stepState('warmup')).toBe('running');
    await page.getByTestId('bench-resume').click();
    await expect.poll(state).toBe('RUNNING');

    // Live values against their limits while the run goes on.
    const live = page.getByTestId('bench-live-values');
    await expect.poll(() => live.locator('tr', { hasText: 'Temperature rise' }).innerText()).toMatch(/\d+(\.\d)? K\s+limit 60 K/);
    await expect.poll(() => live.locator('tr', { hasText: 'Velocity RMS' }).innerText()).toMatch(/[\d.]+ mm\/s\s+limit 4\.5 mm\/s/);
    expect(await live.locator('tr', { hasText: 'Velocity RMS' }).getAttribute('data-ok')).toBe('true');
    await page.screenshot({ path: join(ARTIFACTS, 'bench-live.png') });

    // Speed steps are set by command and measured; the run-down ends when the shaft has stopped.
    await expect.poll(() => stepState('speed_60'), { timeout: 60_000 }).toBe('done');
    expect(await page.getByTestId('bench-step-speed_60').innerText()).toMatch(/drive set to 888 r\/min by command/);
    await expect.poll(() => stepState('rundown'), { timeout: 60_000 }).toBe('done');
    expect(await page.getByTestId('bench-step-rundown').innerText()).toMatch(/stopped \d+ s after the drive was switched off/);

    await expect.poll(() => stepState('remove')).toBe('waiting');
    await page.getByTestId('bench-confirm').click();
    await expect.poll(state, { timeout: 30_000 }).toBe('PASS');
    const criteria = page.getByTestId('bench-criteria');
    expect(await criteria.locator('tbody tr').count()).toBe(15);
    expect(await criteria.innerText()).toMatch(/Speed against set speed, at 60 % speed\s+[\d.]+ %\s+≤ 2 %\s+PASS/);
    await page.screenshot({ path: join(ARTIFACTS, 'bench-verdict.png'), fullPage: true });
  }, 180_000);

  it('opens the report from the list per serial number', async () => {
    const runId = await page.getByTestId('bench-state').getAttribute('data-run-id');
    await page.getByTestId('bench-tab-reports').click();
    const group = page.getByTestId(`reports-${SERIAL}`);
    await expect.poll(() => group.innerText()).toMatch(/PASS\s+speed-steps-acceptance 1\.0\.0\s+Ada Lovelace/);
    const opened = page.context().waitForEvent('page');
    await page.getByTestId(`report-html-${runId}`).click();
    const report = await opened;
    await report.waitForLoadState();
    expect(report.url()).toBe(`${url}/api/reports/${runId}.html`);
    expect(await report.getByTestId('verdict').innerText()).toBe('PASS');
    expect(await report.getByTestId('speed-steps').innerText()).toMatch(/Speed step at 60 %\s+888 r\/min/);
    expect(await report.getByTestId('rundown').innerText()).toMatch(/Run-down time \(to below 30 r\/min\)\s+\d+ s/);
    await report.screenshot({ path: join(ARTIFACTS, 'bench-report.png'), fullPage: true });
    await report.close();
  });

  it('copies the shipped procedure, points at the line of a schema error, and saves it once fixed', async () => {
    await page.getByTestId('bench-tab-procedures').click();
    await page.getByTestId('procedure-copy-no-load-acceptance').click();
    const editor = page.getByTestId('procedure-editor');
    const copy = (await editor.inputValue()).replace('"name": "no-load-acceptance-copy"', '"name": "no-load-short"');
    const broken = copy.replace('"durationS": 300', '"durationS": -5');
    const line = broken.split('\n').findIndex((l) => l.includes('"durationS": -5')) + 1;
    expect(line).toBeGreaterThan(1);
    await editor.fill(broken);
    await page.getByTestId('procedure-save').click();
    await expect.poll(() => page.getByTestId('procedure-message').innerText()).toMatch(new RegExp(`^the procedure does not match the schema:\\nline:${line}:\\d+: steps\\.4\\.durationS: `));
    await page.screenshot({ path: join(ARTIFACTS, 'bench-procedure-error.png') });

    await editor.fill(copy.replace('"durationS": 300', '"durationS": 120'));
    await page.getByTestId('procedure-save').click();
    await expect.poll(() => page.getByTestId('procedure-message').innerText()).toBe('saved no-load-short version 1.0.0');
    await expect.poll(() => page.getByTestId('procedure-no-load-short').innerText()).toMatch(/1\.0\.0\s+No-load acceptance run \(copy\)/);
    expect(errors).toEqual([]);
  });
});
