import { createHash, randomBytes } from 'node:crypto';
import { existsSync, openSync, closeSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MotorDatabase } from '../../src/main/store/database';
import { TelemetryWriter } from '../../src/main/store/telemetryWriter';
import { runCli } from '../support/cli';
import { tempDir } from '../support/tools';

// A damaged history file must be reported as damage, with DuckDB's own words and what to do, and left as
// it is; only a real second process holding the file is "in use".
const BLOCK = 256 * 1024; // DuckDB's default block size

async function writeHistory(dataDir: string): Promise<string> {
  const file = join(dataDir, 'motortwin.duckdb');
  const db = await MotorDatabase.open(file);
  const w = new TelemetryWriter(db);
  const t0 = Date.now() - 3_600_000;
  for (let i = 0; i < 5000; i++) w.enqueue({ deviceId: 'm_dmg', ts: t0 + i * 100, receivedAt: t0 + i * 100, seq: i, tsSuspect: false, source: 'mqtt', values: { temperature: 40 + (i % 7), current: 3.2 } });
  await w.close();
  db.close(); // a clean close checkpoints: everything is in the file, no write-ahead log left
  return file;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const exportArgs = (dataDir: string) => ['export', '--device', 'm_dmg', '--out', join(dataDir, 'out.csv'), '--data-dir', dataDir];

describe('storage: a damaged database file', () => {
  it('random bytes in block 2 are reported as damage with DuckDB\'s message and what to do; the file is not touched', async () => {
    const dataDir = tempDir();
    const file = await writeHistory(dataDir);
    expect(existsSync(`${file}.wal`)).toBe(false);
    // Block 2 counting the file in 256 KiB blocks, as the issue did: it lies in DuckDB's first data block.
    const fd = openSync(file, 'r+');
    writeSync(fd, randomBytes(4096), 0, 4096, 2 * BLOCK);
    closeSync(fd);
    const before = sha256(file);

    const r = await runCli(exportArgs(dataDir));
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/in use/);
    expect(r.stderr).toContain(`the database ${file} is damaged`);
    expect(r.stderr).toMatch(/Corrupt database file: computed checksum \d+ does not match stored checksum \d+/);
    expect(r.stderr).toContain('MotorTwin left the file as it was');
    expect(r.stderr).toContain(`${file}.damaged`);
    expect(r.stderr).toMatch(/backup/);
    expect(sha256(file)).toBe(before);
  });

  it('a file held by another process is still "in use", with that process id', async () => {
    const dataDir = tempDir();
    const file = await writeHistory(dataDir);
    const holder = await MotorDatabase.open(file);
    try {
      const r = await runCli(exportArgs(dataDir));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`the database ${file} is in use by another MotorTwin process (pid ${process.pid})`);
    } finally {
      holder.close();
    }
  });
});
