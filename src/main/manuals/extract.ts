import { extname } from 'node:path';
import { getDocumentProxy } from 'unpdf';

// Text out of a manual, page by page, so every passage can be cited with its page. PDF through pdf.js
// (unpdf's Node build, no worker, no network); Markdown, HTML and plain text directly, where a form feed
// separates pages as it does in text saved from a printed manual.

export const MANUAL_KINDS = ['pdf', 'markdown', 'html', 'text'] as const;
export type ManualKind = (typeof MANUAL_KINDS)[number];

export interface ExtractedPage {
  page: number;
  text: string;
}

export interface ExtractedDocument {
  kind: ManualKind;
  title: string;
  pages: ExtractedPage[];
}

const EXTENSIONS: Record<string, ManualKind> = {
  '.pdf': 'pdf',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.txt': 'text',
  '.text': 'text',
};

export const SUPPORTED_EXTENSIONS = Object.keys(EXTENSIONS);

export function kindOf(fileName: string): ManualKind | null {
  return EXTENSIONS[extname(fileName).toLowerCase()] ?? null;
}

export async function extractDocument(fileName: string, bytes: Uint8Array, onPage?: (done: number, total: number) => void): Promise<ExtractedDocument> {
  // The content decides first: a PDF saved under another name is still read as a PDF.
  const kind = isPdf(bytes) ? 'pdf' : kindOf(fileName);
  if (!kind) throw new Error(`${fileName}: not a manual MotorTwin can read (use ${SUPPORTED_EXTENSIONS.join(', ')})`);
  if (kind === 'pdf') return extractPdf(fileName, bytes, onPage);
  const binary = binaryContent(bytes);
  if (binary) throw new Error(`binary content (${binary} in its first ${SNIFF_BYTES / 1024} KB), not a text manual: save it as UTF-8 text, or import the PDF`);
  const raw = decodeText(bytes);
  const text = kind === 'html' ? htmlToText(raw) : raw;
  const pages = text
    .split('\f')
    .map((t, i) => ({ page: i + 1, text: t.replace(/\r\n?/g, '\n').trim() }))
    .filter((p) => p.text.length > 0);
  onPage?.(pages.length, pages.length);
  return { kind, title: titleOf(kind, raw, pages, fileName), pages };
}

async function extractPdf(fileName: string, bytes: Uint8Array, onPage?: (done: number, total: number) => void): Promise<ExtractedDocument> {
  if (!isPdf(bytes)) throw new Error(`${fileName}: not a PDF file (it does not start with %PDF)`);
  // pdf.js takes ownership of (detaches) the buffer it is given.
  const doc = await getDocumentProxy(new Uint8Array(bytes)).catch((e: Error) => {
    throw new Error(`${fileName}: the PDF cannot be read: ${e.message}`);
  });
  try {
    const pages: ExtractedPage[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let out = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        out += item.str;
        if (item.hasEOL) out += '\n';
      }
      page.cleanup();
      pages.push({ page: n, text: out.trim() });
      onPage?.(n, doc.numPages);
    }
    // Damaged metadata only costs the PDF's own title: one is made from its text instead.
    const meta = await doc.getMetadata().catch(() => null);
    const info = (meta?.info ?? {}) as { Title?: unknown };
    const title = typeof info.Title === 'string' && info.Title.trim() ? info.Title.trim() : titleOf('pdf', '', pages, fileName);
    return { kind: 'pdf', title, pages: pages.filter((p) => p.text.length > 0) };
  } finally {
    await doc.destroy();
  }
}

export function isPdf(bytes: Uint8Array): boolean {
  return bytes.length > 4 && String.fromCharCode(...bytes.subarray(0, 5)) === '%PDF-';
}

const SNIFF_BYTES = 8192;
/** More than this share of odd characters (invalid UTF-8, control codes) in the sample: not text. */
const MAX_ODD_SHARE = 0.1;

/** What gives binary content away in the first bytes (NUL bytes, mostly invalid UTF-8 or controls), or null for text. */
export function binaryContent(bytes: Uint8Array): string | null {
  const sample = bytes.subarray(0, SNIFF_BYTES);
  if (sample.includes(0)) return 'NUL bytes';
  // stream: a character cut in two at the end of the sample is not counted as invalid.
  const text = new TextDecoder('utf-8').decode(sample, { stream: true });
  let odd = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Tab, line feed, form feed (a page break) and carriage return belong in text.
    if (c === 0xfffd || c === 0x7f || (c < 0x20 && c !== 9 && c !== 10 && c !== 12 && c !== 13)) odd++;
  }
  return odd > text.length * MAX_ODD_SHARE ? `${Math.round((100 * odd) / text.length)} % invalid UTF-8 or control characters` : null;
}

function decodeText(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function titleOf(kind: ManualKind, raw: string, pages: ExtractedPage[], fileName: string): string {
  if (kind === 'markdown') {
    const h = /^#\s+(.+)$/m.exec(raw);
    if (h) return h[1].trim();
  }
  if (kind === 'html') {
    const t = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(raw) ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(raw);
    if (t) return decodeEntities(t[1].replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim();
  }
  const first = pages[0]?.text.split('\n').find((l) => l.trim().length > 3);
  return (first?.trim().slice(0, 100) || fileName).replace(/^#+\s*/, '');
}

const BLOCK_TAGS = /<\/?(p|div|br|li|ul|ol|tr|table|section|article|header|footer|blockquote|pre|dt|dd)\b[^>]*>/gi;

/** HTML to plain text that keeps the structure a reader relies on: headings (as Markdown), paragraphs, rows. */
export function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<(script|style|head|nav|noscript|svg)\b[\s\S]*?<\/\1>/gi, '')
      .replace(/<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1>/gi, (_m, level: string, inner: string) => `\n\n${'#'.repeat(Number(level))} ${inner.replace(/<[^>]+>/g, '').trim()}\n\n`)
      .replace(/<\/t[dh]>/gi, ' | ')
      .replace(BLOCK_TAGS, '\n')
      .replace(/<[^>]+>/g, ''),
  )
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function decodeEntities(s: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', deg: '°', ndash: '–', mdash: '—', micro: 'µ', plusmn: '±' };
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return named[e.toLowerCase()] ?? m;
  });
}
