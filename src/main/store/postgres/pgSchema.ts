import { READING_NAMES } from '../../../shared/readings';

// The plant server's history in PostgreSQL: telemetry, its 1-minute and 1-hour rollups, alarms, commands and
// the audit trail. Versioned like the DuckDB file's schema (schema.ts): each migration runs once, in order, in
// a transaction, recorded in schema_version. Never edit a released migration: add the next one.
//
// Two shapes of the same tables. With TimescaleDB: telemetry a hypertable (1-day chunks, compressed after
// 7 days, segmented by device), the rollups continuous aggregates (1 h on top of 1 min). Without it:
// telemetry a table range-partitioned by day, its partitions made ahead of the clock and on demand for the
// days a batch holds (partitions.ts), the rollups plain tables kept by PgRollups' upserts. The column names
// are the same in both, so every query reads either.

export interface PgFlavour {
  timescale: boolean;
}

export interface PgMigration {
  version: number;
  name: string;
  sql: (f: PgFlavour) => string;
}

const readingColumns = READING_NAMES.map((m) => `${m} DOUBLE PRECISION`).join(',\n  ');
const rollupColumns = READING_NAMES.map((m) => `${m}_min DOUBLE PRECISION, ${m}_max DOUBLE PRECISION, ${m}_sum DOUBLE PRECISION, ${m}_n BIGINT`).join(',\n  ');
const rawAggregates = READING_NAMES.map((m) => `min(${m}) AS ${m}_min, max(${m}) AS ${m}_max, sum(${m}) AS ${m}_sum, count(${m}) AS ${m}_n`).join(',\n    ');
const rollupAggregates = READING_NAMES.map((m) => `min(${m}_min) AS ${m}_min, max(${m}_max) AS ${m}_max, sum(${m}_sum) AS ${m}_sum, sum(${m}_n)::BIGINT AS ${m}_n`).join(',\n    ');

/** How long a chunk or partition of raw telemetry spans. */
export const PARTITION_DAYS = 1;

// The unique key makes a re-sent message (a standby taking over, a board re-sending a batch) harmless.
// PostgreSQL wants the partitioning column in every unique key of a partitioned table or hypertable, so it
// is (device, time, sequence): a re-sent message carries the same three. Its (device_id, ts) prefix also
// serves every range scan, so telemetry carries one index only.
const telemetryTable = (partitioned: boolean) => `
CREATE TABLE telemetry (
  device_id TEXT NOT NULL,
  ts TIMESTAMPTZ NOT NULL,
  received_at TIMESTAMPTZ NOT NULL,
  seq BIGINT,
  ts_suspect BOOLEAN NOT NULL,
  source TEXT NOT NULL,
  ${readingColumns},
  CONSTRAINT telemetry_device_ts_seq UNIQUE (device_id, ts, seq)
)${partitioned ? ' PARTITION BY RANGE (ts)' : ''};`;

const timescaleTelemetry = () => `
CREATE EXTENSION IF NOT EXISTS timescaledb;
${telemetryTable(false)}
SELECT create_hypertable('telemetry', 'ts', chunk_time_interval => INTERVAL '${PARTITION_DAYS} day');
ALTER TABLE telemetry SET (timescaledb.compress, timescaledb.compress_segmentby = 'device_id', timescaledb.compress_orderby = 'ts DESC, seq');
SELECT add_compression_policy('telemetry', compress_after => INTERVAL '7 days');
CREATE MATERIALIZED VIEW telemetry_1m WITH (timescaledb.continuous, timescaledb.materialized_only = true) AS
  SELECT device_id, time_bucket(INTERVAL '1 minute', ts) AS bucket, count(*)::BIGINT AS n,
    ${rawAggregates}
  FROM telemetry GROUP BY device_id, time_bucket(INTERVAL '1 minute', ts) WITH NO DATA;
CREATE MATERIALIZED VIEW telemetry_1h WITH (timescaledb.continuous, timescaledb.materialized_only = true) AS
  SELECT device_id, time_bucket(INTERVAL '1 hour', bucket) AS bucket, sum(n)::BIGINT AS n,
    ${rollupAggregates}
  FROM telemetry_1m GROUP BY device_id, time_bucket(INTERVAL '1 hour', bucket) WITH NO DATA;
CREATE INDEX telemetry_1m_device_bucket ON telemetry_1m (device_id, bucket);
CREATE INDEX telemetry_1h_device_bucket ON telemetry_1h (device_id, bucket);
SELECT add_continuous_aggregate_policy('telemetry_1m', start_offset => INTERVAL '3 days', end_offset => INTERVAL '1 minute', schedule_interval => INTERVAL '1 minute');
SELECT add_continuous_aggregate_policy('telemetry_1h', start_offset => INTERVAL '7 days', end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '5 minutes');`;

const plainTelemetry = () => `
${telemetryTable(true)}
CREATE TABLE telemetry_1m (device_id TEXT NOT NULL, bucket TIMESTAMPTZ NOT NULL, n BIGINT NOT NULL,
  ${rollupColumns},
  PRIMARY KEY (device_id, bucket));
CREATE TABLE telemetry_1h (device_id TEXT NOT NULL, bucket TIMESTAMPTZ NOT NULL, n BIGINT NOT NULL,
  ${rollupColumns},
  PRIMARY KEY (device_id, bucket));`;

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'telemetry with its unique (device, time, sequence) key, 1-minute and 1-hour rollups',
    sql: (f) => (f.timescale ? timescaleTelemetry() : plainTelemetry()),
  },
  {
    version: 2,
    name: 'alarms and their transitions, commands, their limits per motor, set-points and the audit trail',
    sql: () => `
CREATE TABLE alarms (id TEXT PRIMARY KEY, device_id TEXT NOT NULL, condition TEXT NOT NULL, severity TEXT NOT NULL,
  state TEXT NOT NULL, source TEXT NOT NULL, message TEXT NOT NULL, raised_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL,
  cleared_at TIMESTAMPTZ, acked_at TIMESTAMPTZ, ack_comment TEXT, shelved_until TIMESTAMPTZ, repeats INTEGER NOT NULL);
CREATE INDEX alarms_device ON alarms (device_id, raised_at);
CREATE TABLE alarm_transitions (id BIGSERIAL PRIMARY KEY, alarm_id TEXT NOT NULL, device_id TEXT NOT NULL, ts TIMESTAMPTZ NOT NULL,
  action TEXT NOT NULL, from_state TEXT, to_state TEXT NOT NULL, comment TEXT, message TEXT NOT NULL);
CREATE INDEX alarm_transitions_device ON alarm_transitions (device_id, ts);
CREATE TABLE commands (id TEXT PRIMARY KEY, device_id TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL, status TEXT NOT NULL, record JSONB NOT NULL);
CREATE INDEX commands_device ON commands (device_id, created_at);
CREATE TABLE command_policies (device_id TEXT PRIMARY KEY, policy JSONB NOT NULL, updated_at TIMESTAMPTZ NOT NULL);
CREATE TABLE setpoints (device_id TEXT PRIMARY KEY, setpoints JSONB NOT NULL, updated_at TIMESTAMPTZ NOT NULL);
CREATE TABLE audit (id BIGSERIAL PRIMARY KEY, ts TIMESTAMPTZ NOT NULL, device_id TEXT, kind TEXT NOT NULL, command_id TEXT, actor TEXT NOT NULL,
  text TEXT NOT NULL);
CREATE INDEX audit_device ON audit (device_id, ts);
`,
  },
  {
    version: 3,
    name: 'accounts: the people who log in to serve, each with a role and a scrypt password hash',
    sql: () => `
CREATE TABLE accounts (name TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL);
`,
  },
  {
    version: 4,
    name: 'sessions: who is logged in (a hash of each secret), shared by the instances of a pair',
    sql: () => `
CREATE TABLE sessions (key TEXT PRIMARY KEY, id TEXT NOT NULL, csrf TEXT NOT NULL, user_name TEXT NOT NULL, role TEXT NOT NULL,
  kind TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL, last_seen_at TIMESTAMPTZ NOT NULL, address TEXT NOT NULL, user_agent TEXT NOT NULL);
`,
  },
];

export const PG_LATEST_SCHEMA_VERSION = PG_MIGRATIONS[PG_MIGRATIONS.length - 1].version;
