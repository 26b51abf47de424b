import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './schema';
import { assess, beforeOpen, StoreJournal, type StorageHealth } from './storageHealth';
import { createLog, type Log } from '../platform/log';

export type Row = Record<string, unknown>;

/** The attached in-memory database telemetry is appended to before it is committed to the file. */
export const STAGING = 'staging';

/** DuckDB's memory_limit (its GB: 10^9 bytes), which its buffer manager spills to disk beyond. */
export const DB_MEMORY_LIMIT_BYTES = 1e9;

/**
 * DuckDB's memory_limit while a bulk import runs (see allCores). The import's temporary copy of a file (the
 * row-by-row path) is held in DuckDB's buffers up to the limit before it spills: a 1 GiB file with a bad row
 * took the import to 1,267 MiB resident at 1 GB, 733 MiB at 300 MB, in about the same time.
 */
export const BULK_MEMORY_LIMIT_BYTES = 0.3e9;

/**
 * Row-group merges one checkpoint may run (DuckDB's max_vacuum_tasks, 100 by default). A file read by every
 * core is stored in row groups that are not all full, and a checkpoint merges them holding their rows
 * decompressed, outside much of the memory limit: with 100 the first checkpoint after a 1 GiB import (at
 * close) took the import's process from 230 to 1,390 MiB resident; with 4 its peak was 661-679 MiB. Later checkpoints
 * merge a few more each; a table keeps some partly filled row groups meanwhile (a little more space).
 */
const VACUUM_TASKS_PER_CHECKPOINT = 4;

const memoryLimit = (bytes: number) => `SET memory_limit = '${bytes / 1e6}MB'`;

export interface DatabaseOptions {
  /**
   * DuckDB's worker threads outside bulk work (see allCores); by default DuckDB's own, one per core. A running
   * engine's statements are small and steady (a commit a second, a few health rows): with one thread they
   * run where they are called, instead of handing their tasks to a worker that must be woken for each.
   */
  threads?: number;
}

/**
 * The history file. One DuckDB instance per process with its connections kept apart, because statements
 * on one connection share its transaction: telemetry ingest, the rollups' transactions, small writes
 * (twins, rejected messages) and the reader (queries from the UI), so a long query never holds up ingest
 * and a rollup never swallows an ingest commit.
 */
export class MotorDatabase {
  /** What opening found a crash or a damaged file had cost (see storageHealth.ts). */
  storage: StorageHealth = { warnings: [], lostRows: null };
  /** Committed telemetry rows, kept beside the file; null for an in-memory database. */
  journal: StoreJournal | null = null;
  /** The thread count outside bulk work; null when DuckDB keeps its own. */
  private steadyThreads: number | null = null;
  private bulkRuns = 0;
  /** The memory limits asked for by the bulk runs under way. */
  private limits: number[] = [];
  private settingsSet: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly writer: DuckDBConnection,
    readonly reader: DuckDBConnection,
    readonly ingest: DuckDBConnection,
    readonly rollup: DuckDBConnection,
    private readonly log: Log,
  ) {}

  /** `log` hears what opening found a crash had cost (default: stderr, as text). */
  static async open(path: string, log: Log = createLog(), options: DatabaseOptions = {}): Promise<MotorDatabase> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    // Read before DuckDB replays (and then truncates) the write-ahead log.
    const before = path === ':memory:' ? null : beforeOpen(path);
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path);
    } catch (e) {
      throw new Error(explainOpenError(path, e as Error));
    }
    // DuckDB would cache up to 80 % of RAM; MotorTwin shares a laptop with other tools, so it keeps a
    // bounded cache (queries spill to disk beyond it).
    const setup = await instance.connect();
    await setup.run(memoryLimit(DB_MEMORY_LIMIT_BYTES));
    await setup.run(`SET max_vacuum_tasks = ${VACUUM_TASKS_PER_CHECKPOINT}`);
    if (options.threads) await setup.run(`SET threads = ${Math.max(1, Math.floor(options.threads))}`);
    setup.closeSync();
    const db = new MotorDatabase(path, instance, await instance.connect(), await instance.connect(), await instance.connect(), await instance.connect(), log);
    db.steadyThreads = options.threads ? Math.max(1, Math.floor(options.threads)) : null;
    await db.migrate();
    await db.attachStaging();
    if (before) await db.checkRecovery(before, log);
    return db;
  }

  private async checkRecovery(before: ReturnType<typeof beforeOpen>, log: Log): Promise<void> {
    const [{ n }] = await this.query('SELECT count(*) AS n FROM main.telemetry', [], this.writer);
    const { notes, ...health } = assess(this.path, before, Number(n));
    this.storage = health;
    this.journal = new StoreJournal(this.path, Number(n));
    // Said at start by whoever opens the file (serve, the CLI, the desktop app's log), and kept in the status.
    for (const w of health.warnings) log.warn(w);
    for (const note of notes) log.info(note);
  }

  async schemaVersion(): Promise<number> {
    const rows = await this.query('SELECT coalesce(max(version), 0) AS v FROM schema_version', [], this.writer);
    return Number(rows[0].v);
  }

  private async migrate(): Promise<void> {
    await this.writer.run('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)');
    const current = await this.schemaVersion();
    if (current > LATEST_SCHEMA_VERSION) {
      throw new Error(`database ${this.path} has schema version ${current}, newer than this MotorTwin understands (${LATEST_SCHEMA_VERSION}): update MotorTwin`);
    }
    for (const m of MIGRATIONS.filter((m) => m.version > current)) {
      await this.writer.run('BEGIN TRANSACTION');
      try {
        await this.writer.run(m.sql);
        await this.writer.run('INSERT INTO schema_version VALUES ($1, $2, now()::TIMESTAMP)', [m.version, m.name]);
        await this.writer.run('COMMIT');
      } catch (e) {
        await this.writer.run('ROLLBACK');
        throw new Error(`migration ${m.version} (${m.name}) failed: ${(e as Error).message}`);
      }
    }
  }

  /**
   * An in-memory twin of the telemetry table. The Appender's flush runs on the main thread, so it goes
   * to memory (fast, nothing to fsync); the durable move into the file is an ordinary async query that
   * DuckDB runs off the event loop (see TelemetryWriter).
   */
  private async attachStaging(): Promise<void> {
    await this.writer.run(`ATTACH ':memory:' AS ${STAGING}`);
    await this.writer.run(`CREATE TABLE ${STAGING}.telemetry AS SELECT * FROM main.telemetry LIMIT 0`);
  }

  /** Runs a query and returns plain JS rows (BIGINT as number: our counts and epochs fit). */
  async query(sql: string, params: DuckDBValue[] = [], conn: DuckDBConnection = this.reader): Promise<Row[]> {
    const reader = await conn.runAndReadAll(sql, params).catch((e: Error) => this.rethrow(e));
    return reader.getRowObjectsJS().map((row) => {
      for (const k in row) if (typeof row[k] === 'bigint') row[k] = Number(row[k]);
      return row as Row;
    });
  }

  async run(sql: string, params: DuckDBValue[] = [], conn: DuckDBConnection = this.writer): Promise<void> {
    await conn.run(sql, params).catch((e: Error) => this.rethrow(e));
  }

  /** A connection of its own for a long transaction (an import) that must not share one with the others. */
  connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  /**
   * Bulk work (an import reading a whole file) with every core DuckDB would use by default, however few
   * threads the steady work has; back to that count once the last such run ends. `memoryLimitBytes` also
   * lowers DuckDB's memory_limit while the run lasts: the lowest of the runs under way holds, and the
   * engine's DB_MEMORY_LIMIT_BYTES once none is left.
   */
  async allCores<T>(work: () => Promise<T>, opts: { memoryLimitBytes?: number } = {}): Promise<T> {
    const threads = this.steadyThreads;
    const limit = opts.memoryLimitBytes;
    if (threads !== null && this.bulkRuns++ === 0) this.change(`SET threads = ${Math.max(threads, availableParallelism())}`);
    if (limit !== undefined) this.changeLimit(() => this.limits.push(limit));
    try {
      await this.settingsSet;
      return await work();
    } finally {
      if (threads !== null && --this.bulkRuns === 0) this.change(`SET threads = ${threads}`);
      if (limit !== undefined) this.changeLimit(() => this.limits.splice(this.limits.indexOf(limit), 1));
      await this.settingsSet;
    }
  }

  /** The memory limits of the bulk runs under way changed: DuckDB gets the lowest, or the engine's. */
  private changeLimit(edit: () => void): void {
    const before = Math.min(DB_MEMORY_LIMIT_BYTES, ...this.limits);
    edit();
    const after = Math.min(DB_MEMORY_LIMIT_BYTES, ...this.limits);
    if (after !== before) this.change(memoryLimit(after));
  }

  /** One change after the other, so a run that starts as another ends is not left with the other's setting. */
  private change(sql: string): void {
    this.settingsSet = this.settingsSet.then(async () => {
      try {
        const setup = await this.instance.connect();
        await setup.run(sql).finally(() => setup.closeSync());
      } catch (e) {
        // Only speed or memory is at stake: DuckDB keeps the setting it had, and the work runs all the same.
        this.log.warn({ err: e }, `could not change DuckDB's settings (${sql})`);
      }
    });
  }

  /** A damaged block is often found only when a query reads it: say so as plainly as at open. */
  private rethrow(e: Error): never {
    throw isCorruption(e.message) ? new Error(explainCorruption(this.path, e.message)) : e;
  }

  close(): void {
    this.reader.closeSync();
    this.writer.closeSync();
    this.ingest.closeSync();
    this.rollup.closeSync();
    this.instance.closeSync();
  }
}

function explainOpenError(path: string, e: Error): string {
  const msg = e.message;
  // DuckDB's own words for a file another process holds; "lock" alone also matches "block" in damage reports.
  if (/Could not set lock on file|Conflicting lock is held/i.test(msg)) {
    const pid = /PID (\d+)/.exec(msg)?.[1];
    return `the database ${path} is in use by another MotorTwin process${pid ? ` (pid ${pid})` : ''}: close it, or give this one its own --data-dir`;
  }
  if (isCorruption(msg)) return explainCorruption(path, msg);
  if (/permission|read-only|EACCES/i.test(msg)) return `cannot write the database ${path}: ${msg}. Check the folder's permissions or choose another --data-dir`;
  return `cannot open the database ${path}: ${msg}`;
}

const isCorruption = (msg: string) => /Corrupt (database|WAL) file|Failure while replaying WAL/i.test(msg);

/** DuckDB's report of a damaged file, and what the person can do; MotorTwin never repairs or rewrites it. */
export function explainCorruption(path: string, msg: string): string {
  if (/WAL/.test(msg)) {
    return `the write-ahead log ${path}.wal is damaged (DuckDB: ${msg}). MotorTwin left it as it was. Move ${path}.wal aside to open the history without the changes in it (they are lost), or restore ${path} and ${path}.wal from a backup`;
  }
  return `the database ${path} is damaged (DuckDB: ${msg}). MotorTwin left the file as it was. Restore it from a backup, or move it aside (e.g. to ${path}.damaged) and start again with an empty history, or start with another --data-dir`;
}
