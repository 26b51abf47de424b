import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MotorDatabase } from '../store/database';
import { SettingsStore } from '../agent/settingsStore';
import { ManualLibrary } from './library';
import { UploadAssembler } from './uploads';
import { makePdf } from '../../../tests/support/pdf';

// What `manuals add` and an upload from the UI take in: files inside the folders given (a link out of
// them is not followed), text that is text (binary content is refused), and nothing over the size cap,
// which is judged from the file's size before a byte of it is read.

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return { ...real, readFile: vi.fn(real.readFile) };
});

const dbs: MotorDatabase[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

async function library() {
  const dir = mkdtempSync(join(tmpdir(), 'manual-rules-'));
  const db = await MotorDatabase.open(join(dir, 'm.duckdb'));
  dbs.push(db);
  const lib = new ManualLibrary(db, new SettingsStore(db));
  await lib.load();
  return { lib, dir };
}

describe('manual import rules', () => {
  it('skips links out of the folder, binary files and oversize files, each with its reason, and imports the rest', async () => {
    const { lib, dir } = await library();
    const outside = join(dir, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'shadow.txt'), 'root:$6$secrethash:19000:0:99999:7:::');
    mkdirSync(join(outside, 'etc'));
    writeFileSync(join(outside, 'etc', 'passwd.txt'), 'daemon:x:1:1:daemon');
    const folder = join(dir, 'manuals');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    writeFileSync(join(folder, 'good.md'), '# Pump guide\n\nGrease the drive-end bearing every 2000 hours.');
    writeFileSync(join(folder, 'sub', 'real.txt'), 'Alignment tolerances for couplings.');
    symlinkSync(join(outside, 'shadow.txt'), join(folder, 'shadow.txt'));
    symlinkSync(join(outside, 'etc'), join(folder, 'etc'));
    // A link that stays inside the folder is fine (imported once, from its real place).
    symlinkSync(join(folder, 'sub', 'real.txt'), join(folder, 'alias.txt'));
    writeFileSync(join(folder, 'random.txt'), randomBytes(256 * 1024));
    writeFileSync(join(folder, 'utf16.txt'), Buffer.from('\ufeffBearing noise', 'utf16le'));
    writeFileSync(join(folder, 'disguised.txt'), makePdf([['Fan cowl cleaning every month.']], 'Fan guide'));
    const huge = join(folder, 'huge.txt');
    writeFileSync(huge, '');
    truncateSync(huge, 300 * 1024 * 1024); // sparse: no disk used

    const results = await lib.importPaths([folder]);
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual(['disguised.txt', 'etc', 'good.md', 'huge.txt', 'random.txt', 'real.txt', 'shadow.txt', 'utf16.txt']);
    expect(byName['good.md'].status).toBe('done');
    expect(byName['real.txt'].status).toBe('done');
    expect(byName['disguised.txt'].status).toBe('done');
    expect(lib.list().find((m) => m.name === 'disguised.txt')?.kind).toBe('pdf');
    expect(byName['shadow.txt']).toMatchObject({ status: 'failed', message: expect.stringMatching(/symbolic link to .*shadow\.txt, outside .*manuals: not followed/) });
    expect(byName.etc).toMatchObject({ status: 'failed', message: expect.stringMatching(/symbolic link to .*etc, outside .*manuals: not followed/) });
    expect(byName['random.txt']).toMatchObject({ status: 'failed', message: expect.stringMatching(/binary content/) });
    expect(byName['utf16.txt']).toMatchObject({ status: 'failed', message: expect.stringMatching(/binary content/) });
    expect(byName['huge.txt']).toMatchObject({ status: 'failed', message: expect.stringMatching(/^300 MB, larger than the 50 MB limit for a manual/) });
    expect(vi.mocked(fsPromises.readFile).mock.calls.map((c) => String(c[0]))).not.toContain(huge);
    expect(await lib.search('secrethash')).toEqual([]);
    expect(await lib.search('daemon')).toEqual([]);
    expect(lib.list()).toHaveLength(3);
  });

  it('follows a link the user names directly: that file is what they asked for', async () => {
    const { lib, dir } = await library();
    writeFileSync(join(dir, 'target.md'), '# Gearbox\n\nCheck the oil level weekly.');
    symlinkSync(join(dir, 'target.md'), join(dir, 'link.md'));
    expect(await lib.importPaths([join(dir, 'link.md')])).toMatchObject([{ name: 'link.md', status: 'done' }]);
  });

  it('refuses binary bytes and an oversize upload from the UI too', async () => {
    const { lib } = await library();
    expect(await lib.importFile('blob.txt', randomBytes(64 * 1024))).toMatchObject({ status: 'failed', message: expect.stringMatching(/binary content/) });
    expect(() => new UploadAssembler().put('u1', 'big.txt', 0, 60 * 1024 * 1024, Buffer.from('x'))).toThrow(/big\.txt: 60 MB, larger than the 50 MB limit/);
  });
});
