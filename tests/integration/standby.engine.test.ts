import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createEngine } from '../../src/main/engine';
import { MotorDatabase } from '../../src/main/store/database';
import { startHttpServer } from '../../src/main/server/httpServer';
import { startPostgres, type Postgres } from '../support/postgres';
import { startSeqBoard } from '../support/seqBoard';
import { startMosquitto, tempDir, waitFor, type Mosquitto } from '../support/tools';

// Two engines on one PostgreSQL (for the lease) and one Mosquitto: only the lease holder connects with the
// shared persistent session; the other waits. When the holder stops, the standby takes the lease, resumes
// the session, and the broker hands it what arrived meanwhile. Each engine keeps its history in its own
// DuckDB file here, so together they must hold every acknowledged reading.
describe('standby engine', () => {
  let db: Postgres;
  let broker: Mosquitto;
  beforeAll(async () => {
    db = await startPostgres();
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker?.stop();
    db?.destroy();
  });

  const engine = (instance: string, dataDir = tempDir()) =>
    createEngine({
      dataDir,
      broker: { mode: 'external', url: `mqtt://127.0.0.1:${broker.port}` },
      flushIntervalMs: 50,
      agent: { env: {} },
      ingestLease: { url: db.url, instance, clientId: 'motortwin-ingest-standby-test' },
    });
  const seqs = async (d: MotorDatabase) => (await d.query("SELECT seq FROM telemetry WHERE device_id = 'm_standby'")).map((r) => Number(r.seq));

  it('only the holder ingests; the standby takes over with what arrived while no one did', async () => {
    const aDir = tempDir();
    const a = await engine('plant-a', aDir);
    const b = await engine('plant-b');
    const server = await startHttpServer(b, { host: '127.0.0.1', port: 0, uiDir: null });
    try {
      expect(a.lease?.status()).toMatchObject({ role: 'active', holder: 'plant-a' });
      await waitFor('the standby to name the holder', () => b.lease?.status().holder === 'plant-a');
      const health = await (await fetch(`${server.url}/api/health`)).json();
      expect(health.ingest_lease).toMatchObject({ role: 'standby', instance: 'plant-b', holder: 'plant-a', store_reachable: true });
      expect(JSON.stringify(health.ingest_lease)).not.toContain(db.url);
      expect(b.status().broker).toMatchObject({ connected: false, note: 'standby: plant-a holds the ingest lease' });

      const board = await startSeqBoard(`mqtt://127.0.0.1:${broker.port}`, 'm_standby', { everyMs: 10 });
      await waitFor('the holder storing', async () => (await a.drain(), (await seqs(a.db)).length >= 100), 30_000);
      expect(b.status().ingest.received).toBe(0);

      await a.close();
      await waitFor('the standby to take over', () => b.lease?.active);
      await waitFor('the standby storing', async () => (await b.drain(), (await seqs(b.db)).length >= 100), 30_000);
      const after = await (await fetch(`${server.url}/api/health`)).json();
      expect(after.ingest_lease).toMatchObject({ role: 'active', holder: 'plant-b' });

      await board.stop();
      expect(board.acked.size).toBe(board.published());
      const first = await MotorDatabase.open(join(aDir, 'motortwin.duckdb'));
      const stored = new Set(await seqs(first));
      first.close();
      await waitFor('every acknowledged reading stored by one of them', async () => {
        await b.drain();
        for (const s of await seqs(b.db)) stored.add(s);
        return [...board.acked].every((s) => stored.has(s));
      }, 30_000);
    } finally {
      await server.close();
      await b.close();
    }
  });
});
