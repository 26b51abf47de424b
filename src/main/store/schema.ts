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
  {
    version: 2,
    name: 'rules, rule state, alarms and their transitions, health samples, anomaly baselines, waveform analyses',
    sql: `
CREATE TABLE rule_sets (scope VARCHAR NOT NULL, key VARCHAR NOT NULL, rules JSON NOT NULL, updated_at TIMESTAMP NOT NULL, PRIMARY KEY (scope, key));
CREATE TABLE rule_state (device_id VARCHAR PRIMARY KEY, state JSON NOT NULL, updated_at TIMESTAMP NOT NULL);
CREATE TABLE alarms (id VARCHAR PRIMARY KEY, device_id VARCHAR NOT NULL, condition VARCHAR NOT NULL, severity VARCHAR NOT NULL,
  state VARCHAR NOT NULL, source VARCHAR NOT NULL, message VARCHAR NOT NULL, raised_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL,
  cleared_at TIMESTAMP, acked_at TIMESTAMP, ack_comment VARCHAR, shelved_until TIMESTAMP, repeats INTEGER NOT NULL);
CREATE TABLE alarm_transitions (alarm_id VARCHAR NOT NULL, device_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, action VARCHAR NOT NULL,
  from_state VARCHAR, to_state VARCHAR NOT NULL, comment VARCHAR, message VARCHAR NOT NULL);
CREATE TABLE health_samples (device_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, health DOUBLE, sub_scores JSON NOT NULL,
  anomaly_score DOUBLE, anomaly_threshold DOUBLE, anomaly_abnormal BOOLEAN NOT NULL, anomaly_drivers JSON);
CREATE TABLE anomaly_baselines (device_id VARCHAR PRIMARY KEY, learned_at TIMESTAMP NOT NULL, baseline JSON NOT NULL);
CREATE TABLE waveform_analyses (device_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, axis VARCHAR NOT NULL, fault VARCHAR,
  confidence DOUBLE, velocity_rms_mm_s DOUBLE, summary JSON NOT NULL);
`,
  },
  {
    version: 3,
    name: 'calibration certificates',
    sql: `
CREATE TABLE calibration_certificates (id VARCHAR PRIMARY KEY, device_id VARCHAR NOT NULL, sensor VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL, calibration_id VARCHAR NOT NULL, certificate JSON NOT NULL);
`,
  },
  {
    version: 4,
    name: '3D twin: sensor-to-node mapping and custom model per motor',
    sql: `
CREATE TABLE twin3d (device_id VARCHAR PRIMARY KEY, mapping JSON, model_name VARCHAR, model_bytes BIGINT, model_base64 VARCHAR,
  updated_at TIMESTAMP NOT NULL);
`,
  },
  {
    version: 5,
    name: 'commands, their limits per motor, set-points and the audit trail',
    sql: `
CREATE TABLE commands (id VARCHAR PRIMARY KEY, device_id VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, status VARCHAR NOT NULL,
  record JSON NOT NULL);
CREATE TABLE command_policies (device_id VARCHAR PRIMARY KEY, policy JSON NOT NULL, updated_at TIMESTAMP NOT NULL);
CREATE TABLE setpoints (device_id VARCHAR PRIMARY KEY, setpoints JSON NOT NULL, updated_at TIMESTAMP NOT NULL);
CREATE TABLE audit (ts TIMESTAMP NOT NULL, device_id VARCHAR, kind VARCHAR NOT NULL, command_id VARCHAR, actor VARCHAR NOT NULL,
  text VARCHAR NOT NULL);
`,
  },
  {
    version: 6,
    name: 'agent: manuals with their pages and passages, chat messages per motor, agent settings',
    sql: `
CREATE TABLE manuals (id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, kind VARCHAR NOT NULL, title VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
  bytes BIGINT NOT NULL, pages INTEGER NOT NULL, chunks INTEGER NOT NULL, subject VARCHAR, origin VARCHAR NOT NULL, embedded BOOLEAN NOT NULL,
  imported_at TIMESTAMP NOT NULL);
CREATE TABLE manual_pages (manual_id VARCHAR NOT NULL, page INTEGER NOT NULL, text VARCHAR NOT NULL);
CREATE TABLE manual_chunks (manual_id VARCHAR NOT NULL, ord INTEGER NOT NULL, page INTEGER NOT NULL, section VARCHAR, text VARCHAR NOT NULL,
  embedding FLOAT[]);
CREATE TABLE chat_messages (motor_id VARCHAR NOT NULL, seq BIGINT NOT NULL, ts TIMESTAMP NOT NULL, role VARCHAR NOT NULL, content VARCHAR NOT NULL,
  mode VARCHAR, steps JSON NOT NULL, citations JSON NOT NULL);
CREATE TABLE agent_settings (key VARCHAR PRIMARY KEY, value JSON NOT NULL, updated_at TIMESTAMP NOT NULL);
`,
  },
  {
    version: 7,
    name: 'bench tests: runs with their record, readings and waveform results per run, users\' procedures',
    sql: `
CREATE TABLE bench_runs (id VARCHAR PRIMARY KEY, serial_number VARCHAR NOT NULL, model VARCHAR, device_id VARCHAR NOT NULL, procedure VARCHAR NOT NULL,
  procedure_version VARCHAR NOT NULL, operator VARCHAR NOT NULL, started_at TIMESTAMP NOT NULL, ended_at TIMESTAMP, verdict VARCHAR NOT NULL, record JSON NOT NULL);
CREATE TABLE bench_samples (run_id VARCHAR NOT NULL, t DOUBLE NOT NULL, ts TIMESTAMP NOT NULL, step VARCHAR NOT NULL, attempt INTEGER NOT NULL,
  temperature DOUBLE, rpm DOUBLE, vib_velocity DOUBLE, ambient DOUBLE);
CREATE TABLE bench_blocks (run_id VARCHAR NOT NULL, t DOUBLE NOT NULL, ts TIMESTAMP NOT NULL, step VARCHAR NOT NULL, attempt INTEGER NOT NULL,
  velocity_rms_mm_s DOUBLE NOT NULL, one_x_mm_s DOUBLE NOT NULL, two_x_mm_s DOUBLE NOT NULL, bearing_fault VARCHAR, bearing_confidence DOUBLE NOT NULL);
CREATE TABLE bench_procedures (name VARCHAR PRIMARY KEY, version VARCHAR NOT NULL, procedure JSON NOT NULL, updated_at TIMESTAMP NOT NULL);
`,
  },
  {
    version: 8,
    name: 'Sparkplug B: per device, the twin it feeds and which metric is which reading',
    sql: `
CREATE TABLE sparkplug_mappings (key VARCHAR PRIMARY KEY, mapping JSON NOT NULL, updated_at TIMESTAMP NOT NULL);
`,
  },
  {
    version: 9,
    name: 'readings a Modbus profile declares beyond the twin\'s list (thermal capacity used, phase currents…)',
    sql: `
CREATE TABLE declared_readings (device_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, name VARCHAR NOT NULL, value DOUBLE, unit VARCHAR NOT NULL);
`,
  },
  {
    version: 10,
    name: 'health: each motor\'s latest snapshot and assessment, for answers after the server stopped',
    sql: `
CREATE TABLE health_latest (device_id VARCHAR PRIMARY KEY, ts TIMESTAMP NOT NULL, snapshot JSON NOT NULL);
`,
  },
  {
    version: 11,
    name: 'accounts: the people who log in to serve, each with a role and a scrypt password hash',
    sql: `
CREATE TABLE accounts (name VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, password_hash VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL);
`,
  },
  {
    version: 12,
    name: 'sessions: who is logged in (a hash of each secret), so a restart or a standby keeps them',
    sql: `
CREATE TABLE sessions (key VARCHAR PRIMARY KEY, id VARCHAR NOT NULL, csrf VARCHAR NOT NULL, user_name VARCHAR NOT NULL, role VARCHAR NOT NULL,
  kind VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, last_seen_at TIMESTAMP NOT NULL, address VARCHAR NOT NULL, user_agent VARCHAR NOT NULL);
`,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
