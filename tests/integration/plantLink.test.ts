import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type Harness } from '../support/engineHarness';
import { runCli, startServe } from '../support/cli';
import { selfSignedCert, type TestCert } from '../support/selfSignedCert';
import { stopProcess, tempDir, waitFor } from '../support/tools';
import { connectWs } from '../support/wsClient';
import { CertificateStore } from '../../src/main/calibration/certificateStore';
import { MotorDatabase } from '../../src/main/store/database';
import { plantRequest } from '../../src/main/plant/plantClient';
import { DomainError } from '../../src/main/platform/domainError';
import type { Certificate } from '../../src/shared/serialContract';

// A laptop on the bench and a plant server: `motortwin serve` over HTTPS (a self-signed certificate made
// now) with its API token, and the laptop's own engine with a real bench run, a calibration certificate and
// telemetry from a board. The laptop logs in, pushes twice (the second push stores nothing), shows the plant
// server's engine over the relayed WebSocket, and the rows are counted in the plant server's own DuckDB file.

const TOKEN = 'plant-token-0123456789abcdef';
const BOARD = 'bench_motor_7';

let cert: TestCert;
let plant: { child: ChildProcess; url: string };
let plantDir: string;
let laptop: Harness;

const certificate = (id: string): Certificate => ({
  id,
  deviceId: BOARD,
  board: 'esp32-s3',
  port: '/dev/ttyUSB0',
  sensor: 'temperature',
  instrument: 'Fluke 1524',
  instrumentCertificate: 'CAL-2026-118',
  technician: 'A. Laptop',
  createdAt: Date.parse('2026-12-01T10:00:00Z'),
  calibrationId: 'cal-17',
  values: { offset: -0.4, gain: 1.002 },
  before: { sensor: 'temperature', n: 30, mean: [24.9], std: [0.05], seconds: 10 },
  after: { sensor: 'temperature', n: 30, mean: [24.5], std: [0.04], seconds: 10 },
  notes: '',
});

beforeAll(async () => {
  cert = selfSignedCert();
  plantDir = tempDir('plant-');
  // People of the plant: a technician pushes, a viewer may only look.
  for (const [name, role] of [['tech', 'technician'], ['vera', 'viewer']]) {
    const added = await runCli(['users', 'add', name, '--role', role, '--data-dir', plantDir], 60_000, { input: `${name}-password-0123\n` });
    expect(added.code, added.stderr).toBe(0);
  }
  plant = await startServe(['--data-dir', plantDir, '--no-sim', '--api-token', TOKEN, '--tls-cert', cert.certFile, '--tls-key', cert.keyFile]);
  laptop = await startEngine({ http: true, plantClient: true });
  // What a laptop on the bench recorded: a simulated bench run, a certificate and a board's readings.
  const run = await laptop.engine.benchtest.start({ serialNumber: 'SN-PUSH-1', operator: 'bench', source: { kind: 'sim', fault: null, speedup: 120 } }, { autoConfirm: true });
  await laptop.engine.benchtest.finished(run);
  await new CertificateStore(laptop.engine.db).add(certificate('cert-push-1'));
  const t0 = Date.parse('2026-12-01T08:00:00Z');
  for (let i = 0; i < 300; i++) {
    laptop.publisher.publish(`factory/${BOARD}/telemetry`, JSON.stringify({ device_id: BOARD, temperature: 40 + i / 100, vibration: 0.02, rpm: 1480, seq: i, timestamp: new Date(t0 + i * 1000).toISOString() }), { qos: 1 });
  }
  await waitFor('300 readings stored on the laptop', async () => {
    await laptop.engine.writer.flush();
    const [r] = await laptop.engine.db.query('SELECT count(*) AS n FROM telemetry WHERE device_id = $1', [BOARD]);
    return Number(r.n) === 300;
  });
}, 240_000);

afterAll(async () => {
  await laptop?.close();
  if (plant) await stopProcess(plant.child, 'SIGINT');
});

describe('a laptop and a plant server over HTTPS', () => {
  it('serve speaks HTTPS with --tls-cert and --tls-key', async () => {
    expect(plant.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await plantRequest({ url: plant.url, caPem: cert.cert }, 'GET', '/api/health');
    expect(health.status).toBe(200);
  });

  it('refuses a server whose certificate it cannot check, and says what to give', async () => {
    const err = await laptop.engine.plant.login({ url: plant.url, username: 'tech', password: 'tech-password-0123' }).catch((e: DomainError) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).message).toMatch(/certificate is not trusted.*CA certificate/);
    expect(laptop.engine.plant.status()).toMatchObject({ loggedIn: false, open: 'laptop' });
  });

  it('refuses a wrong password with the server\'s reason', async () => {
    const err = await laptop.engine.plant.login({ url: plant.url, username: 'tech', password: 'not-the-password-at-all', caPem: cert.cert }).catch((e: DomainError) => e);
    expect((err as DomainError).code).toBe('refused');
    expect((err as DomainError).message).toMatch(/^the plant server refused the login: .*(wrong|password)/);
    expect(laptop.engine.plant.status()).toMatchObject({ loggedIn: false, problem: expect.stringMatching(/refused the login/) });
    const badToken = await laptop.engine.plant.login({ url: plant.url, username: '', password: 'not-the-token-at-all', caPem: cert.cert }).catch((e: DomainError) => e);
    expect((badToken as DomainError).message).toMatch(/refused the login: .*wrong/);
  });

  it('a viewer logs in but may not push, and is told the role it needs', async () => {
    expect(await laptop.engine.plant.login({ url: plant.url, username: 'vera', password: 'vera-password-0123', caPem: cert.cert })).toMatchObject({ loggedIn: true, username: 'vera' });
    const err = await laptop.engine.plant.push({ benchRuns: false, certificates: true, motors: [] }).catch((e: DomainError) => e);
    expect((err as DomainError).message).toMatch(/needs the technician role; you are viewer/);
  });

  it('logs in, pushes bench runs, certificates and a motor\'s telemetry, and a second push stores nothing new', async () => {
    const status = await laptop.engine.plant.login({ url: plant.url, username: 'tech', password: 'tech-password-0123', caPem: cert.cert });
    expect(status).toMatchObject({ loggedIn: true, url: plant.url, username: 'tech', problem: null });
    const first = await laptop.engine.plant.push({ benchRuns: true, certificates: true, motors: [BOARD] });
    expect(first.benchRuns).toEqual({ sent: 1, stored: 1, alreadyThere: 0 });
    expect(first.certificates).toEqual({ sent: 1, stored: 1, alreadyThere: 0 });
    expect(first.telemetry).toEqual([{ deviceId: BOARD, sent: 300, stored: 300, alreadyThere: 0 }]);
    const again = await laptop.engine.plant.push({ benchRuns: true, certificates: true, motors: [BOARD] });
    expect(again.benchRuns).toEqual({ sent: 1, stored: 0, alreadyThere: 1 });
    expect(again.certificates).toEqual({ sent: 1, stored: 0, alreadyThere: 1 });
    expect(again.telemetry).toEqual([{ deviceId: BOARD, sent: 300, stored: 0, alreadyThere: 300 }]);
  });

  it('a bad payload is refused with the path of the field at fault', async () => {
    const at = { url: plant.url, caPem: cert.cert };
    const bad = await plantRequest(at, 'POST', '/api/push/telemetry', { token: TOKEN, body: { deviceId: BOARD, rows: [{ ts: 1, seq: null, values: { temperature: 'hot' } }] } });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: string }).error).toMatch(/^rows\.0\.values\.temperature: /);
    const badCert = await plantRequest(at, 'POST', '/api/push/certificates', { token: TOKEN, body: { certificates: [{ ...certificate('x'), sensor: 'pressure' }] } });
    expect(badCert.status).toBe(400);
    expect((badCert.body as { error: string }).error).toMatch(/^certificates\.0\.sensor: /);
    const noToken = await plantRequest(at, 'POST', '/api/push/certificates', { body: { certificates: [certificate('y')] } });
    expect(noToken.status).toBe(401);
  });

  it('shows the plant server\'s engine over the WebSocket once opened, and this laptop\'s again after', async () => {
    expect(laptop.engine.plant.open('plant')).toMatchObject({ open: 'plant' });
    const relayed = await connectWs(laptop.server!.url);
    try {
      // The plant server's own engine answers: it holds the pushed run and certificate, and no simulated motor.
      const reports = await relayed.client.call('benchtest.reports', {});
      expect(reports.map((r) => r.serialNumber)).toEqual(['SN-PUSH-1']);
      const certs = await relayed.client.call('calibration.certificates', {});
      expect(certs.map((c) => c.id)).toEqual(['cert-push-1']);
      const status = await relayed.client.call('engine.status', {});
      expect(status.dataDir).toBe(plantDir);
      // The motor whose readings were pushed is in the plant's fleet, with its history.
      expect((await relayed.client.call('twins.list', {})).map((t) => t.id)).toContain(BOARD);
      // The link itself is still this laptop's business.
      expect(await relayed.client.call('plant.status', {})).toMatchObject({ open: 'plant', url: plant.url });
      expect(await relayed.client.call('plant.open', { open: 'laptop' })).toMatchObject({ open: 'laptop' });
    } finally {
      relayed.close();
    }
    const local = await connectWs(laptop.server!.url);
    try {
      expect((await local.client.call('engine.status', {})).dataDir).toBe(laptop.dataDir);
    } finally {
      local.close();
    }
  });

  it('the plant server\'s file holds each pushed row once', async () => {
    await stopProcess(plant.child, 'SIGINT');
    const db = await MotorDatabase.open(join(plantDir, 'motortwin.duckdb'));
    try {
      const [r] = await db.query(
        `SELECT (SELECT count(*) FROM bench_runs) AS runs, (SELECT count(*) FROM bench_samples) AS samples, (SELECT count(*) FROM calibration_certificates) AS certs,
                (SELECT count(*) FROM telemetry WHERE device_id = '${BOARD}') AS rows, (SELECT count(DISTINCT ts) FROM telemetry WHERE device_id = '${BOARD}') AS times`,
      );
      const [l] = await laptop.engine.db.query('SELECT count(*) AS samples FROM bench_samples');
      expect({ runs: r.runs, certs: r.certs, rows: r.rows, times: r.times, samples: r.samples }).toEqual({ runs: 1, certs: 1, rows: 300, times: 300, samples: l.samples });
      expect(Number(l.samples)).toBeGreaterThan(10);
    } finally {
      db.close();
    }
  });

  it('a plant server that cannot be reached when the app connects leaves the app on this laptop, saying why', async () => {
    // The plant server was stopped by the test before; the link still holds its session.
    laptop.engine.plant.open('plant');
    const ws = await connectWs(laptop.server!.url);
    try {
      expect((await ws.client.call('engine.status', {})).dataDir).toBe(laptop.dataDir);
      expect(await ws.client.call('plant.status', {})).toMatchObject({ open: 'laptop', problem: expect.stringMatching(/^showing this laptop: .*connection refused/) });
    } finally {
      ws.close();
    }
  });
});
