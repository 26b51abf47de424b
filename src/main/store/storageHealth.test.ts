import { closeSync, copyFileSync, mkdtempSync, openSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { MotorDatabase } from './database';
import { assess, scanWal } from './storageHealth';

/** A database file and its write-ahead log as a crash leaves them: copied while DuckDB still has them open. */
async function crashedCopy(): Promise<{ db: string; wal: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'wal-scan-'));
  const live = join(dir, 'live.duckdb');
  const instance = await DuckDBInstance.create(live);
  const c = await instance.connect();
  await c.run('CREATE TABLE telemetry (n INTEGER, s VARCHAR)');
  for (let i = 0; i < 20; i++) await c.run(`INSERT INTO telemetry SELECT range, 'row ' || range FROM range(${i * 50}, ${(i + 1) * 50})`);
  const db = join(dir, 'copy.duckdb');
  copyFileSync(live, db);
  copyFileSync(`${live}.wal`, `${db}.wal`);
  c.closeSync();
  instance.closeSync();
  return { db, wal: `${db}.wal` };
}

describe('scanWal', () => {
  it("reads DuckDB's own log to its last entry, and finds where a cut one ends in an incomplete entry", async () => {
    const { wal } = await crashedCopy();
    const bytes = statSync(wal).size;
    expect(scanWal(wal)).toEqual({ bytes, tornAt: null });
    truncateSync(wal, Math.floor(bytes / 2));
    const cut = scanWal(wal)!;
    expect(cut.bytes).toBe(Math.floor(bytes / 2));
    expect(cut.tornAt).toBeGreaterThan(0);
    expect(cut.tornAt).toBeLessThan(cut.bytes);
  });

  it('claims nothing about a file it does not recognise, or no file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wal-scan-'));
    writeFileSync(join(dir, 'x.wal'), 'not a DuckDB log');
    expect(scanWal(join(dir, 'x.wal'))).toBeNull();
    expect(scanWal(join(dir, 'none.wal'))).toBeNull();
  });
});

describe('MotorDatabase.open on a damaged log', () => {
  it("says the log is damaged, in DuckDB's words, and how to open the history without it", async () => {
    const { db, wal } = await crashedCopy();
    // Inside an entry: its checksum no longer matches, which DuckDB refuses (unlike a log cut short).
    const fd = openSync(wal, 'r+');
    writeSync(fd, Buffer.alloc(64, 0x55), 0, 64, Math.floor(statSync(wal).size * 0.6));
    closeSync(fd);
    const err = await MotorDatabase.open(db).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(err).toContain(`the write-ahead log ${wal} is damaged (DuckDB: `);
    expect(err).toMatch(/Corrupt WAL file|Failure while replaying WAL/);
    expect(err).toContain(`Move ${wal} aside`);
  });
});

describe('assess', () => {
  const at = Date.UTC(2026, 10, 27, 8, 0, 0);
  it('a torn log with every committed row present is a note, not an alarm', () => {
    const r = assess('/d/m.duckdb', { wal: { bytes: 900, tornAt: 800 }, journal: { telemetryRows: 100, at } }, 100);
    expect(r.warnings).toEqual([]);
    expect(r.notes[0]).toContain('ends in an incomplete entry at byte 800 of 900');
  });

  it('fewer rows than committed is an alarm that counts them, with the log as the reason when it is torn', () => {
    const torn = assess('/d/m.duckdb', { wal: { bytes: 900, tornAt: 400 }, journal: { telemetryRows: 1500, at } }, 300);
    expect(torn.lostRows).toBe(1200);
    expect(torn.warnings[0]).toMatch(/^the write-ahead log \/d\/m\.duckdb\.wal ends in an incomplete entry at byte 400 of 900 .*1,200 telemetry rows that had been stored \(by 2026-11-27T08:00:00\.000Z\) are gone/);
    const whole = assess('/d/m.duckdb', { wal: null, journal: { telemetryRows: 10, at } }, 7);
    expect(whole.warnings[0]).toMatch(/^3 telemetry rows .* are not in \/d\/m\.duckdb: its write-ahead log was lost or damaged/);
  });

  it('a clean history raises nothing', () => {
    expect(assess('/d/m.duckdb', { wal: { bytes: 900, tornAt: null }, journal: { telemetryRows: 10, at } }, 12)).toEqual({ warnings: [], lostRows: null, notes: [] });
    expect(assess('/d/m.duckdb', { wal: null, journal: null }, 0)).toEqual({ warnings: [], lostRows: null, notes: [] });
  });
});
