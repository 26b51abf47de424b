import { createServer, connect, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestLease } from '../../src/main/standby/ingestLease';
import { startPostgres, type Postgres } from '../support/postgres';
import { waitFor } from '../support/tools';

// The ingest lease on a real PostgreSQL: one holder at a time, the standby takes over when the holder's
// session ends, and the holder stops (fences) as soon as its session is lost or silent, before anyone
// else can take the lease.
describe('ingest lease (PostgreSQL advisory lock)', () => {
  let db: Postgres;
  const leases: IngestLease[] = [];
  beforeAll(async () => {
    db = await startPostgres();
  });
  afterAll(async () => {
    for (const l of leases) await l.stop();
    db?.destroy();
  });

  /** A lease and the order of what happened to it, in one log shared by the test's leases. */
  const events: string[] = [];
  const lease = (instance: string, name: string, url = db.url, extra: { heartbeatTimeoutMs?: number } = {}) => {
    const l = new IngestLease({ url, name, instance, tryEveryMs: 200, heartbeatMs: 200, ...extra });
    l.on('acquired', () => events.push(`${instance} acquired`));
    l.on('lost', () => events.push(`${instance} lost`));
    leases.push(l);
    return l;
  };
  const sql = async (text: string, params: unknown[] = []) => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      return (await c.query(text, params)).rows;
    } finally {
      await c.end();
    }
  };

  it('one holder; the standby names it and takes over when it stops', async () => {
    const a = lease('plant-a:8787', 'session-1');
    const b = lease('plant-b:8787', 'session-1');
    await a.start();
    await b.start();
    expect(a.status()).toMatchObject({ role: 'active', holder: 'plant-a:8787' });
    await waitFor('the standby to name the holder', () => b.status().holder === 'plant-a:8787');
    expect(b.status().role).toBe('standby');
    // Another name is another lease: both hold their own.
    const other = lease('plant-c:8787', 'session-2');
    await other.start();
    expect(other.active).toBe(true);

    await a.stop();
    await waitFor('the standby to take the lease', () => b.active);
    expect(b.status()).toMatchObject({ role: 'active', holder: 'plant-b:8787', instance: 'plant-b:8787' });
    await a.start();
    expect(a.status()).toMatchObject({ role: 'standby', holder: 'plant-b:8787' });
    await b.stop();
    await other.stop();
    await a.stop();
  });

  it('a holder whose session is ended by the server stops ingesting before the standby takes over', async () => {
    events.length = 0;
    const a = lease('a', 'session-3');
    const b = lease('b', 'session-3');
    await a.start();
    await b.start();
    expect(a.active).toBe(true);
    await sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'motortwin-ingest:a'`);
    await waitFor('the standby to take the lease', () => b.active);
    expect(events).toEqual(['a acquired', 'a lost', 'b acquired']);
    // The old holder keeps trying and finds the new one there.
    await waitFor('the old holder to see the new one', () => a.status().holder === 'b');
    expect(a.active).toBe(false);
    await a.stop();
    await b.stop();
  });

  it('PostgreSQL restarting: the holder fences at once, and the lease is taken again once it is back', async () => {
    events.length = 0;
    const a = lease('a', 'session-4');
    await a.start();
    expect(a.active).toBe(true);
    db.stop('immediate');
    await waitFor('the holder to fence', () => !a.active);
    expect(events).toEqual(['a acquired', 'a lost']);
    await waitFor('the lease to say the store is unreachable', () => a.status().error !== null);
    db.start();
    await waitFor('the lease taken again', () => a.active, 30_000);
    expect(a.status().error).toBeNull();
    await a.stop();
  });

  it('a holder whose session goes silent (a network cut) stops before the lock can pass on', async () => {
    events.length = 0;
    const cut = await cuttableProxy(db.port);
    const a = lease('a', 'session-5', db.url.replace(`:${db.port}/`, `:${cut.port}/`), { heartbeatTimeoutMs: 1000 });
    const b = lease('b', 'session-5');
    await a.start();
    await b.start();
    expect(a.active).toBe(true);
    cut.freeze();
    await waitFor('the silent holder to fence', () => !a.active);
    // PostgreSQL still sees the session, so the lock is still held and the standby cannot take it yet.
    expect(b.active).toBe(false);
    expect(events).toEqual(['a acquired', 'a lost']);
    // Once the server drops the session (here: the cut closes it), the standby takes over.
    cut.close();
    await waitFor('the standby to take the lease', () => b.active);
    expect(events).toEqual(['a acquired', 'a lost', 'b acquired']);
    await a.stop();
    await b.stop();
  });
});

/** A TCP relay to PostgreSQL that can stop forwarding without closing anything (a cable pulled), then close. */
async function cuttableProxy(target: number): Promise<{ port: number; freeze(): void; close(): void }> {
  const sockets: Socket[] = [];
  let frozen = false;
  const server: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    sockets.push(client, upstream);
    client.on('data', (d) => frozen || upstream.write(d));
    upstream.on('data', (d) => frozen || client.write(d));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    freeze: () => (frozen = true),
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}
