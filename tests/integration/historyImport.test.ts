import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { DuckDBInstance } from '@duckdb/node-api';
import { MotorDatabase } from '../../src/main/store/database';
import { onNewCriticalAlarm } from '../../src/main/health/wireHealth';
import type { ImportReport } from '../../src/shared/importContract';
import { runCli, startServe } from '../support/cli';
import { startEngine } from '../support/engineHarness';
import { stopProcess, tempDir } from '../support/tools';

// `motortwin import` on real files and real DuckDB files: the NASA IMS run-to-failure series (bearing 1 failed
// with an outer-race defect at the end), bad rows, Parquet, a failure mid-way and an upload through `serve`.
const IMS = '../shared/data/ims/merged_dataset_BearingTest_2.csv';
const HOUR = 3_600_000;
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) await stopProcess(c);
});

const importCli = async (args: string[]) => {
  const r = await runCli(['import', ...args, '--json'], 180_000);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as ImportReport;
};

async function storedCounts(dataDir: string, device: string) {
  const db = await MotorDatabase.open(join(dataDir, 'motortwin.duckdb'));
  try {
    const [t] = await db.query(`SELECT count(*) AS n, count(*) FILTER (WHERE source = 'import') AS imported FROM telemetry WHERE device_id = $1`, [device]);
    const alarms = await db.query(`SELECT condition, epoch_ms(raised_at)::DOUBLE AS raised FROM alarms WHERE device_id = $1 ORDER BY raised_at`, [device]);
    return { rows: Number(t.n), imported: Number(t.imported), alarms };
  } finally {
    db.close();
  }
}

describe('motortwin import', () => {
  it('IMS test 2, bearing 1: alarms days before the end and none in the first half; imported twice, nothing stored or raised twice', async () => {
    const dataDir = tempDir();
    const args = [IMS, '--device', 'ims_b1', '--map', 'Bearing 1=vibration', '--data-dir', dataDir];
    const r = await importCli(args);
    expect(r).toMatchObject({ rowsRead: 984, stored: 984, skipped: 0, twinCreated: true, timeColumn: 'column0', columns: { 'Bearing 1': 'vibration' } });
    const half = r.from! + (r.to! - r.from!) / 2;
    console.log(`IMS bearing 1 imported: ${r.alarms.map((a) => `${a.condition} ${new Date(a.raisedAt).toISOString()} (${((r.to! - a.raisedAt) / HOUR).toFixed(0)} h before the end)`).join('; ')}; baseline ${JSON.stringify(r.baseline)}`);
    expect(r.alarms.length).toBeGreaterThan(0);
    expect(r.alarms.every((a) => a.raisedAt > half)).toBe(true);
    expect(r.to! - Math.min(...r.alarms.map((a) => a.raisedAt))).toBeGreaterThan(48 * HOUR);
    expect(r.alarms.map((a) => a.condition)).toContain('MECHANICAL_FAULT');
    const first = await storedCounts(dataDir, 'ims_b1');
    expect(first).toMatchObject({ rows: 984, imported: 984 });
    expect(first.alarms.map((a) => a.raised)).toEqual(r.alarms.map((a) => a.raisedAt));

    const again = await importCli(args);
    expect(again).toMatchObject({ rowsRead: 984, stored: 0, alreadyStored: 984, alarms: [], twinCreated: false });
    expect(await storedCounts(dataDir, 'ims_b1')).toEqual(first);
  }, 400_000);

  it('skips bad rows with their line numbers and keeps the rest: text, NaN, unparseable and duplicated times, mixed time zones, missing fields', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'trend.csv');
    writeFileSync(
      file,
      [
        'timestamp,temperature,vibration,note',
        '2024-03-01 10:00:00,40.1,0.011,ok', // line 2
        '2024-03-01 10:01:00,40.2,abc,text in a number', // 3
        '2024-03-01 10:02:00,NaN,0.012,nan', // 4
        'yesterday noon,40.3,0.012,bad time', // 5
        '2024-03-01 10:01:00,40.4,0.013,same time as line 3 which was refused: kept', // 6
        '2024-03-01 10:04:00+02:00,40.5,0.013,offset among naive times', // 7
        '2024-03-01 10:05:00,40.6', // 8: too few fields
        '2024-03-01 10:00:00,40.7,0.014,duplicate of line 2', // 9
        '2024-03-01 10:06:00,40.8,0.015,ok', // 10
      ].join('\n'),
    );
    const r = await importCli([file, '--device', 'trend_motor', '--data-dir', dataDir, '--timezone', 'Europe/Berlin']);
    expect(r.columns).toEqual({ temperature: 'temperature', vibration: 'vibration' });
    expect(r).toMatchObject({ rowsRead: 9, stored: 3, skipped: 6 });
    const at = Object.fromEntries(r.problems.map((p) => [p.line, p.kind]));
    expect(at).toEqual({ 3: 'text in a numeric column', 4: 'not a number', 5: 'unparseable time', 7: 'mixed time zones', 8: 'wrong number of fields', 9: 'duplicated time' });
    expect(r.problems.find((p) => p.line === 3)!.reason).toMatch(/"vibration".*abc/);
    // Naive times are read in --timezone: 10:00 in Berlin (CET) is 09:00 UTC.
    expect(new Date(r.from!).toISOString()).toBe('2024-03-01T09:00:00.000Z');
    expect(await storedCounts(dataDir, 'trend_motor')).toMatchObject({ rows: 3, imported: 3 });

    const refused = await runCli(['import', file, '--device', 'trend_motor', '--data-dir', dataDir, '--map', 'nope=vibration'], 120_000);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/no column "nope".*timestamp, temperature, vibration, note/);
    const zone = await runCli(['import', file, '--device', 'trend_motor', '--data-dir', dataDir, '--timezone', 'Mars/Olympus'], 120_000);
    expect(zone.stderr).toMatch(/not a time zone/);
  }, 400_000);

  it('lists alarms replayed from history but acts on none of them now: no proposed command, no alert, no notification', async () => {
    const h = await startEngine();
    try {
      const notified: string[] = [];
      onNewCriticalAlarm(h.engine, (n) => notified.push(n.title));
      const live: Array<{ condition: string; historical?: boolean }> = [];
      h.engine.on('alarm', ({ alarm, historical }) => live.push({ condition: alarm.condition, historical }));
      const file = join(h.dataDir, 'hot.csv');
      const start = Date.parse('2025-06-01T08:00:00Z');
      const rows = Array.from({ length: 60 }, (_, m) => `${new Date(start + m * 60_000).toISOString()},${m < 40 ? 60 : 96}`);
      writeFileSync(file, ['time,temperature', ...rows].join('\n'));
      // The default OVERHEATING rule proposes REDUCE_LOAD when it raises live; from imported history it must not.
      const r = await h.engine.imports.run(file, { deviceId: 'hist_hot' });
      expect(r.alarms.map((a) => a.condition)).toContain('OVERHEATING');
      expect(live.filter((a) => a.condition === 'OVERHEATING').every((a) => a.historical === true)).toBe(true);
      await h.engine.drain();
      expect(await h.engine.commands.list({ deviceId: 'hist_hot', limit: 50 })).toEqual([]);
      expect((await h.engine.commands.auditTrail('hist_hot', 50)).filter((a) => a.kind === 'alert' || a.kind === 'command')).toEqual([]);
      expect(notified).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('records an episode that began and ended inside the history as acknowledged by the import; one still on at its end waits for a person', async () => {
    const h = await startEngine();
    try {
      const start = Date.parse('2025-07-01T08:00:00Z');
      const series = (hot: (m: number) => boolean) => ['time,temperature', ...Array.from({ length: 60 }, (_, m) => `${new Date(start + m * 60_000).toISOString()},${hot(m) ? 96 : 60}`)].join('\n');
      const ended = join(h.dataDir, 'ended.csv');
      writeFileSync(ended, series((m) => m >= 20 && m < 40));
      await h.engine.imports.run(ended, { deviceId: 'hist_ended' });
      const [episode] = h.engine.health.alarms.all().filter((a) => a.motorId === 'hist_ended' && a.condition === 'OVERHEATING');
      expect(episode).toMatchObject({ state: 'cleared_acked', clearedAt: start + 40 * 60_000, ackedAt: start + 40 * 60_000 });
      const acks = (await h.engine.health.store.transitions({ alarmId: episode.id, limit: 10 })).filter((t) => t.action === 'ack');
      expect(acks).toHaveLength(1);
      expect(acks[0].comment).toMatch(/within imported history/);

      const endsHot = join(h.dataDir, 'ends-hot.csv');
      writeFileSync(endsHot, series((m) => m >= 40));
      await h.engine.imports.run(endsHot, { deviceId: 'hist_hot_end' });
      const open = h.engine.health.alarms.all().filter((a) => a.motorId === 'hist_hot_end' && a.condition === 'OVERHEATING');
      expect(open.map((a) => a.state)).toEqual(['active_unacked']);
    } finally {
      await h.close();
    }
  });

  it('reads Parquet, and a failure before the commit leaves nothing stored', async () => {
    const h = await startEngine();
    try {
      const file = join(h.dataDir, 'trend.parquet');
      const duck = await (await DuckDBInstance.create(':memory:')).connect();
      await duck.run(`COPY (SELECT TIMESTAMPTZ '2024-05-01 00:00:00+00' + i * INTERVAL 1 MINUTE AS "Zeit", 1450.0 + i AS rpm, CASE WHEN i = 7 THEN 'n/a' ELSE (0.02 + i / 1e4)::VARCHAR END AS vib
        FROM range(100) t(i)) TO '${file}' (FORMAT parquet)`);
      duck.closeSync();
      const options = { deviceId: 'pq_motor', timeColumn: 'Zeit', map: { rpm: 'rpm', vib: 'vibration' } } as const;
      const failing = h.engine.imports.run(file, options, {
        onProgress: (p) => {
          if (p.phase === 'storing') throw new Error('the disk went away');
        },
      });
      await expect(failing).rejects.toThrow(/the disk went away/);
      const count = async () => Number((await h.engine.db.query(`SELECT count(*) AS n FROM telemetry WHERE device_id = 'pq_motor'`))[0].n);
      expect(await count()).toBe(0);
      expect(h.engine.twins.get('pq_motor')).toBeUndefined();

      const r = await h.engine.imports.run(file, options);
      expect(r).toMatchObject({ format: 'parquet', rowsRead: 100, stored: 99, skipped: 1, problems: [{ line: 8, kind: 'text in a numeric column' }] });
      expect(await count()).toBe(99);
      expect(h.engine.twins.get('pq_motor')?.source).toBe('import');
    } finally {
      await h.close();
    }
  }, 300_000);

  it('stores a clean series in one pass, and refuses there whatever the row-by-row judgement refuses: a failure before the commit, a repeated time, rows already held, times out of order', async () => {
    const h = await startEngine();
    try {
      const start = Date.parse('2025-08-01T00:00:00Z');
      const line = (m: number) => `${new Date(start + m * 60_000).toISOString()},${50 + (m % 7)},${0.01 + (m % 5) / 1000}`;
      const csv = (name: string, minutes: number[]) => {
        const file = join(h.dataDir, name);
        writeFileSync(file, ['time,temperature,vibration', ...minutes.map(line)].join('\n'));
        return file;
      };
      const count = async (id: string) => Number((await h.engine.db.query(`SELECT count(*) AS n FROM telemetry WHERE device_id = $1`, [id]))[0].n);
      const clean = csv('clean.csv', Array.from({ length: 500 }, (_, m) => m));
      const failing = h.engine.imports.run(clean, { deviceId: 'clean_motor' }, {
        onProgress: (p) => {
          if (p.phase === 'storing') throw new Error('the disk went away');
        },
      });
      await expect(failing).rejects.toThrow(/the disk went away/);
      expect(await count('clean_motor')).toBe(0);

      const r = await h.engine.imports.run(clean, { deviceId: 'clean_motor' });
      expect(r).toMatchObject({ rowsRead: 500, stored: 500, alreadyStored: 0, skipped: 0, problems: [], replayed: 500, from: start, to: start + 499 * 60_000 });
      // Half of it held already: only the new half is stored.
      expect(await h.engine.imports.run(csv('overlap.csv', Array.from({ length: 500 }, (_, m) => m + 250)), { deviceId: 'clean_motor' })).toMatchObject({ stored: 250, alreadyStored: 250, skipped: 0 });
      expect(await count('clean_motor')).toBe(750);

      // A clean file but for a repeated time on its last line: the first row of that time is kept.
      const dup = await h.engine.imports.run(csv('dup.csv', [...Array.from({ length: 100 }, (_, m) => m), 10]), { deviceId: 'dup_motor' });
      expect(dup).toMatchObject({ rowsRead: 101, stored: 100, skipped: 1, problems: [{ line: 102, kind: 'duplicated time' }] });
      expect(await count('dup_motor')).toBe(100);

      // Good times, newest first: all stored, with the baseline the same rows in time order give.
      const reversed = await h.engine.imports.run(csv('reversed.csv', Array.from({ length: 100 }, (_, m) => 99 - m)), { deviceId: 'reversed_motor' });
      expect(reversed).toMatchObject({ stored: 100, skipped: 0, replayed: 100, from: start, to: start + 99 * 60_000 });
      const forward = await h.engine.imports.run(csv('forward.csv', Array.from({ length: 100 }, (_, m) => m)), { deviceId: 'forward_motor' });
      expect(forward.baseline.map((b) => b.reading)).toEqual(['vibration']);
      expect(reversed.baseline).toEqual(forward.baseline);
    } finally {
      await h.close();
    }
  }, 300_000);

  it('uploads through a running serve (--server) and GET /api/alarms lists the alarms at their historical times', async () => {
    const serve = await startServe(['--data-dir', tempDir(), '--no-sim']);
    children.push(serve.child);
    const r = await importCli([IMS, '--device', 'ims_b1', '--map', 'Bearing 1=vibration', '--server', serve.url]);
    expect(r).toMatchObject({ stored: 984, file: 'merged_dataset_BearingTest_2.csv' });
    const res = await fetch(`${serve.url}/api/alarms?device=ims_b1`);
    expect(res.status).toBe(200);
    const alarms = (await res.json()) as Array<{ code: string; severity: string; raised_at: string; cleared_at: string | null }>;
    expect(alarms.map((a) => a.code)).toEqual(r.alarms.map((a) => a.condition));
    for (const a of alarms) {
      expect(a.raised_at).toMatch(/^2004-02-1[6-9]T/);
      expect(a.severity).toMatch(/minor|major|warning|critical/);
    }
    expect((await fetch(`${serve.url}/api/alarms?device=nobody`)).status).toBe(404);
  }, 400_000);
});
