import { ManualLibrary } from '../src/main/manuals/library';
import { terms } from '../src/main/manuals/terms';
import { allPairs, isHeldOut, qaLibrary, recallAt, supports, type QaPair } from '../tests/support/manualQa';
import { tempDir } from '../tests/support/tools';
import { round, type Figure } from './figure';

/**
 * Whether the chat's offline manual search finds the evidence: recall@3 of each question's supporting passage
 * over every pair (../shared/data/manual-qa.json and tests/fixtures/manual-qa-extra.json), with the starter
 * guide in the library as on a first run; then the half held out from tuning and the half tuned on, apart.
 * Baseline: a plain count of the question's terms in each of the same passages. Deterministic, a few seconds.
 */
export async function benchManualQa(): Promise<Figure[]> {
  const { db, lib } = await qaLibrary(tempDir());
  try {
    const pairs = allPairs();
    const sets: Array<[string, string, QaPair[]]> = [
      ['manual_qa_recall_at_3', `all ${pairs.length} pairs`, pairs],
      ['manual_qa_recall_at_3_held_out', 'pairs held out from tuning', pairs.filter(isHeldOut)],
      ['manual_qa_recall_at_3_tuned', 'pairs tuned on', pairs.filter((p) => !isHeldOut(p))],
    ];
    const figures: Figure[] = [];
    for (const [name, what, set] of sets) {
      const ours = (await recallAt(lib, set, 3)).recall;
      const base = scanRecall(lib, set);
      figures.push({
        name,
        value: round(ours, 3),
        unit: `recall@3 (${what})`,
        baseline: round(base, 3),
        baselineName: 'a plain count of the question terms in each of the same passages, top 3',
        ratio: base > 0 ? round(ours / base) : null,
        goal: '>= 0.95',
        pass: ours >= 0.95,
      });
    }
    return figures;
  } finally {
    db.close();
  }
}

function scanRecall(lib: ManualLibrary, pairs: QaPair[]): number {
  const passages = lib.index.passages().map((c) => ({ c, terms: terms(c.text) }));
  let found = 0;
  for (const p of pairs) {
    const asked = new Set(terms(p.question));
    const top = passages
      .map((x) => ({ c: x.c, n: x.terms.filter((t) => asked.has(t)).length }))
      .sort((a, b) => b.n - a.n)
      .slice(0, 3);
    if (top.some((x) => supports({ source: x.c.document, text: x.c.text }, p))) found++;
  }
  return pairs.length ? found / pairs.length : 0;
}
