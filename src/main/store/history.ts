import type { HistoryQuery, HistoryResult } from '../../shared/contract';
import type { ReadingName } from '../../shared/readings';
import type { MotorDatabase } from './database';

const MINUTE = 60_000;
const HOUR = 3_600_000;

// Steps a bucket snaps to, so neighbouring queries line up and labels read well.
const NICE_STEPS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, MINUTE, 2 * MINUTE,
  5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR, 7 * 24 * HOUR];

export function planHistoryQuery(q: Pick<HistoryQuery, 'from' | 'to' | 'maxPoints'>): { resolution: HistoryResult['resolution']; bucketMs: number } {
  const wanted = (q.to - q.from) / q.maxPoints;
  const bucketMs = NICE_STEPS_MS.find((s) => s >= wanted) ?? Math.ceil(wanted / HOUR) * HOUR;
  // Read the coarsest table whose rows still fit in a bucket: 1 h rollups, 1 min rollups, or raw rows.
  const resolution = bucketMs >= HOUR ? '1h' : bucketMs >= MINUTE ? '1m' : 'raw';
  return { resolution, bucketMs };
}

/** Min/max/avg buckets of the requested readings; at most maxPoints buckets, empty buckets left out. */
export async function queryHistory(db: MotorDatabase, q: HistoryQuery): Promise<HistoryResult> {
  const { resolution, bucketMs } = planHistoryQuery(q);
  const metrics = q.metrics as ReadingName[];
  const bucketExpr = (col: string) => `(floor(epoch_ms(${col}) / $4) * $4)::DOUBLE`;
  // An average lies between its bucket's min and max; held there, readings near the edge of a double
  // cannot sum past it into Infinity (which no client can show or validate).
  const bounded = (avg: string, min: string, max: string) => `greatest(least(${avg}, ${max}), ${min})`;
  let sql: string;
  if (resolution === 'raw') {
    const cols = metrics.map((m) => `min(${m}) AS ${m}_min, max(${m}) AS ${m}_max, ${bounded(`avg(${m})`, `min(${m})`, `max(${m})`)} AS ${m}_avg`).join(', ');
    sql = `SELECT ${bucketExpr('ts')} AS t, ${cols} FROM telemetry
           WHERE device_id = $1 AND ts >= make_timestamp($2::BIGINT * 1000) AND ts < make_timestamp($3::BIGINT * 1000)
           GROUP BY 1 ORDER BY 1`;
  } else {
    const table = resolution === '1h' ? 'telemetry_1h' : 'telemetry_1m';
    const cols = metrics.map((m) => `min(${m}_min) AS ${m}_min, max(${m}_max) AS ${m}_max, ${bounded(`sum(${m}_sum) / nullif(sum(${m}_n), 0)`, `min(${m}_min)`, `max(${m}_max)`)} AS ${m}_avg`).join(', ');
    sql = `SELECT ${bucketExpr('bucket')} AS t, ${cols} FROM ${table}
           WHERE device_id = $1 AND bucket >= make_timestamp($2::BIGINT * 1000) AND bucket < make_timestamp($3::BIGINT * 1000)
           GROUP BY 1 ORDER BY 1`;
  }
  const reader = await db.reader.runAndReadAll(sql, [q.id, Math.floor(q.from), Math.ceil(q.to), bucketMs]);
  const columns = reader.getColumnsObjectJS() as Record<string, Array<number | null>>;
  const result: HistoryResult = { id: q.id, resolution, bucketMs, t: (columns.t ?? []) as number[], series: {} };
  for (const m of metrics) {
    result.series[m] = { min: columns[`${m}_min`] ?? [], max: columns[`${m}_max`] ?? [], avg: columns[`${m}_avg`] ?? [] };
  }
  return result;
}
