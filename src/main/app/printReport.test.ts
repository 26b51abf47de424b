import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/support/tools';
import { answerPrintRequest, type PdfWindow, type PdfWindowMaker } from './printReport';

// The main process's printer with a fake BrowserWindow: what window it asks for, what it loads, what it
// writes, and what it refuses.

const PDF = Buffer.from('%PDF-1.7 fake');

/** Stands in for the app's web preferences from security.ts. */
const APP_PREFERENCES = { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true } as const;

function fakeWindow(opts: { failPrint?: boolean } = {}) {
  const seen: { options?: unknown; url?: string; page?: string; destroyed: boolean } = { destroyed: false };
  class FakeWindow implements PdfWindow {
    constructor(options: unknown) {
      seen.options = options;
    }
    async loadURL(url: string) {
      seen.url = url;
      seen.page = readFileSync(fileURLToPath(url), 'utf8');
    }
    webContents = { printToPDF: async () => (opts.failPrint ? Promise.reject(new Error('GPU process gone')) : PDF) };
    destroy() {
      seen.destroyed = true;
    }
  }
  const maker: PdfWindowMaker<typeof APP_PREFERENCES> = { BrowserWindow: FakeWindow, webPreferences: APP_PREFERENCES };
  return { maker, seen };
}

describe('printing a report in the main process', () => {
  it('prints in a hidden window with the app\'s preferences and no JavaScript and writes the PDF into the reports folder', async () => {
    const reportsDir = join(tempDir(), 'reports');
    const { maker, seen } = fakeWindow();
    const file = join(reportsDir, 'bt-1.pdf');
    const reply = await answerPrintRequest({ type: 'printPdf', id: 'r1', html: '<h1>Bench test</h1>', file }, { reportsDir, ...maker });
    expect(reply).toEqual({ type: 'pdfPrinted', id: 'r1', ok: true });
    expect(seen.options).toEqual({ show: false, webPreferences: { ...APP_PREFERENCES, javascript: false } });
    expect(seen.url).toMatch(/^file:\/\/.*motortwin-report-.*\.html$/);
    expect(seen.page).toBe('<h1>Bench test</h1>');
    expect(readFileSync(file)).toEqual(PDF);
    // The temporary page is gone and the window closed.
    expect(existsSync(fileURLToPath(seen.url!))).toBe(false);
    expect(seen.destroyed).toBe(true);
  });

  it('answers a failed print with the reason and still closes the window', async () => {
    const reportsDir = join(tempDir(), 'reports');
    const { maker, seen } = fakeWindow({ failPrint: true });
    const reply = await answerPrintRequest({ type: 'printPdf', id: 'r2', html: '<p/>', file: join(reportsDir, 'x.pdf') }, { reportsDir, ...maker });
    expect(reply).toEqual({ type: 'pdfPrinted', id: 'r2', ok: false, error: 'printToPDF failed: GPU process gone' });
    expect(seen.destroyed).toBe(true);
  });

  it('refuses a file outside the reports folder and a request that does not fit, without opening a window', async () => {
    const reportsDir = join(tempDir(), 'reports');
    const { maker, seen } = fakeWindow();
    const outside = await answerPrintRequest({ type: 'printPdf', id: 'r3', html: '<p/>', file: join(reportsDir, '../../etc/x.pdf') }, { reportsDir, ...maker });
    expect(outside).toMatchObject({ id: 'r3', ok: false, error: expect.stringMatching(/^refused: .* is not in the reports folder/) });
    const bad = await answerPrintRequest({ type: 'printPdf', id: 'r4', html: '', file: join(reportsDir, 'x.txt') }, { reportsDir, ...maker });
    expect(bad).toMatchObject({ id: 'r4', ok: false, error: expect.stringMatching(/^refused: html: .*; file: the output is a \.pdf file/) });
    expect(seen.options).toBeUndefined();
  });

  it('leaves other messages from the engine alone', async () => {
    expect(await answerPrintRequest({ type: 'notify', title: 'x' }, { reportsDir: '/tmp', ...fakeWindow().maker })).toBeNull();
  });
});
