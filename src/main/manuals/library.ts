import { EventEmitter } from 'node:events';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ManualImport, ManualInfo } from '../../shared/agentContract';
import type { MotorDatabase } from '../store/database';
import type { SettingsStore } from '../agent/settingsStore';
import type { ManualChunk } from './chunk';
import { extractDocument, kindOf } from './extract';
import { ManualIndex, subjectOf, type IndexedChunk } from './searchIndex';
import { ManualStore, type StoredManual } from './manualStore';
import { manualSources, sizeProblem, type ManualSource } from './sources';

// The manuals on this laptop: import (PDF, Markdown, HTML, text; files or folders), re-import replaces a
// changed file, remove removes its passages, and search (BM25 offline, plus vectors when an embeddings
// endpoint is configured). Imports run one at a time and report their progress.

export interface Embedder {
  embed(texts: string[]): Promise<number[][]>;
}

export interface ManualHit {
  manualId: string;
  source: string;
  title: string;
  page: number;
  section: string | null;
  text: string;
  score: number;
}

type Events = { progress: [ManualImport] };

const RRF_K = 60;
/** A passage found only by its vector must be this similar to count as an answer. */
const VECTOR_ALONE = 0.8;
const VECTOR_WITH_LEXICAL = 0.5;
const EMBED_BATCH = 64;
const PROGRESS_EVERY_MS = 100;

export class ManualLibrary extends EventEmitter<Events> {
  readonly index = new ManualIndex();
  private readonly store: ManualStore;
  private manuals = new Map<string, StoredManual>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    db: MotorDatabase,
    private readonly settings: SettingsStore,
    /** The embeddings endpoint, when one is configured (hybrid search); null keeps retrieval lexical. */
    private readonly embedder: () => Embedder | null = () => null,
    private readonly log: (what: string, e: Error) => void = () => undefined,
  ) {
    super();
    this.store = new ManualStore(db);
  }

  async load(): Promise<void> {
    await this.store.removeOrphans();
    this.manuals = new Map((await this.store.list()).map((m) => [m.id, m]));
    const byManual = new Map<string, Array<ManualChunk & { manualId: string }>>();
    for (const c of await this.store.chunks()) {
      const list = byManual.get(c.manualId) ?? [];
      list.push(c);
      byManual.set(c.manualId, list);
    }
    for (const [id, chunks] of byManual) {
      const m = this.manuals.get(id);
      if (m) this.index.add(chunks.map((c) => this.indexed(m, c)));
    }
  }

  list(): ManualInfo[] {
    return [...this.manuals.values()].map(({ sha256: _s, ...m }) => m).sort((a, b) => a.name.localeCompare(b.name));
  }

  get(id: string): ManualInfo | undefined {
    return this.list().find((m) => m.id === id);
  }

  /** Imports one file's bytes; resolves with its final status (never rejects: a bad file is a "failed" status). */
  importFile(name: string, bytes: Uint8Array, opts: { origin?: 'starter' | 'user'; importId?: string } = {}): Promise<ManualImport> {
    const progress: ManualImport = { importId: opts.importId ?? randomUUID(), name: basename(name), status: 'queued', pagesDone: 0, pagesTotal: 0, message: null, manualId: null };
    this.emit('progress', { ...progress });
    const run = this.queue.then(() => this.runImport(progress, bytes, opts.origin ?? 'user'));
    // The caller gets run's outcome; the queue only needs to move on.
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Files and folders (recursively; only the kinds MotorTwin reads) from the engine's own disk, within the
   * rules of manualSources: a file it skips is a "failed" result with the reason, and the rest go on.
   */
  async importPaths(paths: string[]): Promise<ManualImport[]> {
    const { files, skipped } = await manualSources(paths);
    const results = skipped.map((s) => failed(s.name, s.reason));
    // One file at a time: only the file being imported is in memory.
    for (const f of files) results.push(await this.importSource(f));
    return results;
  }

  private async importSource(f: ManualSource): Promise<ManualImport> {
    const bytes = await readFile(f.path).catch((e: Error) => e);
    return bytes instanceof Error ? failed(f.name, bytes.message) : this.importFile(f.name, bytes);
  }

  /** Imports the starter library once; a starter manual the user removed stays removed, an updated one is replaced. */
  async ensureStarter(dir: string): Promise<void> {
    if (!existsSync(dir)) return;
    const done = ((await this.settings.get('starterManuals')) ?? {}) as Record<string, string>;
    for (const { path, name } of (await manualSources([dir])).files) {
      const bytes = await readFile(path);
      const sha = sha256(bytes);
      const present = [...this.manuals.values()].some((m) => m.name === name);
      if (done[name] === sha || (done[name] && !present)) continue;
      const r = await this.importFile(name, bytes, { origin: 'starter' });
      if (r.status === 'done' || r.status === 'unchanged') done[name] = sha;
      else this.log(`importing the starter manual ${name}`, new Error(r.message ?? r.status));
    }
    await this.settings.set('starterManuals', done);
  }

  async remove(id: string): Promise<boolean> {
    const m = this.manuals.get(id);
    if (!m) return false;
    await this.queue;
    await this.store.remove(id);
    this.index.removeManual(id);
    this.manuals.delete(id);
    return true;
  }

  async page(id: string, page: number): Promise<{ manual: ManualInfo; page: number; pages: number[]; text: string } | null> {
    const manual = this.get(id);
    if (!manual) return null;
    const text = await this.store.page(id, page);
    if (text === null) return null;
    return { manual, page, pages: await this.store.pageNumbers(id), text };
  }

  /** The passages that answer the query, best first; empty when the manuals do not answer it. */
  async search(query: string, opts: { limit?: number; subject?: string | null } = {}): Promise<ManualHit[]> {
    const limit = opts.limit ?? 5;
    const lexical = this.index.search(query, { limit: 30, subject: opts.subject });
    const embedder = this.embedder();
    const embedded = [...this.manuals.values()].some((m) => m.embedded);
    if (!embedder || !embedded) return lexical.slice(0, limit).map((h) => this.hit(h.chunk, h.score));
    let near: Array<{ chunk: IndexedChunk; similarity: number }>;
    try {
      const [vector] = await embedder.embed([query]);
      near = (await this.store.nearest(vector, 30))
        .map((n) => ({ chunk: this.index.get(`${n.manualId}:${n.ord}`), similarity: n.similarity }))
        .filter((n): n is { chunk: IndexedChunk; similarity: number } => n.chunk !== undefined);
    } catch (e) {
      this.log('embedding the question (lexical search only)', e as Error);
      return lexical.slice(0, limit).map((h) => this.hit(h.chunk, h.score));
    }
    const floor = lexical.length ? VECTOR_WITH_LEXICAL : VECTOR_ALONE;
    const fused = new Map<string, { chunk: IndexedChunk; score: number }>();
    const addRank = (chunk: IndexedChunk, rank: number) => {
      const f = fused.get(chunk.id) ?? { chunk, score: 0 };
      f.score += 1 / (RRF_K + rank);
      fused.set(chunk.id, f);
    };
    lexical.forEach((h, i) => addRank(h.chunk, i));
    near.filter((n) => n.similarity >= floor).forEach((n, i) => addRank(n.chunk, i));
    let ranked = [...fused.values()];
    const onSubject = ranked.filter((f) => !f.chunk.subject || f.chunk.subject === opts.subject);
    if (onSubject.length) ranked = onSubject;
    return ranked
      .sort((a, b) => b.score - a.score)
      .slice(0, limit)
      .map((f) => this.hit(f.chunk, f.score));
  }

  private async runImport(progress: ManualImport, bytes: Uint8Array, origin: 'starter' | 'user'): Promise<ManualImport> {
    const update = (patch: Partial<ManualImport>) => {
      Object.assign(progress, patch);
      this.emit('progress', { ...progress });
    };
    try {
      const kind = kindOf(progress.name);
      if (!kind) throw new Error(`not a manual MotorTwin can read (PDF, Markdown, HTML or text)`);
      const tooLarge = sizeProblem(bytes.length);
      if (tooLarge) throw new Error(tooLarge);
      const sha = sha256(bytes);
      const previous = [...this.manuals.values()].find((m) => m.name.toLowerCase() === progress.name.toLowerCase());
      if (previous?.sha256 === sha) {
        update({ status: 'unchanged', manualId: previous.id, pagesDone: previous.pages, pagesTotal: previous.pages, message: 'already imported, unchanged' });
        return { ...progress };
      }
      update({ status: 'reading' });
      let lastSent = 0;
      const doc = await extractDocument(progress.name, bytes, (done, total) => {
        progress.pagesDone = done;
        progress.pagesTotal = total;
        const now = Date.now();
        if (now - lastSent >= PROGRESS_EVERY_MS || done === total) {
          lastSent = now;
          this.emit('progress', { ...progress });
        }
      });
      if (!doc.pages.length) throw new Error(kind === 'pdf' ? 'no text in this PDF (a scanned PDF needs OCR first)' : 'the file is empty');
      update({ status: 'indexing' });
      // The splitter brings LangChain's core with it: loaded with the first manual imported, not at every start.
      const { chunkPages } = await import('./chunk');
      const chunks = await chunkPages(doc.pages, doc.kind);
      const embeddings = await this.embedChunks(chunks, update);
      const manual: StoredManual = {
        id: randomUUID(),
        name: progress.name,
        kind: doc.kind,
        title: doc.title,
        sha256: sha,
        bytes: bytes.length,
        pages: doc.pages.length,
        chunks: chunks.length,
        subject: subjectOf(doc.pages.map((p) => p.text).join('\n')),
        origin: previous?.origin ?? origin,
        embedded: embeddings !== null,
        importedAt: Date.now(),
      };
      await this.store.save(manual, doc.pages, chunks, embeddings);
      if (previous) {
        await this.store.remove(previous.id);
        this.index.removeManual(previous.id);
        this.manuals.delete(previous.id);
      }
      this.manuals.set(manual.id, manual);
      this.index.add(chunks.map((c) => this.indexed(manual, c)));
      const note = embeddings === null && this.embedder() ? 'indexed for lexical search only: the embeddings endpoint failed' : previous ? 'replaced the earlier version' : null;
      update({ status: 'done', manualId: manual.id, message: note });
    } catch (e) {
      update({ status: 'failed', message: (e as Error).message });
    }
    return { ...progress };
  }

  private async embedChunks(chunks: ManualChunk[], update: (p: Partial<ManualImport>) => void): Promise<number[][] | null> {
    const embedder = this.embedder();
    if (!embedder) return null;
    update({ status: 'embedding' });
    try {
      const out: number[][] = [];
      for (let i = 0; i < chunks.length; i += EMBED_BATCH) out.push(...(await embedder.embed(chunks.slice(i, i + EMBED_BATCH).map((c) => c.text))));
      return out.length === chunks.length ? out : null;
    } catch (e) {
      this.log('embedding manual passages', e as Error);
      return null;
    }
  }

  private indexed(m: StoredManual, c: ManualChunk): IndexedChunk {
    return { id: `${m.id}:${c.ord}`, manualId: m.id, document: m.name, title: m.title, page: c.page, section: c.section, text: c.text, subject: m.subject };
  }

  private hit(c: IndexedChunk, score: number): ManualHit {
    return { manualId: c.manualId, source: c.document, title: c.title, page: c.page, section: c.section, text: c.text, score };
  }
}

const failed = (name: string, message: string): ManualImport => ({ importId: randomUUID(), name, status: 'failed', pagesDone: 0, pagesTotal: 0, message, manualId: null });

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
