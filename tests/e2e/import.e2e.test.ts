import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, servePage, type ServedPage } from '../support/browser';
import { requireTool } from '../support/tools';

// History from another collector dropped on a motor page in Chromium against `serve`: the upload shows its
// progress, the columns are mapped, the rows join the motor's history with bad lines named by number, and an
// overheating episode in the file comes back as an alarm at its own historical time. Dropping the same file
// again stores nothing twice.
const MOTOR = 'motor_09';
const START = Date.parse('2026-03-02T06:00:00Z');
const HOT_FROM = 100; // minutes after START: the frame runs at 95 °C from here on

function trendCsv(): { text: string; rows: number; badLines: number[] } {
  const lines = ['time,temperature,rpm'];
  const badLines: number[] = [];
  for (let m = 0; m < 140; m++) {
    const t = new Date(START + m * 60_000).toISOString().replace('T', ' ').slice(0, 19);
    const temperature = m >= HOT_FROM ? 95 : 58 + (m % 5) * 0.2;
    lines.push(`${t},${temperature.toFixed(1)},1480`);
  }
  // Two lines another collector got wrong: a time that is not one, and a reading that is text.
  lines.splice(11, 0, 'yesterday noon,60.0,1480');
  badLines.push(12);
  lines.splice(31, 0, `${new Date(START + 29 * 60_000 + 30_000).toISOString().replace('T', ' ').slice(0, 19)},sensor fault,1480`);
  badLines.push(32);
  return { text: `${lines.join('\n')}\n`, rows: lines.length - 1, badLines };
}

describe('importing history by dropping a file on a motor page', () => {
  let served: ServedPage;
  let page: Page;
  const csv = trendCsv();

  const drop = async () => {
    const transfer = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'collector-export.csv', { type: 'text/csv' }));
      return dt;
    }, csv.text);
    await page.getByTestId('history-import').dispatchEvent('drop', { dataTransfer: transfer });
  };

  beforeAll(async () => {
    const pub = requireTool('mosquitto_pub', 'mosquitto-clients');
    served = await servePage(`/#/motor/${MOTOR}`, {
      args: ['--no-sim'],
      beforeOpen: ({ mqttPort }) => {
        execFileSync(pub, ['-h', '127.0.0.1', '-p', String(mqttPort), '-q', '1', '-t', `factory/${MOTOR}/telemetry`, '-m', JSON.stringify({ device_id: MOTOR, temperature: 55, rpm: 1480 })]);
      },
    });
    page = served.page;
    await page.getByTestId('history-import').waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await served?.close();
  });

  it('uploads with progress, maps the columns, stores the rows and replays the alarm at its own time', async () => {
    await drop();
    await page.getByTestId('history-import-progress').waitFor();
    await page.getByTestId('history-import-mapping').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('history-import-map-temperature').inputValue()).toBe('temperature');
    await page.getByTestId('history-import-start').click();
    const report = page.getByTestId('history-import-report');
    await expect.poll(() => page.getByTestId('history-import-status').getAttribute('data-phase'), { timeout: 60_000 }).toBe('done');
    const text = await report.innerText();
    expect(text).toContain(`${csv.rows} rows read, ${csv.rows - 2} stored, 0 already stored, 2 skipped`);
    for (const line of csv.badLines) expect(text).toMatch(new RegExp(`line ${line}: `));
    expect(await page.getByTestId('history-import-alarms').innerText()).toMatch(/OVERHEATING/);
    await page.screenshot({ path: join(ARTIFACTS, 'import-drop.png') });

    const alarms = (await (await fetch(`${served.url}/api/alarms?device=${MOTOR}`)).json()) as Array<{ code: string; raised_at: string }>;
    const hot = alarms.find((a) => /OVERHEAT/i.test(a.code));
    expect(hot, JSON.stringify(alarms)).toBeDefined();
    const raised = Date.parse(hot!.raised_at);
    // Raised while the file's overheating lasted (rules may ask for it to persist a little), not at import time.
    expect(raised).toBeGreaterThanOrEqual(START + HOT_FROM * 60_000);
    expect(raised).toBeLessThan(START + 140 * 60_000);
  });

  it('stores nothing twice when the same file is dropped again', async () => {
    await drop();
    await page.getByTestId('history-import-mapping').waitFor({ timeout: 20_000 });
    await page.getByTestId('history-import-start').click();
    await expect.poll(() => page.getByTestId('history-import-status').getAttribute('data-phase'), { timeout: 60_000 }).toBe('done');
    expect(await page.getByTestId('history-import-report').innerText()).toContain(`${csv.rows} rows read, 0 stored, ${csv.rows - 2} already stored, 2 skipped`);
    expect(served.errors).toEqual([]);
  });
});
