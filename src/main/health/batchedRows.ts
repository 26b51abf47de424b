import type { DuckDBValue } from '@duckdb/node-api';

/** Renders one row's VALUES tuple, handing each parameter to `param` for its `$n`. */
export type RowSql = (param: (v: DuckDBValue) => string) => string;

/**
 * Rows for one table gathered into a single multi-row INSERT: each statement DuckDB commits costs far more
 * than a row in it, and 50 motors wrote about 40 one-row statements a second. A row with the key of one
 * already waiting replaces it (an upsert may not touch one key twice in a statement, and the newer wins).
 */
export class BatchedRows {
  private rows = new Map<string, RowSql>();
  private unkeyed = 0;

  constructor(
    readonly what: string,
    private readonly head: string,
    private readonly tail = '',
  ) {}

  get size(): number {
    return this.rows.size;
  }

  add(key: string | null, row: RowSql): void {
    this.rows.set(key ?? `\u0000${this.unkeyed++}`, row);
  }

  /** The statement for every row waiting, which are then no longer waiting; null when none is. */
  take(): { sql: string; params: DuckDBValue[] } | null {
    if (!this.rows.size) return null;
    const params: DuckDBValue[] = [];
    const param = (v: DuckDBValue) => `$${params.push(v)}`;
    const values = [...this.rows.values()].map((row) => row(param));
    this.rows = new Map();
    return { sql: `${this.head} VALUES ${values.join(', ')} ${this.tail}`, params };
  }
}
