import type { MotorDatabase } from '../store/database';
import type { ManualInfo } from '../../shared/agentContract';
import type { ManualChunk } from './chunk';
import type { ExtractedPage } from './extract';

// The manuals in DuckDB: one row per manual, its pages (for the viewer) and its passages (with an embedding
// when an embeddings endpoint is configured). A manual's pages and passages are written first and its row
// last, so a crash mid-import leaves orphans that the next start removes, never half a manual.

export interface StoredManual extends ManualInfo {
  sha256: string;
}

const BATCH = 200;

export class ManualStore {
  constructor(private readonly db: MotorDatabase) {}

  async removeOrphans(): Promise<void> {
    await this.db.run('DELETE FROM manual_chunks WHERE manual_id NOT IN (SELECT id FROM manuals)');
    await this.db.run('DELETE FROM manual_pages WHERE manual_id NOT IN (SELECT id FROM manuals)');
  }

  async list(): Promise<StoredManual[]> {
    const rows = await this.db.query(
      `SELECT id, name, kind, title, sha256, bytes, pages, chunks, subject, origin, embedded, epoch_ms(imported_at)::DOUBLE AS imported_at
       FROM manuals ORDER BY lower(name)`,
    );
    return rows.map((r) => ({
      id: String(r.id),
      name: String(r.name),
      kind: r.kind as StoredManual['kind'],
      title: String(r.title),
      sha256: String(r.sha256),
      bytes: Number(r.bytes),
      pages: Number(r.pages),
      chunks: Number(r.chunks),
      subject: r.subject === null ? null : String(r.subject),
      origin: r.origin as StoredManual['origin'],
      embedded: Boolean(r.embedded),
      importedAt: Number(r.imported_at),
    }));
  }

  async chunks(): Promise<Array<ManualChunk & { manualId: string }>> {
    const rows = await this.db.query('SELECT manual_id, ord, page, section, text FROM manual_chunks ORDER BY manual_id, ord');
    return rows.map((r) => ({ manualId: String(r.manual_id), ord: Number(r.ord), page: Number(r.page), section: r.section === null ? null : String(r.section), text: String(r.text) }));
  }

  async save(m: StoredManual, pages: ExtractedPage[], chunks: ManualChunk[], embeddings: number[][] | null): Promise<void> {
    for (let i = 0; i < pages.length; i += BATCH) {
      const part = pages.slice(i, i + BATCH);
      await this.db.run(
        `INSERT INTO manual_pages VALUES ${part.map((_, k) => `($${3 * k + 1}, $${3 * k + 2}, $${3 * k + 3})`).join(', ')}`,
        part.flatMap((p) => [m.id, p.page, p.text]),
      );
    }
    for (let i = 0; i < chunks.length; i += BATCH) {
      const part = chunks.slice(i, i + BATCH);
      await this.db.run(
        `INSERT INTO manual_chunks VALUES ${part.map((_, k) => `($${6 * k + 1}, $${6 * k + 2}, $${6 * k + 3}, $${6 * k + 4}, $${6 * k + 5}, $${6 * k + 6}::FLOAT[])`).join(', ')}`,
        part.flatMap((c, k) => [m.id, c.ord, c.page, c.section, c.text, embeddings ? JSON.stringify(embeddings[i + k]) : null]),
      );
    }
    await this.db.run(
      'INSERT INTO manuals VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, make_timestamp($12::BIGINT * 1000))',
      [m.id, m.name, m.kind, m.title, m.sha256, m.bytes, m.pages, m.chunks, m.subject, m.origin, m.embedded, m.importedAt],
    );
  }

  async remove(id: string): Promise<void> {
    await this.db.run('DELETE FROM manuals WHERE id = $1', [id]);
    await this.db.run('DELETE FROM manual_chunks WHERE manual_id = $1', [id]);
    await this.db.run('DELETE FROM manual_pages WHERE manual_id = $1', [id]);
  }

  async page(id: string, page: number): Promise<string | null> {
    const rows = await this.db.query('SELECT text FROM manual_pages WHERE manual_id = $1 AND page = $2', [id, page]);
    return rows[0] ? String(rows[0].text) : null;
  }

  async pageNumbers(id: string): Promise<number[]> {
    return (await this.db.query('SELECT page FROM manual_pages WHERE manual_id = $1 ORDER BY page', [id])).map((r) => Number(r.page));
  }

  /** Passages nearest to a query vector (cosine), scanned in DuckDB. */
  async nearest(vector: number[], limit: number): Promise<Array<{ manualId: string; ord: number; similarity: number }>> {
    const rows = await this.db.query(
      `SELECT manual_id, ord, list_cosine_similarity(embedding, $1::FLOAT[]) AS sim FROM manual_chunks
       WHERE embedding IS NOT NULL AND len(embedding) = $2 ORDER BY sim DESC LIMIT $3`,
      [JSON.stringify(vector), vector.length, limit],
    );
    return rows.map((r) => ({ manualId: String(r.manual_id), ord: Number(r.ord), similarity: Number(r.sim) }));
  }
}
