import type pg from 'pg';
import { PARTITION_DAYS, type PgFlavour } from './pgSchema';

const DAY = 86_400_000;
const SPAN = PARTITION_DAYS * DAY;
/** Partitions kept ready ahead of the clock, so live ingest never waits on DDL. */
const AHEAD = 3;

export const partitionStart = (ms: number) => Math.floor(ms / SPAN) * SPAN;

/** `telemetry_p20260115`: one day of raw telemetry (UTC). */
export function partitionName(startMs: number): string {
  return `telemetry_p${new Date(startMs).toISOString().slice(0, 10).replace(/-/g, '')}`;
}

export function partitionDdl(startMs: number): string {
  const iso = (ms: number) => new Date(ms).toISOString();
  return `CREATE TABLE IF NOT EXISTS ${partitionName(startMs)} PARTITION OF telemetry FOR VALUES FROM ('${iso(startMs)}') TO ('${iso(startMs + SPAN)}')`;
}

/**
 * Plain PostgreSQL's range partitions of telemetry: made a few days ahead of the clock (every hour), and on
 * demand for the days a batch holds (late or imported history). No default partition: attaching a day
 * would then have to scan it. With TimescaleDB, chunks are its own business and this does nothing.
 */
export class PartitionKeeper {
  private readonly known = new Set<number>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly flavour: PgFlavour,
  ) {}

  /** Makes today's partition and the next few; then keeps doing so every hour. */
  async ensureAhead(now: number): Promise<void> {
    if (this.flavour.timescale) return;
    const today = partitionStart(now);
    await this.ensure(Array.from({ length: AHEAD + 1 }, (_, i) => today + i * SPAN), this.pool);
    // A refused DDL (PostgreSQL restarting) is retried next hour, and a batch makes its own days anyway.
    this.timer ??= setInterval(() => void this.ensureAhead(Date.now()).catch(() => undefined), 3_600_000);
    this.timer.unref?.();
  }

  /** Every partition the given times fall in exists once this resolves. */
  async ensureFor(times: Iterable<number>, client: pg.ClientBase | pg.Pool): Promise<void> {
    if (this.flavour.timescale) return;
    const starts = new Set<number>();
    for (const t of times) {
      const s = partitionStart(t);
      if (!this.known.has(s)) starts.add(s);
    }
    if (starts.size) await this.ensure([...starts], client);
  }

  private async ensure(starts: number[], client: pg.ClientBase | pg.Pool): Promise<void> {
    for (const s of starts) {
      if (this.known.has(s)) continue;
      try {
        await client.query(partitionDdl(s));
      } catch (e) {
        // Another instance made the same partition a moment earlier (IF NOT EXISTS does not cover the race).
        if (!['42P07', '23505'].includes((e as { code?: string }).code ?? '')) throw e;
      }
      this.known.add(s);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
