import { READING_NAMES } from '../../shared/readings';
import type { MotorDatabase } from './database';

// 1-minute rollups from raw telemetry, 1-hour rollups from the 1-minute ones, so a 30-day trend reads
// ~720 rows instead of millions. Buckets touched by new data (late data included) are recomputed from
// their source, which keeps them exact without tracking running sums.

const MINUTE = 60_000;
const HOUR = 3_600_000;

// A reading none of the recomputed rows carry gets its empty aggregates as constants: a board or an import fills
// a few of the columns, and aggregating an all-NULL column over a million rows costs as much as a real one.
const NONE = 'NULL::DOUBLE, NULL::DOUBLE, NULL::DOUBLE, 0::BIGINT';
const rawAggregates = (present: ReadonlySet<string>) =>
  READING_NAMES.map((m) => (present.has(m) ? `min(${m}) AS ${m}_min, max(${m}) AS ${m}_max, sum(${m}) AS ${m}_sum, count(${m}) AS ${m}_n` : NONE)).join(', ');
const ALL: ReadonlySet<string> = new Set(READING_NAMES);
const rollupAggregates = (present: ReadonlySet<string>) =>
  READING_NAMES.map((m) => (present.has(m) ? `min(${m}_min), max(${m}_max), sum(${m}_sum), sum(${m}_n)::BIGINT` : NONE)).join(', ');

/** Recomputes one device's rollups from `fromMs` on, whatever the store. */
export type RollupRecompute = (deviceId: string, fromMs: number) => Promise<void>;
/** Recomputes each listed device's rollups from its `fromMs` on, in as few statements as the store can. */
export type RollupBatchRecompute = (work: Array<[deviceId: string, fromMs: number]>) => Promise<void>;

/** A store that recomputes one device at a time. */
export const eachDevice =
  (recompute: RollupRecompute): RollupBatchRecompute =>
  async (work) => {
    for (const [deviceId, fromMs] of work) await recompute(deviceId, fromMs);
  };

/**
 * Which device's rollups are stale and from when, and a timer that brings them up to date; the store's own
 * `recompute` does the work (DuckDB here, PostgreSQL in postgres/pgRollups.ts), with the same semantics.
 */
export class RollupScheduler {
  private readonly dirty = new Map<string, number>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly recompute: RollupBatchRecompute,
    private readonly intervalMs = 5_000,
  ) {}

  start(): void {
    // A refused write (a full disk, a database restarting) keeps its range marked and is retried on the next
    // tick; the telemetry writer is the one that reports the storage error, so here it must only not escape
    // as a rejection.
    this.timer ??= setInterval(() => void this.run().catch(() => undefined), this.intervalMs);
  }

  /** Marks a device's rollups stale from `fromMs` on. */
  markDirty(deviceId: string, fromMs: number): void {
    const cur = this.dirty.get(deviceId);
    if (cur === undefined || fromMs < cur) this.dirty.set(deviceId, fromMs);
  }

  /** Brings the rollups up to date with everything stored so far. */
  async run(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.refresh().finally(() => (this.running = null));
    return this.running;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.run();
  }

  private async refresh(): Promise<void> {
    const work = [...this.dirty];
    this.dirty.clear();
    if (!work.length) return;
    try {
      await this.recompute(work);
    } catch (e) {
      // Recomputing is idempotent: every range of the run stays marked, done or not.
      for (const [id, from] of work) this.markDirty(id, from);
      throw e;
    }
  }
}

/**
 * How often the DuckDB file's rollups are brought up to date by the clock. Only this process reads the file,
 * and every read of the history runs the rollups first (history.query, the agent, remaining life), so the
 * clock only bounds how much a read may find to do; each run costs about 0.15 CPU s whatever it holds,
 * which every 5 s was a few per cent of a core.
 */
const DUCK_ROLLUP_INTERVAL_MS = 60_000;

/** The DuckDB file's rollups. */
export class Rollups extends RollupScheduler {
  constructor(db: MotorDatabase, intervalMs = DUCK_ROLLUP_INTERVAL_MS) {
    super((work) => recomputeDuck(db, work), intervalMs);
  }
}

/**
 * Every dirty device in one transaction of two statements, each one scan of the recent rows: per device
 * it cost four statements and a scan each, which at 50 motors was most of what the engine spent on DuckDB.
 */
async function recomputeDuck(db: MotorDatabase, work: Array<[string, number]>): Promise<void> {
  const minutes = work.map(([id, from]) => [id, Math.floor(from / MINUTE) * MINUTE] as const);
  const hours = work.map(([id, from]) => [id, Math.floor(from / HOUR) * HOUR] as const);
  const w = db.rollup;
  // Upserts, not DELETE then INSERT: raw rows are only ever added, so every bucket from the start on is
  // rewritten anyway, and DuckDB 1.5 aborts the whole process when it reverts a failed commit (a full
  // disk) that deleted and re-inserted the same primary key.
  await w.run('BEGIN TRANSACTION');
  try {
    // Which readings the raw rows from each device's minute on carry (a plain count scans no more than the
    // validity): an import of millions of rows fills a few of the columns.
    const counted = await w.runAndReadAll(
      `SELECT ${READING_NAMES.map((m) => `count(${m})::DOUBLE AS ${m}`).join(', ')}
       FROM telemetry t JOIN (VALUES ${fromList(minutes.length)}) AS d(id, from_ms) ON t.device_id = d.id AND t.ts >= make_timestamp(d.from_ms * 1000)
       WHERE t.ts >= make_timestamp($1::BIGINT * 1000)`,
      [earliestOf(minutes), ...minutes.flat()],
    );
    const counts = counted.getRowObjectsJS()[0] as Record<string, number>;
    const present = new Set(READING_NAMES.filter((m) => counts[m] > 0));
    await w.run(
      `INSERT OR REPLACE INTO telemetry_1m SELECT t.device_id, time_bucket(INTERVAL 1 MINUTE, t.ts) AS bucket, count(*) AS n, ${rawAggregates(present)}
       FROM telemetry t JOIN (VALUES ${fromList(minutes.length)}) AS d(id, from_ms) ON t.device_id = d.id AND t.ts >= make_timestamp(d.from_ms * 1000)
       WHERE t.ts >= make_timestamp($1::BIGINT * 1000) GROUP BY ALL`,
      [earliestOf(minutes), ...minutes.flat()],
    );
    // At most 60 minute rows per device and hour: every reading is summed, none needs looking for first.
    await w.run(
      `INSERT OR REPLACE INTO telemetry_1h SELECT r.device_id, time_bucket(INTERVAL 1 HOUR, r.bucket), sum(n)::BIGINT, ${rollupAggregates(ALL)}
       FROM telemetry_1m r JOIN (VALUES ${fromList(hours.length)}) AS d(id, from_ms) ON r.device_id = d.id AND r.bucket >= make_timestamp(d.from_ms * 1000)
       WHERE r.bucket >= make_timestamp($1::BIGINT * 1000) GROUP BY ALL`,
      [earliestOf(hours), ...hours.flat()],
    );
    await w.run('COMMIT');
  } catch (e) {
    // A failed COMMIT has already rolled back; the original error is the one worth reporting.
    await w.run('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** `($2::VARCHAR, $3::BIGINT), ($4, $5), …` for n (device, from) pairs after the first parameter. */
function fromList(n: number): string {
  return Array.from({ length: n }, (_, i) => (i === 0 ? '($2::VARCHAR, $3::BIGINT)' : `($${2 * i + 2}, $${2 * i + 3})`)).join(', ');
}

/** The earliest start: a plain bound on the scan, so DuckDB skips older row groups by their min/max. */
const earliestOf = (pairs: ReadonlyArray<readonly [string, number]>) => Math.min(...pairs.map(([, from]) => from));
