import type { PgStore } from './pgStore';

/** A time in ms as a PostgreSQL literal (the values are numbers we made, never text from outside). */
export const pgTime = (ms: number | null) => (ms === null ? 'NULL' : `to_timestamp(${Math.round(ms)}::DOUBLE PRECISION / 1000)`);
/** A timestamp column read back as ms since the epoch. */
export const pgEpochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::DOUBLE PRECISION`;

/**
 * Small writes of a store kept in the order they were made (an audit trail, an alarm's transitions), one
 * statement at a time; a failed one is reported and never stops the engine or the writes after it.
 */
export class PgWriteQueue {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: PgStore,
    private readonly onError: (what: string, e: Error) => void,
  ) {}

  write(what: string, sql: string, params: unknown[]): void {
    this.queue = this.queue.then(() => this.store.pool.query(sql, params).then(() => undefined, (e: Error) => this.onError(what, e)));
  }

  flush(): Promise<void> {
    return this.queue;
  }
}
