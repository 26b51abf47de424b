import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEngine, type Harness } from '../support/engineHarness';
import { startServe } from '../support/cli';
import { startPostgres, type Postgres } from '../support/postgres';
import { selfSignedCert } from '../support/selfSignedCert';
import { stopProcess, tempDir, waitFor } from '../support/tools';

// A plant server whose history is in PostgreSQL: a laptop's pushed readings land there, through the
// server's own writer, and a second push stores nothing (rows counted in PostgreSQL).

const TOKEN = 'plant-pg-token-0123456789abcdef';
const BOARD = 'bench_motor_pg';

let pgServer: Postgres;
let plant: { child: ChildProcess; url: string };
let laptop: Harness;
let caPem: string;

beforeAll(async () => {
  pgServer = await startPostgres();
  const cert = selfSignedCert();
  caPem = cert.cert;
  plant = await startServe(['--data-dir', tempDir('plant-pg-'), '--no-sim', '--store', pgServer.url, '--api-token', TOKEN, '--tls-cert', cert.certFile, '--tls-key', cert.keyFile]);
  laptop = await startEngine({ plantClient: true });
  const t0 = Date.parse('2026-12-03T07:00:00Z');
  for (let i = 0; i < 120; i++) {
    laptop.publisher.publish(`factory/${BOARD}/telemetry`, JSON.stringify({ device_id: BOARD, temperature: 30 + i / 100, rpm: 1470, seq: i, timestamp: new Date(t0 + i * 500).toISOString() }), { qos: 1 });
  }
  await waitFor('120 readings stored on the laptop', async () => {
    await laptop.engine.writer.flush();
    const [r] = await laptop.engine.db.query('SELECT count(*) AS n FROM telemetry WHERE device_id = $1', [BOARD]);
    return Number(r.n) === 120;
  });
}, 120_000);

afterAll(async () => {
  await laptop?.close();
  if (plant) await stopProcess(plant.child, 'SIGINT');
  pgServer?.destroy();
});

it('pushed readings are stored once in the plant server\'s PostgreSQL', async () => {
  await laptop.engine.plant.login({ url: plant.url, username: '', password: TOKEN, caPem });
  const first = await laptop.engine.plant.push({ benchRuns: false, certificates: false, motors: [BOARD] });
  expect(first.telemetry).toEqual([{ deviceId: BOARD, sent: 120, stored: 120, alreadyThere: 0 }]);
  const again = await laptop.engine.plant.push({ benchRuns: false, certificates: false, motors: [BOARD] });
  expect(again.telemetry).toEqual([{ deviceId: BOARD, sent: 120, stored: 0, alreadyThere: 120 }]);
  const client = new pg.Client({ connectionString: pgServer.url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT count(*)::INT AS n, count(DISTINCT ts)::INT AS times, min(temperature) AS lo FROM telemetry WHERE device_id = $1', [BOARD]);
    expect(rows[0]).toEqual({ n: 120, times: 120, lo: 30 });
  } finally {
    await client.end();
  }
});
