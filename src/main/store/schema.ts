import { READING_NAMES } from '../../shared/readings';

// Versioned schema. Each migration runs once, in order, inside a transaction; schema_version records it.
// Never edit a released migration: add the next one.

const readingColumns = READING_NAMES.map((m) => `${m} DOUBLE`).join(',\n  ');
const rollupColumns = READING_NAMES.map((m) => `${m}_min DOUBLE, ${m}_max DOUBLE, ${m}_sum DOUBLE, ${m}_n BIGINT`).join(',\n  ');

export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'telemetry, rollups, twins, rejected messages, device events, waveforms',
    sql: `
CREATE TABLE telemetry (
  device_id VARCHAR NOT NULL,
  ts TIMESTAMP NOT NULL,
  received_at TIMESTAMP NOT NULL,
  seq BIGINT,
  ts_suspect BOOLEAN NOT NULL,
  source VARCHAR NOT NULL,
  ${readingColumns}
);
CREATE TABLE telemetry_1m (device_id VARCHAR NOT NULL, bucket TIMESTAMP NOT NULL, n BIGINT NOT NULL,
  ${rollupColumns},
  PRIMARY KEY (device_id, bucket));
CREATE TABLE telemetry_1h (device_id VARCHAR NOT NULL, bucket TIMESTAMP NOT NULL, n BIGINT NOT NULL,
  ${rollupColumns},
  PRIMARY KEY (device_id, bucket));
CREATE TABLE twins (
  id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  simulated BOOLEAN NOT NULL,
  nameplate JSON NOT NULL,
  limits JSON NOT NULL,
  device JSON NOT NULL,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);
CREATE TABLE rejected (ts TIMESTAMP NOT NULL, device_id VARCHAR, source VARCHAR NOT NULL, topic VARCHAR NOT NULL,
  reason VARCHAR NOT NULL, payload VARCHAR NOT NULL);
CREATE TABLE device_events (ts TIMESTAMP NOT NULL, device_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, detail JSON);
CREATE TABLE waveforms (device_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, axis VARCHAR NOT NULL, seq BIGINT,
  sample_rate_hz DOUBLE NOT NULL, scale_g_per_lsb DOUBLE NOT NULL, samples BLOB NOT NULL);
`,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
