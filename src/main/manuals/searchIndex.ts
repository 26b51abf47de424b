import MiniSearch from 'minisearch';
import { processTerm, terms, tokenize } from './terms';

// Offline retrieval: BM25 ranking (MiniSearch) over the manuals' passages, no model and no download. A
// passage counts as an answer only if it covers most of what the question asks about (weighted by how rare
// each word is), so a question the manuals do not answer gets nothing rather than the least bad passage.

export interface IndexedChunk {
  id: string;
  manualId: string;
  document: string;
  title: string;
  page: number;
  section: string | null;
  text: string;
  /** What kind of machine the manual is about, when it is clearly one other than a motor. */
  subject: string | null;
}

export interface LexicalHit {
  chunk: IndexedChunk;
  score: number;
  /** Share (0-1) of the question's weight, by inverse document frequency, that the passage contains. */
  coverage: number;
  /** From a manual about another machine than the one asked about. */
  offSubject: boolean;
}

/** Below this coverage a passage does not answer the question. */
export const MIN_COVERAGE = 0.5;
const CANDIDATES = 200;

export class ManualIndex {
  private readonly mini = new MiniSearch<IndexedChunk>({
    idField: 'id',
    fields: ['text', 'section'],
    tokenize,
    processTerm,
    searchOptions: { boost: { section: 1.5 }, combineWith: 'OR', prefix: false, fuzzy: false },
  });
  private readonly chunks = new Map<string, IndexedChunk>();
  private readonly byManual = new Map<string, string[]>();
  private readonly df = new Map<string, number>();

  get size(): number {
    return this.chunks.size;
  }

  add(chunks: IndexedChunk[]): void {
    for (const c of chunks) {
      if (this.chunks.has(c.id)) continue;
      this.chunks.set(c.id, c);
      const list = this.byManual.get(c.manualId) ?? [];
      list.push(c.id);
      this.byManual.set(c.manualId, list);
      for (const t of new Set(terms(`${c.text} ${c.section ?? ''}`))) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    }
    this.mini.addAll(chunks.filter((c) => !this.mini.has(c.id)));
  }

  removeManual(manualId: string): void {
    for (const id of this.byManual.get(manualId) ?? []) {
      const c = this.chunks.get(id);
      if (!c) continue;
      for (const t of new Set(terms(`${c.text} ${c.section ?? ''}`))) {
        const n = (this.df.get(t) ?? 1) - 1;
        if (n > 0) this.df.set(t, n);
        else this.df.delete(t);
      }
      this.chunks.delete(id);
      this.mini.discard(id);
    }
    this.byManual.delete(manualId);
  }

  get(id: string): IndexedChunk | undefined {
    return this.chunks.get(id);
  }

  /** Passages ranked by BM25, the ones that do not answer the question left out. */
  search(query: string, opts: { limit?: number; minCoverage?: number; subject?: string | null } = {}): LexicalHit[] {
    const queryTerms = [...new Set(terms(query))];
    if (!queryTerms.length || !this.chunks.size) return [];
    const weight = new Map(queryTerms.map((t) => [t, this.idf(t)]));
    const total = [...weight.values()].reduce((a, b) => a + b, 0);
    const asksAbout = new Set(queryTerms);
    const hits: LexicalHit[] = [];
    // Coverage can reorder only what BM25 already ranks high; looking further costs time, not answers.
    // MiniSearch tokenizes and stems the query as it did the passages (stemming twice would change words).
    for (const r of this.mini.search(query).slice(0, CANDIDATES)) {
      const chunk = this.chunks.get(String(r.id));
      if (!chunk) continue;
      const matched = new Set(r.queryTerms);
      const coverage = [...matched].reduce((a, t) => a + (weight.get(t) ?? 0), 0) / total;
      if (coverage < (opts.minCoverage ?? MIN_COVERAGE)) continue;
      const offSubject = Boolean(chunk.subject && chunk.subject !== opts.subject && !asksAbout.has(chunk.subject));
      hits.push({ chunk, coverage, offSubject, score: r.score * (0.5 + coverage) });
    }
    // A manual about another machine answers only when no manual about this one does.
    const onSubject = hits.filter((h) => !h.offSubject);
    return (onSubject.length ? onSubject : hits).sort((a, b) => b.score - a.score).slice(0, opts.limit ?? 5);
  }

  private idf(term: string): number {
    const n = this.chunks.size;
    const df = this.df.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }
}

// Machines a motor's manual is not about. Driven loads (pumps, fans, compressors) are left out: their manuals
// cover the motor-and-load set (alignment, bearings) and stay in scope.
const SUBJECTS = ['generator', 'transformer', 'turbine', 'boiler', 'switchgear'] as const;

/**
 * The machine a manual is about, from how often it names one: null for motor manuals and for anything
 * undecided, so only a manual that is clearly about something else ranks lower in a motor's chat.
 */
export function subjectOf(text: string): string | null {
  const count = (w: string) => (text.toLowerCase().match(new RegExp(`\\b${w}s?\\b`, 'g')) ?? []).length;
  const motor = count('motor');
  let best: { s: string; n: number } | null = null;
  for (const s of SUBJECTS) {
    const n = count(s);
    if (n > (best?.n ?? 0)) best = { s, n };
  }
  return best && best.n >= 2 && best.n > 2 * motor ? processTerm(best.s) : null;
}
