import MiniSearch from 'minisearch';
import { expandQuery, type QueryTerm } from './queryTerms';
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

/** Below this coverage a passage does not answer the question... */
export const MIN_COVERAGE = 0.5;
/**
 * ...unless it shares at least this many of the question's words that are not in most passages, with a coverage
 * still this high: a question put in words of its own ("debris" for "particles") loses coverage to words the
 * manuals never use, but a passage with three of its specific words is on its topic all the same.
 */
const ON_TOPIC_WORDS = 3;
const ON_TOPIC_COVERAGE = 0.35;

const TITLE_CREDIT = 0.5;
/**
 * Term proximity (BM25TP, Rasolofo and Savoy 2003): two of the question's words a word or two apart in a passage
 * ("inspect bearings for wear") say more than the same words a paragraph apart. Pairs further apart than this
 * count nothing.
 */
const NEAR_WORDS = 5;
/** MiniSearch's default term-frequency saturation, used for proximity alike. */
const BM25_K1 = 1.2;

const answers = (coverage: number, shared: number, min: number) => coverage >= min || (shared >= ON_TOPIC_WORDS && coverage >= Math.min(min, ON_TOPIC_COVERAGE));
const CANDIDATES = 200;

export class ManualIndex {
  private readonly mini = new MiniSearch<IndexedChunk>({
    idField: 'id',
    // The manual's title is context every passage of it shares ("Auxiliary Generators", "Motor control
    // trouble-shooting chart"): it ranks, but a word found only there counts half towards coverage.
    fields: ['text', 'section', 'title'],
    tokenize,
    processTerm,
    searchOptions: { boost: { section: 1.5, title: 0.5 }, combineWith: 'OR', prefix: false, fuzzy: false },
  });
  private readonly chunks = new Map<string, IndexedChunk>();
  private readonly byManual = new Map<string, string[]>();
  private readonly df = new Map<string, number>();
  /** Each passage's terms by word position (null for a word that is not a term), made when first ranked. */
  private readonly positions = new Map<string, Array<string | null>>();

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
      this.positions.delete(id);
      this.mini.discard(id);
    }
    this.byManual.delete(manualId);
  }

  get(id: string): IndexedChunk | undefined {
    return this.chunks.get(id);
  }

  /** Every passage, for measuring retrieval against other methods over the same passages. */
  passages(): IndexedChunk[] {
    return [...this.chunks.values()];
  }

  /** Passages ranked by BM25, the ones that do not answer the question left out. */
  search(query: string, opts: { limit?: number; minCoverage?: number; subject?: string | null } = {}): LexicalHit[] {
    const asked = expandQuery([...new Set(terms(query))], (t) => this.df.has(t));
    if (!asked.length || !this.chunks.size) return [];
    // A word's weight is how rare it is (a word the manuals lack entirely weighs most: it is what they do not cover).
    const weight = new Map(asked.map((q) => [q.term, this.idf(q.term)]));
    const total = [...weight.values()].reduce((a, b) => a + b, 0);
    const boost = new Map<string, number>();
    for (const q of asked) for (const a of q.also) if (!weight.has(a.term)) boost.set(a.term, Math.max(boost.get(a.term) ?? 0, a.weight));
    const tokens = tokenize(query);
    // Which question word each index term stands for, and its weight, for proximity.
    const weights = asked.map((q) => weight.get(q.term) ?? 0);
    const which = new Map<string, number>();
    asked.forEach((q, i) => {
      which.set(q.term, i);
      for (const a of q.also) if (!which.has(a.term)) which.set(a.term, i);
    });
    const hits: LexicalHit[] = [];
    // Coverage can reorder only what BM25 already ranks high; looking further costs time, not answers.
    // The terms are stems already: MiniSearch takes them as they are.
    const results = this.mini.search([...weight.keys(), ...boost.keys()].join(' '), { tokenize: (q) => q.split(' '), processTerm: (t) => t, boostTerm: (t) => boost.get(t) ?? 1 });
    for (const r of results.slice(0, CANDIDATES)) {
      const chunk = this.chunks.get(String(r.id));
      if (!chunk) continue;
      // A manual about the machine the question names is about it on every page, whether a passage repeats the word or not.
      const about = chunk.subject && names(tokens, chunk.subject) ? processTerm(chunk.subject) : null;
      const found = (t: string) => (t === about ? 1 : !r.match[t] ? 0 : r.match[t].some((f) => f !== 'title') ? 1 : TITLE_CREDIT);
      const credit = (q: QueryTerm) => Math.max(found(q.term), ...q.also.map((a) => a.weight * found(a.term)));
      const coverage = asked.reduce((a, q) => a + (weight.get(q.term) ?? 0) * credit(q), 0) / total;
      const shared = asked.filter((q) => credit(q) > 0 && (this.df.get(q.term) ?? 0) <= this.chunks.size / 2).length;
      if (!answers(coverage, shared, opts.minCoverage ?? MIN_COVERAGE)) continue;
      const offSubject = Boolean(chunk.subject && chunk.subject !== opts.subject && !names(tokens, chunk.subject));
      hits.push({ chunk, coverage, offSubject, score: (r.score + r.terms.length * this.proximity(chunk, which, weights)) * (0.5 + coverage) });
    }
    // A manual about another machine answers only when no manual about this one does; a question that names a
    // machine ("the generator stator") is answered from the manuals about that machine when one does.
    const named = hits.filter((h) => h.chunk.subject && names(tokens, h.chunk.subject));
    const onSubject = hits.filter((h) => !h.offSubject);
    return (named.length ? named : onSubject.length ? onSubject : hits).sort((a, b) => b.score - a.score).slice(0, opts.limit ?? 5);
  }

  /**
   * The BM25TP proximity score: for each pair of different question words, 1/d² summed over their occurrences d
   * words apart (d <= NEAR_WORDS), saturated like a term frequency and weighted by the rarer word's weight.
   */
  private proximity(chunk: IndexedChunk, which: Map<string, number>, weights: number[]): number {
    let words = this.positions.get(chunk.id);
    if (!words) {
      words = tokenize(chunk.text).map(processTerm);
      this.positions.set(chunk.id, words);
    }
    const n = weights.length;
    const acc = new Float64Array(n * n);
    // The question words seen in the last NEAR_WORDS words: which one, and where.
    const nearQ: number[] = [];
    const nearAt: number[] = [];
    for (let at = 0; at < words.length; at++) {
      const w = words[at];
      const q = w === null ? undefined : which.get(w);
      if (q === undefined) continue;
      while (nearAt.length && at - nearAt[0] > NEAR_WORDS) {
        nearAt.shift();
        nearQ.shift();
      }
      for (let k = 0; k < nearAt.length; k++) {
        const d = at - nearAt[k];
        if (nearQ[k] !== q) acc[Math.min(q, nearQ[k]) * n + Math.max(q, nearQ[k])] += 1 / (d * d);
      }
      nearQ.push(q);
      nearAt.push(at);
    }
    let score = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const a = acc[i * n + j];
        if (a > 0) score += (Math.min(weights[i], weights[j]) * a * (BM25_K1 + 1)) / (BM25_K1 + a);
      }
    }
    return score;
  }

  private idf(term: string): number {
    const n = this.chunks.size;
    const df = this.df.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }
}

/**
 * Whether the question names the machine, by its word (singular or plural; a subject stored stemmed by an
 * earlier version still matches): stems would take "generated heat" for a question about a generator.
 */
const names = (tokens: string[], subject: string) => {
  const base = (w: string) => w.replace(/'s$/, '').replace(/s$/, '').replace(/e$/, '');
  return tokens.some((t) => base(t) === base(subject));
};

// Machines a motor's manual is not about. Driven loads (pumps, fans, compressors) are left out: their manuals
// cover the motor-and-load set (alignment, bearings) and stay in scope.
const SUBJECTS = ['generator', 'transformer', 'turbine', 'boiler', 'switchgear'] as const;

/**
 * The machine a manual is about (the word, unstemmed), from how often it names one: null for motor manuals and for anything
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
  return best && best.n >= 2 && best.n > 2 * motor ? best.s : null;
}
