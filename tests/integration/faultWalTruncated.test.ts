import { statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startServe } from '../support/cli';
import { startSeqBoard } from '../support/seqBoard';
import { stopProcess, tempDir, waitFor } from '../support/tools';

interface Health {
  status: string;
  ingest: { stored: number };
  storage?: { warnings: string[]; lostRows: number | null };
}

// `serve` is killed mid-ingest and its write-ahead log cut to half, as a failing disk or a careless copy
// would. DuckDB replays what is left and says nothing; MotorTwin must say what was lost. A kill alone
// (the log intact) must not raise the alarm.
describe('fault: the write-ahead log is cut short after a crash', () => {
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) await stopProcess(c, 'SIGKILL');
  });

  const serve = async (dataDir: string) => {
    const s = await startServe(['--data-dir', dataDir, '--no-sim']);
    children.push(s.child);
    return s;
  };
  const health = async (url: string) => (await (await fetch(`${url}/api/health`)).json()) as Health;
  const storedRows = async (url: string, device: string) =>
    (await (await fetch(`${url}/api/export?device=${device}&from=0&to=${Date.now() + 3_600_000}&format=csv`)).text()).trim().split('\n').length - 1;

  /** Serve, a board streaming until at least `rows` are stored, then SIGKILL. Returns what was reported stored. */
  const crashWhileIngesting = async (dataDir: string, device: string, rows: number) => {
    const first = await serve(dataDir);
    expect((await health(first.url)).storage).toEqual({ warnings: [], lostRows: null });
    const board = await startSeqBoard(first.mqttUrl, device, { everyMs: 5 });
    await waitFor('rows stored', async () => (await health(first.url)).ingest.stored >= rows, 30_000);
    const stored = await storedRows(first.url, device);
    await stopProcess(first.child, 'SIGKILL');
    await board.stop(0);
    return stored;
  };

  it('a truncated log after SIGKILL: /api/health is degraded and says how many stored rows are gone; serve prints it', async () => {
    const dataDir = tempDir();
    const reported = await crashWhileIngesting(dataDir, 'm_wal', 600);
    const wal = join(dataDir, 'motortwin.duckdb.wal');
    const size = statSync(wal).size;
    truncateSync(wal, Math.floor(size / 2));

    const second = await serve(dataDir);
    const h = await health(second.url);
    expect(h.status).toBe('degraded');
    expect(h.storage?.warnings).toHaveLength(1);
    const [warning] = h.storage!.warnings;
    expect(warning).toMatch(new RegExp(`write-ahead log ${wal.replace(/[.]/g, '\\.')} ends in an incomplete entry at byte \\d+ of ${Math.floor(size / 2)}`));
    const lost = h.storage!.lostRows!;
    expect(lost).toBeGreaterThan(0);
    expect(warning).toContain(`${lost.toLocaleString('en')} telemetry rows`);
    const left = await storedRows(second.url, 'm_wal');
    expect(left + lost).toBeGreaterThanOrEqual(reported);
    expect(second.output()).toContain(warning);
    // Said by the start that found it; the next start takes what the file now holds as its baseline.
    await stopProcess(second.child, 'SIGKILL');
    const third = await serve(dataDir);
    expect(await health(third.url)).toMatchObject({ status: 'ok', storage: { warnings: [], lostRows: null } });
    console.log(`WAL cut from ${size} to ${Math.floor(size / 2)} bytes: ${reported} rows had been reported stored, ${left} left, ${lost} reported lost`);
  }, 150_000);

  it('a kill with the log intact, and the start after it, raise no alarm', async () => {
    const dataDir = tempDir();
    const reported = await crashWhileIngesting(dataDir, 'm_ok', 300);
    const second = await serve(dataDir);
    const h = await health(second.url);
    expect(h.storage).toEqual({ warnings: [], lostRows: null });
    expect(h.status).toBe('ok');
    expect(await storedRows(second.url, 'm_ok')).toBeGreaterThanOrEqual(reported);
    expect(second.output()).not.toMatch(/warning/i);
  }, 150_000);
});
