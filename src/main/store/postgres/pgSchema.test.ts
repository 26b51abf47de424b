import { describe, expect, it } from 'vitest';
import { PG_MIGRATIONS } from './pgSchema';
import { rollupStatements } from './pgRollups';
import { partitionDdl, partitionName, partitionStart } from './partitions';

// TimescaleDB is not installable on the build machines: its path is checked here as the SQL it generates
// (written from TimescaleDB's documentation); the plain path runs against a real PostgreSQL in the
// integration tests.

const timescale = PG_MIGRATIONS[0].sql({ timescale: true });
const plain = PG_MIGRATIONS[0].sql({ timescale: false });

describe('PostgreSQL schema', () => {
  it('with TimescaleDB: a hypertable of 1-day chunks, compressed by device after 7 days', () => {
    expect(timescale).toContain('CREATE EXTENSION IF NOT EXISTS timescaledb');
    expect(timescale).toContain("SELECT create_hypertable('telemetry', 'ts', chunk_time_interval => INTERVAL '1 day')");
    expect(timescale).not.toContain('PARTITION BY');
    // Compression needs every column of a unique key in segmentby or orderby.
    expect(timescale).toContain("timescaledb.compress_segmentby = 'device_id', timescaledb.compress_orderby = 'ts DESC, seq'");
    expect(timescale).toContain("add_compression_policy('telemetry', compress_after => INTERVAL '7 days')");
    expect(timescale).toContain('CONSTRAINT telemetry_device_ts_seq UNIQUE (device_id, ts, seq)');
  });

  it('with TimescaleDB: the rollups are continuous aggregates, 1 h on top of 1 min, with the same columns', () => {
    expect(timescale).toMatch(/CREATE MATERIALIZED VIEW telemetry_1m WITH \(timescaledb\.continuous, timescaledb\.materialized_only = true\) AS\s+SELECT device_id, time_bucket\(INTERVAL '1 minute', ts\) AS bucket, count\(\*\)::BIGINT AS n/);
    expect(timescale).toMatch(/CREATE MATERIALIZED VIEW telemetry_1h WITH \(timescaledb\.continuous[^)]*\) AS\s+SELECT device_id, time_bucket\(INTERVAL '1 hour', bucket\) AS bucket, sum\(n\)::BIGINT AS n/);
    expect(timescale).toMatch(/FROM telemetry_1m GROUP BY device_id, time_bucket\(INTERVAL '1 hour', bucket\) WITH NO DATA/);
    for (const col of ['temperature_min', 'temperature_max', 'temperature_sum', 'temperature_n', 'rssi_n']) {
      expect(timescale).toContain(` AS ${col}`);
      expect(plain).toContain(`${col} `);
    }
    expect(timescale).toContain("add_continuous_aggregate_policy('telemetry_1m'");
    expect(timescale).toContain("add_continuous_aggregate_policy('telemetry_1h'");
  });

  it('with TimescaleDB: late rows refresh the aggregates from their bucket on, minutes before hours', () => {
    const from = Date.UTC(2026, 0, 1, 10, 17, 42);
    const s = rollupStatements({ timescale: true }, from);
    expect(s.map((x) => x.sql)).toEqual([
      "CALL refresh_continuous_aggregate('telemetry_1m', '2026-01-01T10:17:00.000Z'::TIMESTAMPTZ, NULL)",
      "CALL refresh_continuous_aggregate('telemetry_1h', '2026-01-01T10:00:00.000Z'::TIMESTAMPTZ, NULL)",
    ]);
  });

  it('without it: telemetry partitioned by time, the rollups plain tables upserted per device', () => {
    expect(plain).not.toContain('timescaledb');
    expect(plain).toContain(') PARTITION BY RANGE (ts);');
    const s = rollupStatements({ timescale: false }, Date.UTC(2026, 0, 1, 10, 17, 42));
    expect(s[0].sql).toContain("ts >= '2026-01-01T10:17:00.000Z'::TIMESTAMPTZ");
    expect(s[0].sql).toContain('ON CONFLICT (device_id, bucket) DO UPDATE SET n = excluded.n');
    expect(s[1].sql).toContain("bucket >= '2026-01-01T10:00:00.000Z'::TIMESTAMPTZ");
  });

  it('names one partition a UTC day', () => {
    const t = Date.UTC(2026, 1, 28, 23, 59, 59);
    expect(partitionName(partitionStart(t))).toBe('telemetry_p20260228');
    expect(partitionDdl(partitionStart(t))).toBe(
      "CREATE TABLE IF NOT EXISTS telemetry_p20260228 PARTITION OF telemetry FOR VALUES FROM ('2026-02-28T00:00:00.000Z') TO ('2026-03-01T00:00:00.000Z')",
    );
  });
});
