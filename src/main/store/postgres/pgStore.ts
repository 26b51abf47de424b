import pg from 'pg';
import { PG_LATEST_SCHEMA_VERSION, PG_MIGRATIONS, type PgFlavour } from './pgSchema';
import { PartitionKeeper } from './partitions';
import { redact } from './storeChoice';

/** The pool's settings; other parts (accounts, the ingest lease) open their own clients with these. */
export function connectionConfig(url: string): pg.ClientConfig {
  return {
    connectionString: url,
    application_name: 'motortwin',
    // A server that does not answer is named within seconds instead of hanging the start.
    connectionTimeoutMillis: 5_000,
    keepAlive: true,
  };
}

/**
 * The plant server's PostgreSQL: one pool for every store on it, the schema migrated at start, and whether
 * TimescaleDB is there. Other parts plug in through `pool` (short statements) or `connectionConfig` (a
 * session of their own, e.g. one that holds an advisory lock).
 */
export class PgStore {
  readonly partitions: PartitionKeeper;

  private constructor(
    readonly url: string,
    readonly pool: pg.Pool,
    readonly flavour: PgFlavour,
  ) {
    this.partitions = new PartitionKeeper(pool, flavour);
  }

  /** Where the history lives, without the password. */
  get location(): string {
    return redact(this.url);
  }

  /** Settings for a client of one's own (a session-level advisory lock needs one connection for its life). */
  get connectionConfig(): pg.ClientConfig {
    return connectionConfig(this.url);
  }

  static async open(url: string): Promise<PgStore> {
    const config = connectionConfig(url);
    const pool = new pg.Pool({ ...config, max: 8, idleTimeoutMillis: 30_000 });
    // A dropped idle connection (PostgreSQL restarting) is an 'error' on the pool: without a listener it would
    // end the process. The next query opens a fresh connection; the writers say "waiting for PostgreSQL".
    pool.on('error', () => undefined);
    // So is a connection lost while checked out but between queries (the writer keeps one): the query that
    // next uses it fails and the caller reports and retries.
    pool.on('connect', (client) => client.on('error', () => undefined));
    try {
      const client = await pool.connect().catch((e: Error) => {
        throw new Error(explainConnectError(url, e));
      });
      let flavour: PgFlavour;
      try {
        flavour = await migrate(client);
      } finally {
        client.release();
      }
      const store = new PgStore(url, pool, flavour);
      await store.partitions.ensureAhead(Date.now());
      return store;
    } catch (e) {
      // The failure to open is the one to report; a pool that also fails to end holds nothing.
      await pool.end().catch(() => undefined);
      throw e;
    }
  }

  async close(): Promise<void> {
    this.partitions.stop();
    await this.pool.end();
  }
}

async function migrate(client: pg.PoolClient): Promise<PgFlavour> {
  // Two instances starting at once (a standby) must not both migrate: the first holds this lock until done.
  await client.query('SELECT pg_advisory_lock(hashtext($1))', ['motortwin schema migration']);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL, flavour TEXT NOT NULL)');
    const { rows } = await client.query<{ v: number; flavour: string | null }>(
      'SELECT coalesce(max(version), 0)::INTEGER AS v, (SELECT flavour FROM schema_version ORDER BY version LIMIT 1) AS flavour FROM schema_version',
    );
    const current = rows[0].v;
    if (current > PG_LATEST_SCHEMA_VERSION) {
      throw new Error(`the PostgreSQL history has schema version ${current}, newer than this MotorTwin understands (${PG_LATEST_SCHEMA_VERSION}): update MotorTwin`);
    }
    // The shape chosen at the first start stays: TimescaleDB installed later does not turn plain tables into hypertables.
    const flavour: PgFlavour = { timescale: rows[0].flavour ? rows[0].flavour === 'timescaledb' : await timescaleAvailable(client) };
    for (const m of PG_MIGRATIONS.filter((x) => x.version > current)) {
      await client.query('BEGIN');
      try {
        await client.query(m.sql(flavour));
        await client.query('INSERT INTO schema_version VALUES ($1, $2, now(), $3)', [m.version, m.name, flavour.timescale ? 'timescaledb' : 'plain']);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw new Error(`PostgreSQL migration ${m.version} (${m.name}) failed: ${(e as Error).message}`);
      }
    }
    return flavour;
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['motortwin schema migration']);
  }
}

async function timescaleAvailable(client: pg.PoolClient): Promise<boolean> {
  const { rows } = await client.query("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'");
  return rows.length > 0;
}

/** What went wrong reaching the database, and what to check: said once at start, then serve exits. */
export function explainConnectError(url: string, e: Error & { code?: string }): string {
  let where = redact(url);
  try {
    const u = new URL(url);
    where = `${u.hostname}:${u.port || 5432}, database "${decodeURIComponent(u.pathname.slice(1))}" as "${decodeURIComponent(u.username) || 'the current user'}"`;
  } catch {
    // Not a URL: the redacted text names it well enough.
  }
  const said = e.message || e.code || String(e);
  const hint =
    e.code === 'ECONNREFUSED'
      ? 'nothing listens there: is PostgreSQL running, on that host and port?'
      : e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN'
        ? 'the host name does not resolve: check its spelling and DNS'
        : e.code === '3D000'
          ? 'the database does not exist: create it (createdb) or fix the name in the URL'
          : e.code === '28P01' || e.code === '28000'
            ? 'the user or password was refused: check them and pg_hba.conf'
            : /timeout/i.test(said)
              ? 'no answer in time: check the host, the port and any firewall between'
              : 'check the URL, that PostgreSQL runs there, and that this user may connect';
  return `cannot open the PostgreSQL history at ${where}: PostgreSQL said "${said}". ${hint}`;
}
