import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BULK_MEMORY_LIMIT_BYTES, DB_MEMORY_LIMIT_BYTES, MotorDatabase } from './database';

const threads = async (db: MotorDatabase) => Number((await db.query("SELECT current_setting('threads') AS n"))[0].n);
const setting = async (db: MotorDatabase, name: string) => String((await db.query(`SELECT current_setting('${name}')::VARCHAR AS v`))[0].v);
/** DuckDB shows its memory_limit in its own units (e.g. "286.1 MiB"). */
const mibOf = (shown: string) => Number(/^([\d.]+) MiB$/.exec(shown)?.[1] ?? NaN);
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

describe('MotorDatabase memory', () => {
  it('gives DuckDB the lowest memory limit of the bulk runs under way, and the engine\'s once none is left', async () => {
    const db = await MotorDatabase.open(fileIn('db-memory-'), undefined, { threads: 1 });
    try {
      const limit = async () => mibOf(await setting(db, 'memory_limit'));
      const mib = (bytes: number) => Math.round((bytes / 1024 ** 2) * 10) / 10;
      expect(await limit()).toBeCloseTo(mib(DB_MEMORY_LIMIT_BYTES), 0);
      // One checkpoint merges a few row groups, not every partly filled one an import left.
      expect(Number(await setting(db, 'max_vacuum_tasks'))).toBe(4);
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const importing = db.allCores(async () => {
        expect(await limit()).toBeCloseTo(mib(BULK_MEMORY_LIMIT_BYTES), 0);
        await held;
      }, { memoryLimitBytes: BULK_MEMORY_LIMIT_BYTES });
      // A run with a higher limit, and an export's with none, end while the lower one still runs: it keeps its limit.
      expect(await db.allCores(() => limit(), { memoryLimitBytes: 0.6e9 })).toBeCloseTo(mib(BULK_MEMORY_LIMIT_BYTES), 0);
      await db.allCores(async () => undefined);
      expect(await limit()).toBeCloseTo(mib(BULK_MEMORY_LIMIT_BYTES), 0);
      release();
      await importing;
      expect(await limit()).toBeCloseTo(mib(DB_MEMORY_LIMIT_BYTES), 0);
      // Alone, the higher limit holds; a failed run gives the engine's back too.
      expect(await db.allCores(() => limit(), { memoryLimitBytes: 0.6e9 })).toBeCloseTo(mib(0.6e9), 0);
      await expect(db.allCores(() => Promise.reject(new Error('bad file')), { memoryLimitBytes: BULK_MEMORY_LIMIT_BYTES })).rejects.toThrow('bad file');
      expect(await limit()).toBeCloseTo(mib(DB_MEMORY_LIMIT_BYTES), 0);
    } finally {
      db.close();
    }
  });
});
