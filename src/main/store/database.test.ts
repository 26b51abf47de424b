import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MotorDatabase } from './database';

const threads = async (db: MotorDatabase) => Number((await db.query("SELECT current_setting('threads') AS n"))[0].n);
const fileIn = (prefix: string) => join(mkdtempSync(join(tmpdir(), prefix)), 'm.duckdb');

describe('MotorDatabase threads', () => {
  it('keeps DuckDB to the steady thread count, and gives bulk work every core until the last bulk run ends', async () => {
    const db = await MotorDatabase.open(fileIn('db-threads-'), undefined, { threads: 1 });
    try {
      expect(await threads(db)).toBe(1);
      const cores = Math.max(1, availableParallelism());
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      // Two bulk runs overlap: the first to end must not take the cores from the one still running.
      const first = db.allCores(async () => {
        expect(await threads(db)).toBe(cores);
        await held;
      });
      const second = db.allCores(async () => threads(db));
      expect(await second).toBe(cores);
      expect(await threads(db)).toBe(cores);
      release();
      await first;
      expect(await threads(db)).toBe(1);
      // A failed bulk run gives the cores back too.
      await expect(db.allCores(() => Promise.reject(new Error('bad file')))).rejects.toThrow('bad file');
      expect(await threads(db)).toBe(1);
    } finally {
      db.close();
    }
  });

  it("leaves DuckDB's own thread count when none is asked for", async () => {
    const plain = await MotorDatabase.open(fileIn('db-threads-plain-'));
    try {
      const own = await threads(plain);
      expect(own).toBeGreaterThanOrEqual(1);
      expect(await plain.allCores(() => threads(plain))).toBe(own);
      expect(await threads(plain)).toBe(own);
    } finally {
      plain.close();
    }
  });
});
