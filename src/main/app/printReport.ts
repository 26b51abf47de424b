import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeIssues, printPdfRequestSchema, type PrintPdfReply } from './pdfMessages';

// The main process's side of a report PDF: a hidden window with the app's web preferences and JavaScript
// off loads the report page from a temporary file and prints it with Electron's printToPDF. main.ts hands
// in Electron's BrowserWindow and the app's preferences; the tests hand in a fake window.

/** The part of a BrowserWindow the printer uses. */
export interface PdfWindow {
  loadURL(url: string): Promise<void>;
  webContents: { printToPDF(options: { pageSize: 'A4'; printBackground: boolean; margins: { top: number; bottom: number; left: number; right: number } }): Promise<Uint8Array> };
  destroy(): void;
}

export interface PdfWindowMaker<P extends object> {
  /** The app's web preferences (security.ts): the printer's window keeps every one and adds `javascript: false`. */
  webPreferences: P;
  BrowserWindow: new (options: { show: false; webPreferences: P & { javascript: false } }) => PdfWindow;
}

/** A4 with the margins the headless Chromium printer uses (12 mm top and bottom, 10 mm sides), in inches. */
const MARGINS = { top: 12 / 25.4, bottom: 12 / 25.4, left: 10 / 25.4, right: 10 / 25.4 };

export async function printReport<P extends object>(html: string, file: string, maker: PdfWindowMaker<P>): Promise<void> {
  // A file rather than a data: URL, which Chromium caps at 2 MB.
  const page = join(tmpdir(), `motortwin-report-${randomUUID()}.html`);
  await writeFile(page, html);
  const win = new maker.BrowserWindow({ show: false, webPreferences: { ...maker.webPreferences, javascript: false } });
  try {
    await win.loadURL(pathToFileURL(page).href);
    const pdf = await win.webContents.printToPDF({ pageSize: 'A4', printBackground: true, margins: MARGINS });
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, pdf);
  } finally {
    win.destroy();
    await rm(page, { force: true });
  }
}

/**
 * Answers the engine's print request (null for any other message). The engine may only write reports
 * into `reportsDir`: a request for another place is refused, as is one that does not fit the schema.
 */
export async function answerPrintRequest<P extends object>(message: unknown, opts: PdfWindowMaker<P> & { reportsDir: string }): Promise<PrintPdfReply | null> {
  const m = message as { type?: unknown; id?: unknown } | null;
  if (typeof m !== 'object' || m === null || m.type !== 'printPdf') return null;
  const id = typeof m.id === 'string' && m.id.length > 0 ? m.id.slice(0, 64) : 'unknown';
  const req = printPdfRequestSchema.safeParse(message);
  if (!req.success) return { type: 'pdfPrinted', id, ok: false, error: `refused: ${describeIssues(req.error)}`.slice(0, 2000) };
  const file = resolve(req.data.file);
  if (!file.startsWith(resolve(opts.reportsDir) + sep)) return { type: 'pdfPrinted', id, ok: false, error: `refused: ${file} is not in the reports folder ${opts.reportsDir}` };
  try {
    await printReport(req.data.html, file, opts);
    return { type: 'pdfPrinted', id, ok: true };
  } catch (e) {
    return { type: 'pdfPrinted', id, ok: false, error: `printToPDF failed: ${(e as Error).message}`.slice(0, 2000) };
  }
}
