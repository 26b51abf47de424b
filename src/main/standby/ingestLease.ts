import { EventEmitter } from 'node:events';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { withoutCredentials } from '../broker/urls';
import type { Log } from '../platform/log';

/**
 * The ingest lease: of the `serve` instances on one PostgreSQL, the one whose session holds this advisory
 * lock ingests; the others serve the UI and API and try the lock every second. PostgreSQL releases the
 * lock the moment the holder's session ends (a killed process, a closed socket), so a standby takes over
 * within about a second of the holder dying. Nothing is written to a table: the holder's name is the
 * `application_name` of the session that holds the lock, so it can never outlive it.
 */
export interface LeaseOptions {
  /** postgres://… of the store both instances use. */
  url: string;
  /** What the lease guards (the persistent MQTT session's client id): one lease per name. */
  name: string;
  /** This instance's name as /api/health shows it (hostname:port unless given). */
  instance: string;
  /** How often a standby tries the lock. */
  tryEveryMs?: number;
  /** How often the holder checks its session is alive, and how long an answer may take before it stops. */
  heartbeatMs?: number;
  heartbeatTimeoutMs?: number;
  log?: Log;
}

export type LeaseRole = 'active' | 'standby';

export interface LeaseStatus {
  role: LeaseRole;
  /** This instance's name. */
  instance: string;
  /** The instance whose session holds the lease (this one when active; null when no one holds it or it is unknown). */
  holder: string | null;
  /** When this instance took the lease (ms since epoch), while it holds it. */
  since: number | null;
  /** Why this instance cannot try the lease (PostgreSQL unreachable), shown on /api/health. */
  error: string | null;
}

interface LeaseEvents {
  /** This instance holds the lease: start ingest. */
  acquired: [];
  /** The lease's session is gone or silent: stop ingest at once, before anyone else can take the lease. */
  lost: [reason: string];
}

/** pg_locks shows a two-key advisory lock as classid/objid with objsubid 2; both keys are kept non-negative so they read back as given. */
const LEASE_CLASS = 0x4d54_4c53; // "MTLS"
const APP_PREFIX = 'motortwin-ingest:';
/**
 * Tries a standby gets before the instance that lost the lease tries again: without it the two race, and the
 * holder whose session the server ended (or a network hiccup cut) often wins the lease straight back.
 */
const LOST_HOLD_OFF_TRIES = 3;

export const leaseKey = (name: string) => createHash('sha256').update(name).digest().readUInt32BE(0) & 0x7fff_ffff;

export class IngestLease extends EventEmitter<LeaseEvents> {
  private client: pg.Client | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  /** Until when an instance that just lost the lease waits before trying again (see fence). */
  private holdOffUntil = 0;
  private readonly key: number;
  private readonly state: LeaseStatus;

  constructor(private readonly opts: LeaseOptions) {
    super();
    this.key = leaseKey(opts.name);
    this.state = { role: 'standby', instance: opts.instance, holder: null, since: null, error: null };
  }

  status(): LeaseStatus {
    return { ...this.state };
  }

  get active(): boolean {
    return this.state.role === 'active';
  }

  /** Tries the lease now and then every `tryEveryMs` until stopped; resolves after the first try. */
  async start(): Promise<void> {
    this.stopped = false;
    // Started again after a stop: a fresh instance, with no loss to step back from.
    this.holdOffUntil = 0;
    await this.tick();
  }

  /** Gives the lease back (a clean shutdown: the standby takes it within a second) and stops trying. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    if (this.state.role === 'active') this.fence('this instance is stopping');
    // Ending the session releases the lock; a session that will not end cleanly is dropped by PostgreSQL anyway.
    await client?.end().catch(() => undefined);
  }

  /** Gives the lease up but keeps trying (this instance could not ingest: let another one). */
  release(reason: string): void {
    this.fence(reason);
    this.dropSession();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    const wait = this.holdOffUntil - Date.now();
    if (this.state.role !== 'active' && wait > 0) return this.schedule(wait);
    try {
      if (this.state.role === 'active') await this.heartbeat();
      else await this.tryLease();
      this.state.error = null;
    } catch (e) {
      const reason = `PostgreSQL ${withoutCredentials(this.opts.url)}: ${(e as Error).message}`;
      if (this.state.role === 'active') this.fence(reason);
      else if (this.state.error !== reason) this.opts.log?.warn(`cannot try the ingest lease: ${reason}`);
      this.state.error = reason;
      this.dropSession();
    }
    this.schedule(this.state.role === 'active' ? (this.opts.heartbeatMs ?? 1000) : (this.opts.tryEveryMs ?? 1000));
  }

  private async tryLease(): Promise<void> {
    const client = this.client ?? (await this.connect());
    const got = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1::int, $2::int) AS got', [LEASE_CLASS, this.key]);
    if (this.stopped || client !== this.client) return;
    if (!got.rows[0]?.got) {
      this.state.holder = await this.holder(client);
      return;
    }
    this.state.role = 'active';
    this.state.holder = this.opts.instance;
    this.state.since = Date.now();
    this.opts.log?.info({ instance: this.opts.instance }, `${this.opts.instance} holds the ingest lease: ingesting`);
    this.emit('acquired');
  }

  /** The holder's session answers within the timeout, or this instance stops ingesting. */
  private async heartbeat(): Promise<void> {
    const client = this.client;
    if (!client) throw new Error('the lease session is gone');
    const timeoutMs = this.opts.heartbeatTimeoutMs ?? 3000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const silent = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the lease session did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([client.query('SELECT 1'), silent]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async holder(client: pg.Client): Promise<string | null> {
    const r = await client.query<{ name: string }>(
      `SELECT a.application_name AS name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::int::oid AND l.objid = $2::int::oid AND l.objsubid = 2`,
      [LEASE_CLASS, this.key],
    );
    const name = r.rows[0]?.name;
    return name?.startsWith(APP_PREFIX) ? name.slice(APP_PREFIX.length) : null;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.opts.url,
      // PostgreSQL caps application_name at 63 bytes.
      application_name: `${APP_PREFIX}${this.opts.instance}`.slice(0, 63),
      connectionTimeoutMillis: 5000,
      keepAlive: true,
      // The server drops a silent holder only after ~11 s (5 + 3 x 2), well after the holder's own heartbeat
      // (3 s) has stopped it: the old holder always stops ingesting before the lock can pass to another.
      options: '-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3',
    });
    // The session ending is the lease ending: fence at once rather than at the next heartbeat.
    const gone = (why: string) => {
      if (this.client !== client) return;
      this.dropSession();
      if (this.state.role === 'active') this.fence(why);
    };
    client.on('error', (e) => gone(`the lease session failed: ${e.message}`));
    client.on('end', () => gone('the lease session ended'));
    this.client = client;
    try {
      await client.connect();
    } catch (e) {
      if (this.client === client) this.client = null;
      throw e;
    }
    return client;
  }

  private dropSession(): void {
    const client = this.client;
    this.client = null;
    // A session that failed may never answer an orderly goodbye; it is abandoned either way.
    client?.end().catch(() => undefined);
  }

  private fence(reason: string): void {
    if (this.state.role !== 'active') return;
    this.state.role = 'standby';
    this.state.holder = null;
    this.state.since = null;
    // Whatever made this instance lose its session may strike again: the standby gets the first tries.
    this.holdOffUntil = Date.now() + LOST_HOLD_OFF_TRIES * (this.opts.tryEveryMs ?? 1000);
    this.opts.log?.warn({ instance: this.opts.instance }, `${this.opts.instance} stopped ingesting: ${reason}`);
    this.emit('lost', reason);
  }
}
