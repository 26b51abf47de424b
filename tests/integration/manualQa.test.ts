import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StructuredToolInterface } from '@langchain/core/tools';
import type { MotorDatabase } from '../../src/main/store/database';
import type { ManualLibrary } from '../../src/main/manuals/library';
import { extractDocument } from '../../src/main/manuals/extract';
import { CitationBook, type ToolContext } from '../../src/main/agent/tools';
import { createTools } from '../../src/main/agent/modelTools';
import type { TwinSource } from '../../src/main/agent/twinFacts';
import { allPairs, extraPairs, isHeldOut, manualPath, PROBES, PROBES_ANSWERED, PROBES_FRESH, PROBES_FRESH_ANSWERED, qaLibrary, recallAt, supports } from '../support/manualQa';
import { ROOT } from '../support/cli';
import { tempDir } from '../support/tools';

// The manual question set (tests/fixtures/manual-qa-extra.json with ../shared/data/manual-qa.json): its
// passages stand in the manuals as written, the offline search finds them, and the chat's tool cites them.
// `npm run bench -- --only=manualqa` prints the same recall figures.

/**
 * Recall@3 reached: 0.955 over 88 pairs (held-out 0.917, tuned 0.981), the goal being 0.95. A floor, so a change
 * that loses answers fails. The misses left are words the manuals never use for the question's (decides/determined,
 * send out/contract, burning out early/short coil life) and a passage that lacks the question's topic word.
 */
const RECALL_FLOOR = 0.95;

describe('manual question set', () => {
  let db: MotorDatabase;
  let lib: ManualLibrary;
  const pairs = allPairs();

  beforeAll(async () => {
    ({ db, lib } = await qaLibrary(tempDir()));
  });
  afterAll(() => db?.close());

  it('has at least 40 pairs of our own, each id once, each supporting passage an exact substring of its manual', () => {
    expect(extraPairs().length).toBeGreaterThanOrEqual(40);
    expect(new Set(pairs.map((p) => p.id)).size).toBe(pairs.length);
    for (const p of pairs) {
      expect(readFileSync(manualPath(p), 'utf8').includes(p.supporting_passage), p.id).toBe(true);
      expect(p.question.includes(p.supporting_passage), `${p.id} copies its passage`).toBe(false);
    }
  });

  it('finds the supporting passage in the top 3, offline, on the held-out half as on the tuned half', async () => {
    const held = await recallAt(lib, pairs.filter(isHeldOut), 3);
    const tuned = await recallAt(lib, pairs.filter((p) => !isHeldOut(p)), 3);
    const all = (held.recall * held.n + tuned.recall * tuned.n) / pairs.length;
    process.stdout.write(`manual QA recall@3: all ${all.toFixed(3)} (${pairs.length}), held-out ${held.recall.toFixed(3)} (${held.n}), tuned ${tuned.recall.toFixed(3)} (${tuned.n})\n`);
    expect(all).toBeGreaterThanOrEqual(RECALL_FLOOR);
    expect(held.recall).toBeGreaterThanOrEqual(RECALL_FLOOR - 0.05);
  });

  it('says "not found" for questions written to be outside every manual', async () => {
    const questions = (JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', 'manual-qa-extra.json'), 'utf8')) as { unanswerable: string[] }).unanswerable;
    for (const q of questions) expect((await lib.search(q)).map((h) => h.source), q).toEqual([]);
  });

  it('answers no more of the out-of-scope probes than it did', async () => {
    for (const [name, probes, before] of [
      ['out-of-scope probes', PROBES, PROBES_ANSWERED],
      ['fresh out-of-scope probes', PROBES_FRESH, PROBES_FRESH_ANSWERED],
    ] as const) {
      const answered = [];
      for (const q of probes) if ((await lib.search(q)).length) answered.push(q);
      process.stdout.write(`${name} answered: ${answered.length} of ${probes.length}\n`);
      expect(answered.filter((q) => !before.includes(q)), name).toEqual([]);
    }
  });

  it("has the chat's search_manuals tool cite the supporting passage's manual and page", async () => {
    const citations = new CitationBook();
    const ctx: ToolContext = {
      source: { twins: { all: () => [] } } as unknown as TwinSource,
      manuals: lib,
      proposer: null,
      motorId: 'motor_01',
      agentName: 'test',
      citations,
      step: () => undefined,
    };
    const tool = createTools(ctx).find((t) => t.name === 'search_manuals') as StructuredToolInterface;
    // A sample across the manuals, each a pair the search finds (the recall test above counts the others).
    const sample = [];
    for (const p of pairs.filter((_, i) => i % 5 === 0)) if ((await lib.search(p.question, { limit: 3 })).some((h) => supports(h, p))) sample.push(p);
    expect(sample.length).toBeGreaterThanOrEqual(10);
    for (const p of sample) {
      const file = manualPath(p).split('/').pop()!;
      const doc = await extractDocument(file, readFileSync(manualPath(p)));
      const page = doc.pages.find((pg) => pg.text.includes(p.supporting_passage))!.page;
      const out = String(await tool.invoke({ query: p.question }));
      const cited = citations.all().find((c) => supports(c, p));
      expect(cited, p.id).toBeDefined();
      expect(cited!.page, p.id).toBe(page);
      expect(out, p.id).toContain(`[${cited!.n}] ${cited!.title} (${file}), page ${page}`);
    }
  });
});
