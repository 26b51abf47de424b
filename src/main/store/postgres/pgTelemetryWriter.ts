import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { READING_NAMES } from '../../../shared/readings';
import type { TelemetryRow, WriterOptions } from '../telemetryWriter';
import type { TelemetrySink } from '../historian';
import { TelemetryQueue } from '../telemetryQueue';
import type { PgStore } from './pgStore';
import { silentLog } from '../../platform/log';

export const TELEMETRY_COLUMNS = ['device_id', 'ts', 'received_at', 'seq', 'ts_suspect', 'source', ...READING_NAMES];
const COLUMN_LIST = TELEMETRY_COLUMNS.join(', ');
/** Rows per COPY: large enough to cost little per row, small enough that a retry resends little. */
const BATCH_ROWS = 20_000;

/**
 * Telemetry into PostgreSQL in batches with COPY. The usual batch is copied straight into telemetry in one
 * transaction; when it overlaps rows already stored (a standby taking over, a board re-sending, a commit
 * whose answer was lost) the unique key refuses it, and the batch goes again through a temporary table and
 * INSERT … ON CONFLICT DO NOTHING, so nothing is stored twice and the rest is kept.
 *
 * Rows count as stored once PostgreSQL committed them. Until then they stay in memory (up to
 * maxPendingRows, beyond which the oldest are dropped and counted): a PostgreSQL restarting or out of reach
 * pauses ingest with "waiting for PostgreSQL" in the status, and the rows go once it answers again.
 */
export class PgTelemetryWriter extends TelemetryQueue implements TelemetrySink {
  /** The batch being copied: out of `pending` until it commits, back in front of it if it fails. */
  private inflight: TelemetryRow[] = [];
  private client: pg.PoolClient | null = null;
  /** Flushes run one after another, each writing what was pending when it began. */
  private chain: Promise<void> = Promise.resolve();
  private busy = false;
  /** Rows a re-sent batch carried that were stored already (and so were not stored again). */
  duplicates = 0;

  constructor(
    private readonly store: PgStore,
    options: WriterOptions = {},
  ) {
    super(options);
  }

  start(): void {
    this.startFlushTimer();
  }

  protected get heldRows(): number {
    return this.inflight.length;
  }

  protected get writing(): boolean {
    return this.busy;
  }

  /** Writes everything pending at the time it runs; resolves once committed (or the attempt failed). */
  flush(): Promise<void> {
    // drain() reports a store's failure in lastError; only a throwing onFlush could reject, and that must
    // not stop every later flush.
    this.chain = this.chain.then(() => this.drain()).catch((e: Error) => (this.opts.log ?? silentLog).error({ err: e }, 'after a flush'));
    return this.chain;
  }

  private async drain(): Promise<void> {
    this.busy = true;
    try {
      let left = this.pending.length;
      while (left > 0) {
        const n = Math.min(left, BATCH_ROWS);
        if (!(await this.writeFront(n))) return;
        left -= n;
      }
    } finally {
      this.busy = false;
    }
    // Rows that piled up during a slow commit go at once rather than at the next tick.
    if (this.pending.length >= this.opts.flushRows) void this.flush();
  }

  /** Copies the first `n` pending rows; true once they are committed. */
  private async writeFront(n: number): Promise<boolean> {
    const batch = this.pending.splice(0, n);
    this.inflight = batch;
    try {
      const client = (this.client ??= await this.store.pool.connect());
      await this.store.partitions.ensureFor(
        batch.map((r) => r.ts),
        client,
      );
      const text = copyText(batch);
      try {
        await this.copyInTransaction(client, `COPY telemetry (${COLUMN_LIST}) FROM STDIN`, text);
      } catch (e) {
        if ((e as { code?: string }).code !== '23505') throw e;
        await this.copyDeduplicated(client, text, batch.length);
      }
    } catch (e) {
      this.pending = batch.concat(this.pending);
      this.inflight = [];
      this.dropClient(e as Error);
      this.setError(describe(this.store, e as Error));
      return false;
    }
    this.inflight = [];
    this.committed(batch);
    return true;
  }

  private async copyInTransaction(client: pg.PoolClient, copySql: string, text: string, after?: string): Promise<pg.QueryResult | null> {
    await client.query('BEGIN');
    try {
      await pipeline(Readable.from([text]), client.query(copyFrom(copySql)));
      const r = after ? await client.query(after) : null;
      await client.query('COMMIT');
      return r;
    } catch (e) {
      // A broken connection cannot roll back; dropClient() discards it and the server rolls back on its own.
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  private async copyDeduplicated(client: pg.PoolClient, text: string, rows: number): Promise<void> {
    await client.query('CREATE TEMP TABLE IF NOT EXISTS telemetry_incoming (LIKE telemetry) ON COMMIT DELETE ROWS');
    const r = await this.copyInTransaction(
      client,
      `COPY telemetry_incoming (${COLUMN_LIST}) FROM STDIN`,
      text,
      `INSERT INTO telemetry (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM telemetry_incoming ON CONFLICT DO NOTHING`,
    );
    this.duplicates += rows - (r?.rowCount ?? rows);
  }

  private dropClient(e: Error): void {
    // Passing the error makes the pool destroy the connection rather than hand it out again.
    this.client?.release(e);
    this.client = null;
  }

  async close(): Promise<void> {
    this.stopFlushTimer();
    await this.flush();
    this.client?.release();
    this.client = null;
  }
}

/** PostgreSQL's COPY text format: tab-separated, \N for NULL, backslash escapes in text. */
export function copyText(rows: readonly TelemetryRow[]): string {
  const lines: string[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    let line = `${escapeText(r.deviceId)}\t${new Date(r.ts).toISOString()}\t${new Date(r.receivedAt).toISOString()}\t${r.seq === null ? '\\N' : r.seq}\t${r.tsSuspect ? 't' : 'f'}\t${escapeText(r.source)}`;
    for (const name of READING_NAMES) {
      const v = r.values[name];
      line += v === null || v === undefined ? '\t\\N' : `\t${v}`;
    }
    lines[i] = line;
  }
  return lines.join('\n') + '\n';
}

const escapeText = (s: string) => (/[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s);

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', '57P01', '57P02', '57P03']);

/** A lost or refused connection is a wait; anything else is an error in plain words. */
function describe(store: PgStore, e: Error & { code?: string }): string {
  const lost = CONNECTION_CODES.has(e.code ?? '') || (e.code ?? '').startsWith('08') || /Connection terminated|connect|timeout/i.test(e.message);
  return lost ? `waiting for PostgreSQL at ${store.location}: ${e.message}` : `history is not being saved to PostgreSQL: ${e.message}`;
}
