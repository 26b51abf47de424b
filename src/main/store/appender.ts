import type { DuckDBAppender } from '@duckdb/node-api';

/**
 * Closes an appender without writing what it still holds. An appender whose flush failed keeps its rows, and
 * DuckDB flushes them when the object is closed or garbage-collected, by table name: after the table came back
 * (or a staging table was emptied) a batch the caller kept to retry would be written twice, at a moment set by
 * the garbage collector.
 */
export function discardAppender(appender: DuckDBAppender | null): void {
  if (!appender) return;
  try {
    appender.clear();
    appender.closeSync();
  } catch {
    // Closing a cleared appender has nothing left to write; an error here only repeats the failure that led here.
  }
}
