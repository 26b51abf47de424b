import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MotorDatabase } from './database';
import { TelemetryWriter, type TelemetryRow } from './telemetryWriter';

const row = (seq: number): TelemetryRow => ({ deviceId: 'm1', ts: 1_790_000_000_000 + seq, receivedAt: 1_790_000_000_000 + seq, seq, tsSuspect: false, source: 'mqtt', values: { temperature: 40 + seq / 100 } });

async function openDb() {
  return MotorDatabase.open(join(mkdtempSync(join(tmpdir(), 'writer-')), 'w.duckdb'));
}

// The disk refusing writes is simulated at the one call that commits to the file; everything else is real DuckDB.
function failMoves(db: MotorDatabase, times: number) {
  const run = db.ingest.run.bind(db.ingest);
  let left = times;
  db.ingest.run = (async (sql: string, ...rest: unknown[]) => {
    if (sql.startsWith('INSERT INTO main.telemetry') && left-- > 0) throw new Error('IO Error: No space left on device');
    return (run as (s: string, ...r: unknown[]) => Promise<unknown>)(sql, ...rest);
  }) as typeof db.ingest.run;
}

async function waitUntil(done: () => Promise<boolean>) {
  const t0 = performance.now();
  while (!(await done())) {
    if (performance.now() - t0 > 10_000) throw new Error('not within 10 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('TelemetryWriter', () => {
  it('keeps its default flush interval when the engine passes an unset one', async () => {
    const db = await openDb();
    const writer = new TelemetryWriter(db, { flushIntervalMs: undefined });
    let flushes = 0;
    const flush = writer.flush.bind(writer);
    writer.flush = () => {
      flushes++;
      return flush();
    };
    writer.start();
    // Rows keep coming, so the clock keeps running.
    for (let s = 0; s < 55; s++) {
      writer.enqueue(row(s));
      await new Promise((r) => setTimeout(r, 20));
    }
    await writer.close();
    db.close();
    // Once a second: 1-2 in ~1.1 s. An undefined interval fired every millisecond (hundreds), which kept an
    // idle engine busy and made every flush contend with the next.
    expect(flushes).toBeLessThanOrEqual(3);
  });

  it('runs its flush clock only while rows wait: stored by the clock, then no timer until the next row', async () => {
    const db = await openDb();
    const writer = new TelemetryWriter(db, { flushIntervalMs: 100 });
    const stored = async () => Number((await db.query('SELECT count(*) AS n FROM telemetry')).at(0)!.n);
    writer.start();
    // Counted on the writer itself: a count of the process's timers also sees other tests' timers come and go.
    expect(writer.flushClockRunning).toBe(false);
    for (let s = 0; s < 3; s++) writer.enqueue(row(s));
    expect(writer.flushClockRunning).toBe(true);
    await waitUntil(async () => (await stored()) === 3);
    await waitUntil(async () => !writer.flushClockRunning);
    writer.enqueue(row(3));
    expect(writer.flushClockRunning).toBe(true);
    await waitUntil(async () => (await stored()) === 4);
    await writer.close();
    expect(writer.flushClockRunning).toBe(false);
    db.close();
  });

  it('keeps rows staged while the file refuses writes, reports it, and stores each exactly once when it recovers', async () => {
    const db = await openDb();
    const errors: (string | null)[] = [];
    const flushed: number[] = [];
    const writer = new TelemetryWriter(db, { onError: (e) => errors.push(e), onFlush: (r) => flushed.push(r.rows.length) });
    failMoves(db, 2);
    for (let s = 0; s < 50; s++) writer.enqueue(row(s));
    await writer.flush();
    expect(writer.lastError).toMatch(/not being saved: IO Error: No space left/);
    for (let s = 50; s < 100; s++) writer.enqueue(row(s));
    await writer.flush();
    expect(writer.pendingRows).toBe(100);
    await writer.flush();
    expect(writer.lastError).toBeNull();
    expect(errors).toEqual([expect.stringMatching(/No space left/), null]);
    expect(flushed).toEqual([100]);
    const [r] = await db.query('SELECT count(*) AS n, count(DISTINCT seq) AS seqs FROM telemetry');
    expect(r).toEqual({ n: 100, seqs: 100 });
    await writer.close();
    db.close();
  });

  it('past its bound drops the oldest rows not yet being written, counts them settled, and stores the rest once', async () => {
    const db = await openDb();
    const writer = new TelemetryWriter(db, { maxPendingRows: 60 });
    let settledCalls = 0;
    writer.onSettled(() => settledCalls++);
    failMoves(db, 1);
    for (let s = 0; s < 50; s++) writer.enqueue(row(s));
    await writer.flush();
    expect(writer.lastError).toMatch(/No space left/);
    // Rows 0-49 are staged for the file; of the next 30, the 20 oldest go to keep 60 held.
    for (let s = 50; s < 80; s++) writer.enqueue(row(s));
    expect(writer.dropped).toBe(20);
    expect(writer.pendingRows).toBe(60);
    expect(writer.queuedRows).toBe(80);
    expect(writer.settledRows).toBe(20);
    expect(settledCalls).toBeGreaterThan(0); // acknowledgements waiting on dropped rows may go
    await writer.flush();
    expect(writer.lastError).toBeNull();
    expect(writer.settledRows).toBe(80);
    const seqs = (await db.query('SELECT seq FROM telemetry ORDER BY seq')).map((r) => Number(r.seq));
    expect(seqs).toEqual([...Array.from({ length: 50 }, (_, i) => i), ...Array.from({ length: 10 }, (_, i) => 70 + i)]);
    await writer.close();
    db.close();
  });

  it('re-stages everything when staging itself failed, so nothing is moved twice', async () => {
    const db = await openDb();
    const writer = new TelemetryWriter(db);
    for (let s = 0; s < 10; s++) writer.enqueue(row(s));
    await writer.flush();
    // The next appender breaks after some rows reached it.
    const create = db.ingest.createAppender.bind(db.ingest);
    db.ingest.createAppender = (async (...args: Parameters<typeof create>) => {
      const appender = await create(...args);
      let n = 0;
      const endRow = appender.endRow.bind(appender);
      appender.endRow = () => {
        if (++n === 5) throw new Error('appender broke');
        endRow();
      };
      db.ingest.createAppender = create;
      return appender;
    }) as typeof create;
    (writer as unknown as { resetAppender(): void }).resetAppender();
    for (let s = 10; s < 20; s++) writer.enqueue(row(s));
    await writer.flush();
    expect(writer.lastError).toMatch(/appender broke/);
    await writer.flush();
    expect(writer.lastError).toBeNull();
    const [r] = await db.query('SELECT count(*) AS n, count(DISTINCT seq) AS seqs FROM telemetry');
    expect(r).toEqual({ n: 20, seqs: 20 });
    await writer.close();
    db.close();
  });

  it('writes one batch far larger than a call stack could spread', async () => {
    const db = await openDb();
    const writer = new TelemetryWriter(db, { flushRows: 1_000_000 });
    for (let s = 0; s < 200_000; s++) writer.enqueue(row(s));
    await writer.flush();
    expect(writer.lastError).toBeNull();
    const [r] = await db.query('SELECT count(*) AS n FROM telemetry');
    expect(r.n).toBe(200_000);
    await writer.close();
    db.close();
  });

  it('gives back the staging table\'s memory: deleted rows do not pile up in memory as ingest goes on', async () => {
    const db = await openDb();
    const writer = new TelemetryWriter(db);
    for (let batch = 0; batch < 30; batch++) {
      for (let s = 0; s < 4000; s++) writer.enqueue(row(batch * 4000 + s));
      await writer.flush();
    }
    const count = await db.query('SELECT count(*)::INTEGER AS n FROM main.telemetry');
    expect(count[0].n).toBe(120_000);
    // DuckDB's estimate counts deleted rows until they are reclaimed; without reclaiming it would be 120,000.
    const staging = await db.query("SELECT estimated_size::INTEGER AS n FROM duckdb_tables() WHERE database_name = 'staging'");
    expect(staging[0].n).toBeLessThan(60_000);
    await writer.close();
    db.close();
  });
});
