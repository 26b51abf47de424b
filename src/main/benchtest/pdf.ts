import { existsSync } from 'node:fs';

/** Prints a self-contained HTML page to a PDF file. The desktop shell may hand in Electron's printToPDF. */
export type PdfPrinter = (html: string, file: string) => Promise<void>;

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Headless Chromium (Debian's, as the tests use), offline: the report fetches nothing. */
export const chromiumPdfPrinter: PdfPrinter = async (html, file) => {
  const executablePath = process.env.MOTORTWIN_CHROMIUM ?? CANDIDATES.find((c) => existsSync(c));
  if (!executablePath) throw new Error('no Chromium found for the PDF report: install it (`apt-get install -y chromium`) or set MOTORTWIN_CHROMIUM; the HTML report works without it');
  // Loaded on the first report, not with the engine: most runs never print one.
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    await page.setContent(html, { waitUntil: 'load' });
    await page.pdf({ path: file, format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } });
  } finally {
    await browser.close();
  }
};
