import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import type { ExtractedPage, ManualKind } from './extract';

// Passages small enough to cite and to rank, each with its page and the section it sits under, so a citation
// reads "Maintenance guide, p. 3, Overheating". Chunks never cross a page or a section.

export interface ManualChunk {
  ord: number;
  page: number;
  section: string | null;
  text: string;
}

export const CHUNK_SIZE = 800;
export const CHUNK_OVERLAP = 200;

const splitter = new RecursiveCharacterTextSplitter({ chunkSize: CHUNK_SIZE, chunkOverlap: CHUNK_OVERLAP, separators: ['\n\n', '\n', '. ', ' ', ''] });

const MARKDOWN_HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
// Headings of printed technical manuals: "CHAPTER 4", "4-1. Maintenance of electric motors.", "11.4.4", "Table 5-2. …".
const PRINTED_HEADING = /^((CHAPTER|Chapter|SECTION|Section)\s+[\dIVX]+\b.*|(TABLE|Table)\s+\d+(-\d+)?\b.*|[1-9]\d*-\d+\.\s+[A-Z].*|[1-9]\d*(\.\d+){1,3}\.?(\s+[A-Z].*)?)$/;

interface Segment {
  page: number;
  section: string | null;
  text: string;
}

/** Splits pages into sections at headings (Markdown headings, or numbered headings of printed manuals). */
export function segment(pages: ExtractedPage[], kind: ManualKind): Segment[] {
  const out: Segment[] = [];
  const path: string[] = [];
  let section: string | null = null;
  for (const p of pages) {
    let lines: string[] = [];
    const flush = () => {
      const text = lines.join('\n').trim();
      if (text) out.push({ page: p.page, section, text });
      lines = [];
    };
    for (const line of p.text.split('\n')) {
      const trimmed = line.trim();
      const md = kind === 'markdown' || kind === 'html' ? MARKDOWN_HEADING.exec(trimmed) : null;
      if (md) {
        flush();
        const level = md[1].length;
        path.length = level - 1;
        path[level - 1] = md[2].replace(/[*_`]/g, '');
        // The document's own title (level 1) says nothing once there is a deeper heading.
        const named = path.filter(Boolean);
        section = (named.length > 1 ? named.slice(1) : named).slice(-2).join(' › ');
        lines.push(trimmed);
        continue;
      }
      if ((kind === 'text' || kind === 'pdf') && trimmed.length <= 70 && PRINTED_HEADING.test(trimmed)) {
        flush();
        section = trimmed.replace(/\.$/, '');
      }
      lines.push(line);
    }
    flush();
  }
  return out;
}

export async function chunkPages(pages: ExtractedPage[], kind: ManualKind): Promise<ManualChunk[]> {
  const chunks: ManualChunk[] = [];
  for (const s of segment(pages, kind)) {
    for (const text of await splitter.splitText(s.text)) {
      if (text.trim()) chunks.push({ ord: chunks.length, page: s.page, section: s.section, text: text.trim() });
    }
  }
  return chunks;
}
