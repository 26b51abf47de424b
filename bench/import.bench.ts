import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { startEngine } from '../tests/support/engineHarness';
import { tempDir } from '../tests/support/tools';
import { median, round, type Figure } from './figure';

/**
 * History from other collectors: a CSV trend export of one million rows of four readings (one a second, a slow
 * rise of vibration in its last days) imported into a motor's history, against DuckDB's own read_csv into a
 * table of a file database in the same run; then the replay of rules and anomaly over the rows, as a share of
 * the import's time. Each side runs RUNS times, alternating, each time into a fresh database (a fresh engine
 * for the import), so both meet the same machine; the medians are compared.
 */
const RUNS = 3;

export async function benchImport(opts: { quick: boolean }): Promise<Figure[]> {
  const dir = tempDir('bench-import-');
  try {
    return await measure(opts.quick ? 250_000 : 1_000_000, dir);
  } finally {
    // The CSV (about 50 MB at a million rows) and the six databases it was read into.
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(rows: number, dir: string): Promise<Figure[]> {
  const file = join(dir, 'trend.csv');
  const gen = await (await DuckDBInstance.create(':memory:')).connect();
  await gen.run(`COPY (SELECT strftime(TIMESTAMP '2025-01-01' + i * INTERVAL 1 SECOND, '%Y-%m-%d %H:%M:%S') AS time,
      round(55 + 5 * sin(i / 3600.0) + random(), 2) AS temperature,
      round(0.02 * (1 + greatest(0, i - ${rows * 0.8}) / ${rows * 0.1}) + 0.002 * random(), 5) AS vibration,
      round(1480 + 4 * random(), 1) AS rpm, round(12 + random(), 2) AS current
    FROM range(${rows}) t(i)) TO '${file}' (HEADER)`);
  gen.closeSync();

  // CPU seconds of this process (every thread, DuckDB's too), printed beside each run: on a loaded machine
  // they say what the work costs where the wall times mostly say how busy the machine was.
  const cpuS = (since: NodeJS.CpuUsage) => {
    const u = process.cpuUsage(since);
    return round((u.user + u.system) / 1e6, 2);
  };
  const plainS: number[] = [];
  const storeS: number[] = [];
  const replayS: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const c0 = process.cpuUsage();
    plainS.push(await readCsvAlone(file, join(dir, `plain-${run}.duckdb`)));
    const plainCpu = cpuS(c0);
    const h = await startEngine({ dataDir: join(dir, `engine-${run}`) });
    try {
      const c1 = process.cpuUsage();
      const r = await h.engine.imports.run(file, { deviceId: 'bench_import' });
      const importCpu = cpuS(c1);
      if (r.stored !== rows) throw new Error(`stored ${r.stored} of ${rows} rows: ${JSON.stringify(r.problems.slice(0, 3))}`);
      storeS.push(r.seconds.store);
      replayS.push(r.seconds.replay);
      process.stderr.write(`import run ${run + 1}: ${rows} rows stored in ${r.seconds.store} s, replayed in ${r.seconds.replay} s (${r.alarms.length} alarms); read_csv alone ${round(plainS[run], 3)} s; CPU ${importCpu} s (import and replay) against ${plainCpu} s\n`);
    } finally {
      await h.close();
    }
  }
  const rate = rows / median(storeS);
  const plainRate = rows / median(plainS);
  const share = median(replayS) / median(storeS);
  return [
    {
      name: 'import_csv_rows_per_s',
      value: Math.round(rate),
      unit: 'rows/s',
      baseline: Math.round(plainRate),
      baselineName: `DuckDB's read_csv into a table of a file database, same file, same run (medians of ${RUNS} alternating runs)`,
      ratio: round(rate / plainRate),
      goal: '>= 200,000 rows/s and >= 0.3x read_csv',
      pass: rate >= 200_000 && rate / plainRate >= 0.3,
    },
    {
      name: 'import_replay_share',
      value: round(median(replayS), 3),
      unit: 's',
      baseline: round(median(storeS), 3),
      baselineName: `the import (sniff, read, judge, store, rollups) of the same rows (medians of ${RUNS} runs)`,
      ratio: round(share),
      goal: 'replay of rules and anomaly <= 0.5x the import',
      pass: share <= 0.5,
    },
  ];
}

/** DuckDB on its own: the file read (its dialect and types sniffed) into a table of a fresh file database. */
export async function readCsvAlone(file: string, dbFile: string): Promise<number> {
  const db = await DuckDBInstance.create(dbFile);
  const conn = await db.connect();
  try {
    const t0 = performance.now();
    await conn.run(`CREATE TABLE t AS SELECT * FROM read_csv('${file}')`);
    return (performance.now() - t0) / 1000;
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
