import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MotorDatabase } from '../../src/main/store/database';
import { SettingsStore } from '../../src/main/agent/settingsStore';
import { ManualLibrary } from '../../src/main/manuals/library';
import { CitationBook, formatPassages } from '../../src/main/agent/tools';
import { ROOT } from '../support/cli';
import { tempDir } from '../support/tools';

// Retrieval quality on real, messy manual text (../shared/data/manuals: PDF extracts with interleaved columns),
// with the starter guide in the library as it is on first run. The figures are printed.

const DATA = resolve(ROOT, '../shared/data');
const GENERATOR = 'tm5-685_mo912_generator_maintenance_mo9120097.txt';

interface Pair {
  id: string;
  question: string;
  supporting_passage: string;
  file: string;
}

const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('retrieval over the public-domain manuals', () => {
  let db: MotorDatabase;
  let lib: ManualLibrary;
  const pairs = (JSON.parse(readFileSync(join(DATA, 'manual-qa.json'), 'utf8')) as { pairs: Pair[] }).pairs;

  beforeAll(async () => {
    db = await MotorDatabase.open(join(tempDir(), 'r.duckdb'));
    lib = new ManualLibrary(db, new SettingsStore(db));
    await lib.load();
    await lib.ensureStarter(join(ROOT, 'resources', 'manuals'));
    const results = await lib.importPaths(readdirSync(join(DATA, 'manuals')).map((f) => join(DATA, 'manuals', f)));
    expect(results.every((r) => r.status === 'done')).toBe(true);
  });
  afterAll(() => db?.close());

  it('puts the supporting passage in the top 3 for every question, and prints recall@1 and recall@3', async () => {
    let at1 = 0;
    let at3 = 0;
    const misses: string[] = [];
    for (const p of pairs) {
      const hits = await lib.search(p.question, { limit: 3 });
      const rank = hits.findIndex((h) => h.source === p.file.split('/').pop() && flat(h.text).includes(flat(p.supporting_passage)));
      if (rank === 0) at1++;
      if (rank >= 0) at3++;
      else misses.push(`${p.id}: ${hits.map((h) => `${h.source} p${h.page}`).join(', ') || 'nothing'}`);
    }
    const recall1 = at1 / pairs.length;
    const recall3 = at3 / pairs.length;
    process.stdout.write(`retrieval on manual-qa.json (${pairs.length} questions): recall@1 = ${recall1.toFixed(2)}, recall@3 = ${recall3.toFixed(2)}\n`);
    expect(misses).toEqual([]);
    expect(recall3).toBe(1);
  });

  it('does not return the generator manual for motor questions', async () => {
    for (const p of pairs) {
      const hits = await lib.search(p.question, { limit: 3 });
      expect(hits.map((h) => h.source), p.id).not.toContain(GENERATOR);
    }
    // Asked about generators, it answers from the generator manual.
    expect((await lib.search('How often should the generator stator be opened up and cleaned?'))[0]?.source).toBe(GENERATOR);
  });

  it('says "not found in the manuals" for questions the manuals do not answer', async () => {
    for (const q of [
      'What torque do the terminal box screws need?',
      'How do I set the Modbus address of the variable frequency drive?',
      'What is the warranty period of the motor?',
      'Which firmware version does the ESP32 board need?',
    ]) {
      const hits = await lib.search(q);
      expect(hits, q).toEqual([]);
      expect(formatPassages(q, hits.map((h) => new CitationBook().add(h)))).toMatch(/^not found in the manuals/);
    }
  });

  it('answers the questions of the chat from the starter guide, cited by page and section', async () => {
    const cases: Array<[string, RegExp]> = [
      ['what does the manual say about bearing noise?', /Bearings and bearing noise|bearing noise/i],
      ['why is the motor running hot?', /Overheating/],
      ['What insulation resistance is too low to start the motor?', /insulation/i],
      ['high 2x running speed vibration with high axial', /Vibration/],
    ];
    for (const [q, section] of cases) {
      const [top] = await lib.search(q);
      expect(top?.source, q).toBe('motortwin-demo-motor-maintenance-guide.md');
      expect(top.section, q).toMatch(section);
    }
  });
});
