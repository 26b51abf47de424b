import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MotorDatabase } from '../store/database';
import { SettingsStore } from '../agent/settingsStore';
import { ManualLibrary } from './library';
import { makePdf } from '../../../tests/support/pdf';

const dirs: string[] = [];
const dbs: MotorDatabase[] = [];
async function open(path?: string) {
  const dir = path ?? mkdtempSync(join(tmpdir(), 'manuals-'));
  dirs.push(dir);
  const db = await MotorDatabase.open(join(dir, 'm.duckdb'));
  dbs.push(db);
  const lib = new ManualLibrary(db, new SettingsStore(db));
  await lib.load();
  return { lib, db, dir };
}
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

describe('manual library', () => {
  it('imports a PDF with its page numbers, finds a passage by page, and survives a restart', async () => {
    const { lib, db, dir } = await open();
    const pdf = makePdf([['Introduction to the pump motor.'], ['Grease the drive-end bearing every 2000 hours.', 'Use lithium complex grease.']], 'Pump motor guide');
    const events: string[] = [];
    lib.on('progress', (p) => events.push(`${p.status}:${p.pagesDone}/${p.pagesTotal}`));
    const r = await lib.importFile('pump.pdf', pdf);
    expect(r.status).toBe('done');
    expect(events).toContain('reading:2/2');
    expect(lib.list()).toMatchObject([{ name: 'pump.pdf', kind: 'pdf', title: 'Pump motor guide', pages: 2 }]);
    const [hit] = await lib.search('how often should the drive end bearing be greased?');
    expect(hit).toMatchObject({ source: 'pump.pdf', page: 2 });
    expect((await lib.page(hit.manualId, 2))?.text).toMatch(/lithium complex grease/);
    db.close();
    dbs.pop();
    const again = await open(dir);
    expect((await again.lib.search('lithium grease'))[0]).toMatchObject({ source: 'pump.pdf', page: 2 });
  });

  it('re-import replaces a changed file, skips an unchanged one, and remove removes its passages', async () => {
    const { lib } = await open();
    expect((await lib.importFile('guide.md', Buffer.from('# Guide\n\n## Cooling\n\nClean the fan cowl monthly.'))).status).toBe('done');
    expect((await lib.importFile('guide.md', Buffer.from('# Guide\n\n## Cooling\n\nClean the fan cowl monthly.'))).status).toBe('unchanged');
    const replaced = await lib.importFile('guide.md', Buffer.from('# Guide\n\n## Cooling\n\nClean the fan cowl weekly in dusty rooms.'));
    expect(replaced).toMatchObject({ status: 'done', message: 'replaced the earlier version' });
    expect(lib.list()).toHaveLength(1);
    expect(await lib.search('fan cowl')).toMatchObject([{ section: 'Cooling' }]);
    expect((await lib.search('fan cowl weekly dusty'))[0].text).toMatch(/weekly/);
    expect(await lib.search('cowl monthly', { limit: 5 }).then((h) => h.filter((x) => /monthly/.test(x.text)))).toEqual([]);
    expect(await lib.remove(replaced.manualId!)).toBe(true);
    expect(lib.list()).toEqual([]);
    expect(lib.index.size).toBe(0);
    expect(await lib.search('fan cowl')).toEqual([]);
  });

  it('imports folders of mixed files, reports a bad file as failed, and keeps going', async () => {
    const { lib, dir } = await open();
    const folder = join(dir, 'docs');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    writeFileSync(join(folder, 'a.txt'), 'Page one about alignment.\fPage two about couplings.');
    writeFileSync(join(folder, 'sub', 'b.html'), '<html><head><title>Fan guide</title><script>x()</script></head><body><h1>Fan</h1><p>Check the fan blades &amp; guard.</p></body></html>');
    writeFileSync(join(folder, 'broken.pdf'), 'not a pdf');
    writeFileSync(join(folder, 'photo.jpg'), 'ignored');
    const results = await lib.importPaths([folder, join(dir, 'missing.md')]);
    expect(results.map((r) => `${r.name}:${r.status}`).sort()).toEqual(['a.txt:done', 'b.html:done', 'broken.pdf:failed', 'missing.md:failed']);
    expect(results.find((r) => r.name === 'broken.pdf')?.message).toMatch(/not a PDF/);
    expect((await lib.search('couplings'))[0]).toMatchObject({ source: 'a.txt', page: 2 });
    expect((await lib.search('fan blades guard'))[0]).toMatchObject({ source: 'b.html', title: 'Fan guide', section: 'Fan' });
  });

  it('imports the starter library once and leaves a removed starter manual removed', async () => {
    const { lib, dir } = await open();
    const starter = join(dir, 'starter');
    mkdirSync(starter);
    writeFileSync(join(starter, 'guide.md'), '# Starter\n\nBearing noise: check lubrication.');
    await lib.ensureStarter(starter);
    expect(lib.list()).toMatchObject([{ name: 'guide.md', origin: 'starter' }]);
    await lib.remove(lib.list()[0].id);
    await lib.ensureStarter(starter);
    expect(lib.list()).toEqual([]);
  });
});
