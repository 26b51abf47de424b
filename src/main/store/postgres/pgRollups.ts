import { READING_NAMES } from '../../../shared/readings';
import type { RollupRecompute } from '../rollups';
import type { PgFlavour } from './pgSchema';
import type { PgStore } from './pgStore';

// The same rollups as the DuckDB file's (rollups.ts): buckets touched by new rows, late ones included, are
// recomputed from their source, 1 h from 1 min. Plain PostgreSQL upserts them; TimescaleDB refreshes its
// continuous aggregates over the same window (it recomputes only the buckets its invalidation log marks).

const MINUTE = 60_000;
const HOUR = 3_600_000;
const EPOCH = "TIMESTAMPTZ '1970-01-01 00:00:00+00'";

const rawAggregates = READING_NAMES.map((m) => `min(${m}), max(${m}), sum(${m}), count(${m})`).join(', ');
const rollupAggregates = READING_NAMES.map((m) => `min(${m}_min), max(${m}_max), sum(${m}_sum), sum(${m}_n)::BIGINT`).join(', ');
const rollupNames = ['n', ...READING_NAMES.flatMap((m) => [`${m}_min`, `${m}_max`, `${m}_sum`, `${m}_n`])];
const updateAll = rollupNames.map((c) => `${c} = excluded.${c}`).join(', ');

const at = (ms: number) => `'${new Date(ms).toISOString()}'::TIMESTAMPTZ`;

/** The statements that bring one device's rollups up to date from `fromMs` on (exported for the tests). */
export function rollupStatements(flavour: PgFlavour, fromMs: number): { sql: string; params: 'device' | 'none' }[] {
  const minuteStart = Math.floor(fromMs / MINUTE) * MINUTE;
  const hourStart = Math.floor(fromMs / HOUR) * HOUR;
  if (flavour.timescale) {
    // A refresh covers every device in the window and cannot run inside a transaction block.
    return [
      { sql: `CALL refresh_continuous_aggregate('telemetry_1m', ${at(minuteStart)}, NULL)`, params: 'none' },
      { sql: `CALL refresh_continuous_aggregate('telemetry_1h', ${at(hourStart)}, NULL)`, params: 'none' },
    ];
  }
  return [
    {
      sql: `INSERT INTO telemetry_1m SELECT device_id, date_bin(INTERVAL '1 minute', ts, ${EPOCH}) AS bucket, count(*), ${rawAggregates}
        FROM telemetry WHERE device_id = $1 AND ts >= ${at(minuteStart)} GROUP BY 1, 2
        ON CONFLICT (device_id, bucket) DO UPDATE SET ${updateAll}`,
      params: 'device',
    },
    {
      sql: `INSERT INTO telemetry_1h SELECT device_id, date_bin(INTERVAL '1 hour', bucket, ${EPOCH}) AS hour, sum(n)::BIGINT, ${rollupAggregates}
        FROM telemetry_1m WHERE device_id = $1 AND bucket >= ${at(hourStart)} GROUP BY 1, 2
        ON CONFLICT (device_id, bucket) DO UPDATE SET ${updateAll}`,
      params: 'device',
    },
  ];
}

export function pgRecompute(store: PgStore): RollupRecompute {
  return async (deviceId, fromMs) => {
    const statements = rollupStatements(store.flavour, fromMs);
    if (store.flavour.timescale) {
      for (const s of statements) await store.pool.query(s.sql);
      return;
    }
    const client = await store.pool.connect();
    try {
      await client.query('BEGIN');
      for (const s of statements) await client.query(s.sql, s.params === 'device' ? [deviceId] : []);
      await client.query('COMMIT');
      client.release();
    } catch (e) {
      // The connection may be the thing that broke: hand it back as broken so the pool does not reuse it.
      await client.query('ROLLBACK').catch(() => undefined);
      client.release(e as Error);
      throw e;
    }
  };
}
