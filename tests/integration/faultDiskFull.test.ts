import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../src/shared/contract';
import { MotorDatabase } from '../../src/main/store/database';
import { startEngine, type Harness } from '../support/engineHarness';
import { startSeqBoard } from '../support/seqBoard';
import { mountSmallDisk, type SmallDisk } from '../support/smallDisk';
import { waitFor } from '../support/tools';
import { connectWs } from '../support/wsClient';

// The data folder sits on a real 64 MB tmpfs that a filler file fills up mid-ingest: DuckDB gets ENOSPC
// from the kernel. Ingest must pause with the error on /api/health and in the UI's status event, keep
// the rows in memory, resume once space is freed, and leave a file that opens with every row, each once.
describe('fault: the disk fills up under the database', () => {
  let disk: SmallDisk | undefined;
  let h: Harness | undefined;
  afterAll(async () => {
    await h?.close().catch(() => undefined);
    disk?.unmount();
  });

  it('pauses with a visible storage error, resumes when space is freed, and loses or doubles nothing', async () => {
    disk = mountSmallDisk(64);
    h = await startEngine({ dataDir: disk.dir, http: true });
    const engine = h.engine;
    const health = async () => (await (await fetch(`${h!.server!.url}/api/health`)).json()) as { status: string; ingest: EngineStatus['ingest'] };
    const ui = await connectWs(h.server!.url);
    const seen: EngineStatus[] = [];
    ui.client.on('status', (s) => seen.push(s));

    const board = await startSeqBoard(h.brokerUrl, 'm_disk', { everyMs: 5 });
    await waitFor('rows stored', () => engine.status().ingest.stored >= 300);

    const filler = disk.fill();
    const paused = await waitFor('storage error on /api/health', async () => {
      const s = await health();
      return s.ingest.storageError ? s : null;
    });
    expect(paused.status).toBe('degraded');
    expect(paused.ingest.storageError).toMatch(/history is not being saved: .*(No space left|space)/i);
    await waitFor('the storage error in the UI status', () => seen.some((s) => s.ingest.storageError?.includes('history is not being saved')));
    // Paused, not dropping: rows pile up in memory. (A commit small enough to fit in the last, partly
    // used page of the log file can still slip through, so "paused" allows a few rows, not hundreds.)
    const storedWhenFull = engine.status().ingest.stored;
    await waitFor('rows held while the disk is full', () => engine.status().ingest.pendingWrites >= 300);
    expect(engine.status().ingest.stored - storedWhenFull).toBeLessThan(50);

    rmSync(filler);
    await waitFor('storage error cleared', async () => (await health()).ingest.storageError === null, 30_000);
    expect((await health()).status).toBe('ok');
    await waitFor('the held rows written', () => engine.status().ingest.stored >= storedWhenFull + 300, 30_000);
    await waitFor('the UI told it cleared', () => seen.at(-1)?.ingest.storageError === null);
    await board.stop();
    expect(board.acked.size).toBe(board.published());
    await engine.drain();
    ui.close();
    await h.close();
    h = undefined;

    const db = await MotorDatabase.open(join(disk.dir, 'motortwin.duckdb'));
    try {
      const rows = await db.query("SELECT seq, count(*)::INTEGER AS n FROM telemetry WHERE device_id = 'm_disk' GROUP BY seq ORDER BY seq");
      expect(rows.filter((r) => r.n !== 1)).toEqual([]);
      expect(rows.map((r) => r.seq)).toEqual([...board.acked].sort((a, b) => a - b));
    } finally {
      db.close();
    }
  }, 120_000);
});
