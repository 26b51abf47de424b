import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildTestImage } from '../../src/main/flash/image';
import { VirtualSerialBoard } from '../../src/main/sim/virtualSerialBoard';
import { ARTIFACTS, servePage, type ServedPage } from '../support/browser';
import { requireTool, tempDir } from '../support/tools';

// A board on the bench, in Chromium against `motortwin serve`: a virtual ESP32 on a socat pty is opened
// from the port list, its console streams, a command is acknowledged, firmware is flashed with a progress
// bar, a calibration issues a certificate, and unplugging and replugging needs no restart.

describe('boards on USB serial, in the browser', () => {
  let served: ServedPage;
  let page: Page;
  let errors: string[];
  const ptyDir = tempDir('motortwin-pty-');
  const board = new VirtualSerialBoard({ id: 'bench_e2e', rateHz: 20, garbageEvery: 25 });
  const row = () => page.locator(`[data-testid="port-row"][data-path="${board.hostPath}"]`);

  beforeAll(async () => {
    requireTool('socat', 'socat');
    await board.plugIn(ptyDir);
    served = await servePage('/#/boards', { args: ['--no-sim'] });
    ({ page, errors } = served);
  });

  afterAll(async () => {
    await served?.close();
    await board.unplug();
  });

  it('opens the board from the port list and streams its console', async () => {
    await page.getByTestId('port-path-input').fill(board.hostPath);
    await page.getByTestId('port-path-input').press('Enter');
    await expect.poll(() => row().getAttribute('data-state'), { timeout: 10_000 }).toBe('open');
    await expect.poll(async () => Number(await page.getByTestId('console-lines').getAttribute('data-count')), { timeout: 10_000 }).toBeGreaterThan(20);
    await expect.poll(() => row().innerText()).toMatch(/bench_e2e/);
    await expect.poll(() => row().innerText(), { timeout: 10_000 }).toMatch(/garbled/);
    await page.getByTestId('console-search').fill('"seq":1');
    await expect.poll(async () => (await page.getByTestId('console-line').allInnerTexts()).every((t) => t.includes('"seq":1'))).toBe(true);
    await page.getByTestId('console-search').fill('');
    await page.getByTestId('console-pause').click();
    await expect.poll(() => page.getByTestId('console-pause').innerText()).toMatch(/Resume \(\d+ new\)/);
    await page.getByTestId('console-pause').click();
    await page.getByTestId('console-hex').check();
    await expect.poll(() => page.getByTestId('console-line').last().innerText()).toMatch(/7b 22 74 79/);
    await page.getByTestId('console-hex').uncheck();
    await page.getByTestId('console-input').fill('{"action":"IDENTIFY"}');
    await page.getByTestId('console-send').click();
    await expect.poll(() => page.getByTestId('console-message').innerText(), { timeout: 10_000 }).toMatch(/applied/);
    await page.screenshot({ path: join(ARTIFACTS, 'boards-console.png') });
  });

  it('shows the board unplugged and reconnects it when it comes back', async () => {
    await board.unplug();
    await expect.poll(() => row().getAttribute('data-state'), { timeout: 10_000 }).toBe('reconnecting');
    await board.plugIn(ptyDir);
    await expect.poll(() => row().getAttribute('data-state'), { timeout: 10_000 }).toBe('open');
  });

  it('flashes an image with a progress bar, verifies it and sees the new version', async () => {
    await page.getByTestId('boards-tab-flash').click();
    await page.getByTestId('flash-port').selectOption(board.hostPath);
    await page.getByTestId('flash-file').setInputFiles({ name: 'firmware.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(buildTestImage(600_000, '4.2.0')) });
    await page.getByTestId('flash-start').click();
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          const phase = (await page.getByTestId('flash-job').getAttribute('data-phase').catch(() => null)) ?? '';
          seen.add(phase);
          return phase;
        },
        { timeout: 60_000, interval: 100 },
      )
      .toBe('done');
    expect([...seen].some((p) => ['writing', 'verifying', 'confirming'].includes(p))).toBe(true);
    expect(await page.getByTestId('flash-progress').getAttribute('aria-valuenow')).toBe('100');
    expect(await page.getByTestId('flash-message').innerText()).toMatch(/MD5 verified, the board runs 4\.2\.0/);
    await page.screenshot({ path: join(ARTIFACTS, 'boards-flash.png') });
  });

  it('refuses a file that is not firmware, saying what to pick', async () => {
    await page.getByTestId('flash-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await page.getByTestId('flash-start').click();
    await expect.poll(() => page.getByTestId('flash-message').innerText(), { timeout: 10_000 }).toMatch(/magic byte 0xE9/);
  });

  it('calibrates the temperature against a reference and lists the certificate', async () => {
    await page.getByTestId('boards-tab-calibrate').click();
    await page.getByTestId('calibration-technician').fill('E. Engineer');
    await page.getByTestId('calibration-instrument').fill('Fluke 54 II');
    await page.getByTestId('calibration-instrument-cert').fill('CAL-123');
    await page.getByTestId('calibration-read-0').click();
    await expect.poll(() => page.getByTestId('calibration-read-0').innerText(), { timeout: 10_000 }).toBe('Take board reading');
    await page.getByTestId('calibration-ref-0').fill('50');
    await page.getByTestId('calibration-run').click();
    await expect.poll(() => page.getByTestId('calibration-result').innerText().catch(() => ''), { timeout: 30_000 }).toMatch(/Certificate cert-/);
    await expect.poll(() => page.getByTestId('certificate-row').count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'boards-calibration.png') });
    expect(errors).toEqual([]);
  });
});
