import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PgStore } from '../../src/main/store/postgres/pgStore';
import { PgHistorian } from '../../src/main/store/postgres/pgHistorian';
import type { PgTelemetryWriter } from '../../src/main/store/postgres/pgTelemetryWriter';
import type { TelemetryRow } from '../../src/main/store/telemetryWriter';
import { startEngine, type Harness } from '../support/engineHarness';
import { startPostgres, type Postgres } from '../support/postgres';
import { freePort, tempDir, waitFor } from '../support/tools';
import { runCli } from '../support/cli';

// The plant server's history in a real PostgreSQL: an engine storing into it, a re-sent batch stored once,
// PostgreSQL crashing under ingest without losing what was received, and a bad URL refused at start.

const count = async (url: string, device: string) => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query('SELECT count(*)::INTEGER AS n, count(DISTINCT seq)::INTEGER AS seqs FROM telemetry WHERE device_id = $1', [device]);
    return rows[0] as { n: number; seqs: number };
  } finally {
    await c.end();
  }
};

const payload = (id: string, seq: number) => JSON.stringify({ device_id: id, seq, temperature: 40 + (seq % 10), vibration: 0.02, rpm: 1480, timestamp: new Date(Date.UTC(2026, 5, 1) + seq * 100).toISOString() });

describe('history in PostgreSQL', () => {
  let pgServer: Postgres;
  beforeAll(async () => {
    pgServer = await startPostgres();
  }, 60_000);
  afterAll(() => pgServer?.destroy());

  describe('an engine with --store postgres', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startEngine({ store: { kind: 'postgres', url: pgServer.url } });
    }, 60_000);
    afterAll(async () => h?.close());

    it('stores what boards publish, says where, and answers the trend from PostgreSQL', async () => {
      for (let seq = 1; seq <= 300; seq++) await h.publisher.publishAsync('factory/pg_motor/telemetry', payload('pg_motor', seq), { qos: 1 });
      await waitFor('300 rows received', () => h.engine.pipeline.counters.received >= 300);
      await h.engine.drain();
      expect(await count(pgServer.url, 'pg_motor')).toEqual({ n: 300, seqs: 300 });
      expect(h.engine.status().store).toEqual({ kind: 'postgres', location: pgServer.url });
      const from = Date.UTC(2026, 5, 1);
      const trend = await h.engine.historian.history({ id: 'pg_motor', metrics: ['temperature'], from, to: from + 3600_000, maxPoints: 60 });
      expect(trend.resolution).toBe('1m');
      expect(trend.series.temperature!.max[0]).toBe(49);
      expect(trend.series.temperature!.min[0]).toBe(40);
    });

    it('keeps what it received while PostgreSQL restarts, says it waits, and stores it once PostgreSQL is back', async () => {
      const id = 'pg_restart';
      let seq = 0;
      const before = h.engine.pipeline.counters.received;
      const publishSome = async (n: number) => {
        for (let i = 0; i < n; i++) await h.publisher.publishAsync(`factory/${id}/telemetry`, payload(id, ++seq), { qos: 1 });
      };
      await publishSome(100);
      await waitFor('first rows stored', async () => (await count(pgServer.url, id)).n > 0);
      pgServer.stop('immediate');
      // Publishing goes on while the database is gone; the engine says why nothing is saved.
      for (let round = 0; round < 10; round++) await publishSome(50);
      await waitFor('status says it waits', () => /waiting for PostgreSQL/.test(h.engine.status().ingest.storageError ?? ''), 30_000);
      await publishSome(100);
      expect(h.engine.status().ingest.pendingWrites).toBeGreaterThan(0);
      pgServer.start();
      await publishSome(100);
      await waitFor('every received row received', () => h.engine.pipeline.counters.received >= before + seq);
      await waitFor('status clears', () => h.engine.status().ingest.storageError === null, 60_000);
      await h.engine.drain();
      expect(await count(pgServer.url, id)).toEqual({ n: seq, seqs: seq });
      expect(h.engine.writer.dropped).toBe(0);
    }, 120_000);
  });

  it('stores a re-sent batch once (the unique device, time and sequence key)', async () => {
    const url = pgServer.createDatabase('resend');
    const make = (from: number, to: number): TelemetryRow[] =>
      Array.from({ length: to - from }, (_, i) => ({ deviceId: 'r1', ts: Date.UTC(2026, 2, 1) + (from + i) * 1000, receivedAt: Date.now(), seq: from + i, tsSuspect: false, source: 'mqtt', values: { temperature: from + i } }));
    // Two instances' writers, as a standby taking over would have: the second re-sends half of the first's rows.
    const a = new PgHistorian(await PgStore.open(url));
    const b = new PgHistorian(await PgStore.open(url));
    try {
      const wa = a.telemetryWriter({});
      const wb = b.telemetryWriter({}) as PgTelemetryWriter;
      for (const r of make(0, 1000)) wa.enqueue(r);
      await wa.flush();
      for (const r of make(500, 1500)) wb.enqueue(r);
      await wb.flush();
      // The same rows again, whole: nothing new.
      for (const r of make(0, 1500)) wb.enqueue(r);
      await wb.flush();
      expect(wb.lastError).toBeNull();
      expect(wb.duplicates).toBe(500 + 1500);
      expect(await count(url, 'r1')).toEqual({ n: 1500, seqs: 1500 });
      await wa.close();
      await wb.close();
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses a wrong or unreachable database at start, saying where and what to check, and exits', async () => {
    const port = await freePort();
    const common = ['serve', '--no-sim', '--port', '0', '--mqtt-port', String(await freePort()), '--data-dir', tempDir()];
    const unreachable = await runCli([...common, '--store', `postgres://postgres@127.0.0.1:${port}/motortwin`]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(`cannot open the PostgreSQL history at 127.0.0.1:${port}`);
    expect(unreachable.stderr).toMatch(/ECONNREFUSED|connect/);
    expect(unreachable.stderr).toContain('is PostgreSQL running');
    const wrongDb = await runCli([...common, '--store', `postgres://postgres@127.0.0.1:${pgServer.port}/no_such_db`]);
    expect(wrongDb.code).toBe(1);
    expect(wrongDb.stderr).toContain('database "no_such_db" does not exist');
    expect(wrongDb.stderr).toContain('create it');
    const notUrl = await runCli([...common, '--store', 'mysql://x@y/z']);
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toContain('only postgres:// URLs');
  }, 120_000);
});
