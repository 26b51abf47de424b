import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { MotorDatabase } from '../src/main/store/database';
import { DuckHistorian, type Historian } from '../src/main/store/historian';
import { PgStore } from '../src/main/store/postgres/pgStore';
import { PgHistorian } from '../src/main/store/postgres/pgHistorian';
import { copyText, TELEMETRY_COLUMNS } from '../src/main/store/postgres/pgTelemetryWriter';
import type { TelemetryRow } from '../src/main/store/telemetryWriter';
import { startPostgres } from '../tests/support/postgres';
import { tempDir } from '../tests/support/tools';
import { median, round, type Figure } from './figure';

// The plant server's history (issue 15): ingest into PostgreSQL through the writer against a bare COPY of
// the same rows into the same schema, and the 30-day trend from PostgreSQL against the same query from
// DuckDB on the same data. A real PostgreSQL started for the run; full bench only (it loads millions of rows).

const BATCH = 20_000;

function fleetRows(motors: number, perMotor: number): TelemetryRow[] {
  const rows: TelemetryRow[] = [];
  const t0 = Date.UTC(2026, 10, 1);
  for (let s = 0; s < perMotor; s++) {
    for (let m = 0; m < motors; m++) {
      const ts = t0 + s * 100;
      rows.push({ deviceId: `motor_${m}`, ts, receivedAt: ts + 20, seq: s, tsSuspect: false, source: 'mqtt', values: { temperature: 60 + (s % 50) / 10, vibration: 0.03 + m / 1e4, rpm: 1480, current: 12.5 } });
    }
  }
  return rows;
}

async function ingestFigure(url: string, bareUrl: string, quick: boolean): Promise<Figure> {
  const rows = fleetRows(50, quick ? 2_000 : 6_000);
  // Ours: the engine's writer (COPY in batches into the partitioned table with its unique key).
  const ours = new PgHistorian(await PgStore.open(url));
  const bare = await PgStore.open(bareUrl);
  try {
    const writer = ours.telemetryWriter({ flushRows: Number.MAX_SAFE_INTEGER, maxPendingRows: rows.length });
    let t = performance.now();
    for (const r of rows) writer.enqueue(r);
    await writer.flush();
    const oursS = (performance.now() - t) / 1000;
    if (writer.lastError) throw new Error(writer.lastError);
    // Baseline: a bare COPY of the same rows, same batches, same schema, on its own connection.
    await bare.partitions.ensureFor(
      rows.map((r) => r.ts),
      bare.pool,
    );
    const client = await bare.pool.connect();
    try {
      t = performance.now();
      for (let i = 0; i < rows.length; i += BATCH) {
        await pipeline(Readable.from([copyText(rows.slice(i, i + BATCH))]), client.query(copyFrom(`COPY telemetry (${TELEMETRY_COLUMNS.join(', ')}) FROM STDIN`)));
      }
    } finally {
      client.release();
    }
    const bareS = (performance.now() - t) / 1000;
    await writer.close();
    const rate = rows.length / oursS;
    const bareRate = rows.length / bareS;
    return {
      name: 'pg_ingest_rate',
      value: Math.round(rate),
      unit: 'msg/s',
      baseline: Math.round(bareRate),
      baselineName: `a bare COPY of the same ${rows.length} rows (50 motors) into the same schema`,
      ratio: round(rate / bareRate),
      goal: '>= 10,000 msg/s and >= 0.5 x a bare COPY',
      pass: rate >= 10_000 && rate >= 0.5 * bareRate,
    };
  } finally {
    await ours.close();
    await bare.close();
  }
}

async function load30Days(h: Historian, from: number, days: number): Promise<void> {
  const rollups = h.rollups();
  const writer = h.telemetryWriter({ flushRows: Number.MAX_SAFE_INTEGER, maxPendingRows: 10_000_000, onFlush: (r) => r.earliestByDevice.forEach((ts, id) => rollups.markDirty(id, ts)) });
  for (let s = 0; s < days * 86_400; s++) {
    const ts = from + s * 1000;
    writer.enqueue({ deviceId: 'motor_30d', ts, receivedAt: ts, seq: s, tsSuspect: false, source: 'mqtt', values: { temperature: 60 + 8 * Math.sin(s / 13_751), vibration: 0.03, rpm: 1480 } });
    if (s % 200_000 === 0) await writer.flush();
  }
  await writer.close();
  await rollups.run();
}

async function trendFigure(url: string, quick: boolean): Promise<Figure> {
  const days = quick ? 7 : 30;
  const to = Date.UTC(2026, 10, 1);
  const from = to - days * 86_400_000;
  const db = await MotorDatabase.open(join(tempDir('bench-pg-trend-'), 'h.duckdb'));
  const duck = new DuckHistorian(db);
  const post = new PgHistorian(await PgStore.open(url));
  try {
    await load30Days(duck, from, days);
    await load30Days(post, from, days);
    await post.store.pool.query('VACUUM ANALYZE');
    const q = { id: 'motor_30d', metrics: ['temperature' as const], from, to, maxPoints: 2000 };
    const pgTimes: number[] = [];
    const duckTimes: number[] = [];
    let buckets = 0;
    let sameAnswer = true;
    for (let i = 0; i < (quick ? 7 : 21); i++) {
      let t = performance.now();
      const fromPg = await post.history(q);
      pgTimes.push(performance.now() - t);
      t = performance.now();
      const fromDuck = await duck.history(q);
      duckTimes.push(performance.now() - t);
      // The same trend or the comparison means nothing: same rollup read, same buckets.
      buckets = fromPg.t.length;
      sameAnswer &&= fromPg.resolution === fromDuck.resolution && JSON.stringify(fromPg.t) === JSON.stringify(fromDuck.t);
    }
    const value = median(pgTimes);
    const baseline = median(duckTimes);
    return {
      name: 'pg_history_30d_query',
      value: round(value),
      unit: 'ms',
      baseline: round(baseline),
      baselineName: `the same ${days}-day trend (1 Hz, ${buckets} buckets${sameAnswer ? '' : ', DIFFERENT from DuckDB'}) from DuckDB on the same data`,
      ratio: round(value / baseline),
      goal: '<= 2 x DuckDB',
      pass: value <= 2 * baseline && buckets > 0 && sameAnswer,
    };
  } finally {
    await post.close();
    db.close();
  }
}

export async function benchPgStore(opts: { quick: boolean }): Promise<Figure[]> {
  if (opts.quick) return [];
  const pg = await startPostgres('bench_ingest');
  try {
    const bareUrl = pg.createDatabase('bench_bare');
    const trendUrl = pg.createDatabase('bench_trend');
    return [await ingestFigure(pg.url, bareUrl, opts.quick), await trendFigure(trendUrl, opts.quick)];
  } finally {
    pg.destroy();
  }
}
