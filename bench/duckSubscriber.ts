import { join } from 'node:path';
import { DuckDBInstance, timestampValue } from '@duckdb/node-api';
import mqtt from 'mqtt';
import { READING_NAMES } from '../src/shared/readings';

// The baseline of the serve CPU figures, in its own process: a bare mqtt.js subscriber that appends the same
// telemetry rows (the engine's columns) to a DuckDB file through the Appender, committed every 200 ms as the
// engine does, and nothing else: no validation, dedupe, twins, health, rollups or UI.
// Usage: duckSubscriber.ts MQTT_URL DIR   Prints "ready" once subscribed; stops when stdin closes.

const [url, dir] = process.argv.slice(2);
const instance = await DuckDBInstance.create(join(dir, 'bare.duckdb'));
const conn = await instance.connect();
await conn.run(`CREATE TABLE telemetry (device_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, received_at TIMESTAMP NOT NULL, seq BIGINT,
  ts_suspect BOOLEAN NOT NULL, source VARCHAR NOT NULL, ${READING_NAMES.map((n) => `${n} DOUBLE`).join(', ')})`);
const appender = await conn.createAppender('telemetry');
const micros = (ms: number) => timestampValue(BigInt(Math.round(ms * 1000)));
let pending = 0;
const flush = setInterval(() => {
  if (!pending) return;
  pending = 0;
  appender.flushSync();
}, 200);

const client = await mqtt.connectAsync(url, { clientId: `bench-duck-${process.pid}`, clean: true });
client.on('message', (_topic, payload) => {
  const m = JSON.parse(payload.toString()) as Record<string, unknown>;
  const now = Date.now();
  appender.appendVarchar(String(m.device_id));
  appender.appendTimestamp(micros(typeof m.timestamp === 'string' ? Date.parse(m.timestamp) : now));
  appender.appendTimestamp(micros(now));
  if (typeof m.seq === 'number') appender.appendBigInt(BigInt(m.seq));
  else appender.appendNull();
  appender.appendBoolean(false);
  appender.appendVarchar('mqtt');
  for (const name of READING_NAMES) {
    const v = m[name];
    if (typeof v === 'number') appender.appendDouble(v);
    else appender.appendNull();
  }
  appender.endRow();
  pending++;
});
await client.subscribeAsync('factory/+/telemetry', { qos: 1 });
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => {
  clearInterval(flush);
  appender.closeSync();
  void client.endAsync().then(() => process.exit(0));
});
