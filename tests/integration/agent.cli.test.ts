import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli';
import { tempDir } from '../support/tools';
import { startFakeOpenAi, toolResultsOf, type FakeOpenAi } from '../support/fakeOpenAi';
import { makePdf } from '../support/pdf';

// `motortwin ask` and `motortwin manuals` as a user runs them, on a data folder of their own.
describe('motortwin ask and manuals', () => {
  const dataDir = tempDir();
  let fake: FakeOpenAi;

  beforeAll(async () => {
    fake = await startFakeOpenAi({
      brain: (req) =>
        toolResultsOf(req).length ? { content: 'Regrease the bearing [1].' } : { toolCalls: [{ name: 'search_manuals', args: { query: 'regrease interval drive end bearing' } }] },
    });
  });
  afterAll(() => fake?.close());

  it('adds a folder of manuals, lists them, and removes one', async () => {
    const folder = join(dataDir, 'docs');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(folder);
    writeFileSync(join(folder, 'pump.pdf'), makePdf([['Pump motor'], ['Regrease the drive end bearing every 2000 hours.']]));
    writeFileSync(join(folder, 'notes.txt'), 'Foot bolts: 80 Nm.');
    const add = await runCli(['manuals', 'add', folder, '--data-dir', dataDir]);
    expect(add.stdout).toMatch(/done\s+notes\.txt/);
    expect(add.stdout).toMatch(/done\s+pump\.pdf \(2 pages\)/);
    expect(add.code).toBe(0);
    const list = await runCli(['manuals', 'list', '--data-dir', dataDir, '--json']);
    const manuals = JSON.parse(list.stdout) as Array<{ name: string; origin: string }>;
    expect(manuals.map((m) => m.name).sort()).toEqual(['motortwin-demo-motor-maintenance-guide.md', 'notes.txt', 'pump.pdf']);
    const rm = await runCli(['manuals', 'remove', 'notes.txt', '--data-dir', dataDir]);
    expect(rm.stdout).toMatch(/removed notes\.txt/);
  });

  it('answers without a model, labelled so, as JSON', async () => {
    const r = await runCli(['ask', 'what does the manual say about bearing noise?', '--data-dir', dataDir, '--json'], 90_000);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { answer: string; citations: Array<{ source: string; page: number; text: string }>; tool_calls: Array<{ name: string }>; mode: string };
    expect(out.mode).toBe('fallback');
    expect(out.answer).toMatch(/Not from a language model/);
    expect(out.citations[0]).toMatchObject({ source: 'motortwin-demo-motor-maintenance-guide.md', page: 1 });
    expect(out.tool_calls.map((t) => t.name)).toContain('search_manuals');
  });

  it('answers with the model given by flags, citing the PDF page', async () => {
    const r = await runCli(['ask', 'How often do I regrease the drive end bearing?', '--data-dir', dataDir, '--json', '--llm-base-url', fake.url, '--llm-model', 'fake-model'], 90_000);
    expect(r.stderr).toBe('note: no motor "motor_01" in this data folder; the answer can only use the manuals\n');
    const out = JSON.parse(r.stdout) as { answer: string; citations: Array<{ source: string; page: number; text: string }>; tool_calls: Array<{ name: string; args: { query: string } }> };
    expect(out.answer).toBe('Regrease the bearing [1].');
    expect(out.citations[0]).toMatchObject({ source: 'pump.pdf', page: 2 });
    expect(out.citations[0].text).toMatch(/every 2000 hours/);
    expect(out.tool_calls).toEqual([{ name: 'search_manuals', args: { query: 'regrease interval drive end bearing' } }]);
  });
});
