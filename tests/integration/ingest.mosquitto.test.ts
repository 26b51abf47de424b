import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { createEngine } from '../../src/main/engine';
import { startEngine, type Harness } from '../support/engineHarness';
import { startMosquitto, tempDir, waitFor, type Mosquitto } from '../support/tools';

// Against a real Mosquitto: the engine as an external-broker client with a persistent QoS 1 session.
describe('ingest from an external Mosquitto broker', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => broker?.stop());

  it('receives telemetry, and loses nothing published while the engine was away (persistent session)', async () => {
    const dataDir = tempDir();
    const url = `mqtt://127.0.0.1:${broker.port}`;
    const config = { mode: 'external' as const, url, clientId: 'motortwin-persist-test' };
    let h: Harness = await startEngine({ broker: config, dataDir });
    await waitFor('engine connected', () => h.engine.ingest?.state.connected);
    const board = await mqtt.connectAsync(url, { clientId: 'board-m_persist' });
    const send = (seq: number) => board.publishAsync('factory/m_persist/telemetry', JSON.stringify({ device_id: 'm_persist', seq, temperature: 60 + seq / 100 }), { qos: 1 });
    for (let seq = 0; seq < 50; seq++) await send(seq);
    await waitFor('first 50', () => h.engine.twins.get('m_persist')?.counts.received === 50);
    await h.close();

    // The engine is down: Mosquitto queues these for its persistent session.
    for (let seq = 50; seq < 150; seq++) await send(seq);

    h = await startEngine({ broker: config, dataDir });
    await waitFor('queued messages after restart', async () => {
      await h.engine.drain();
      const [r] = await h.engine.db.query("SELECT count(*) AS n, count(DISTINCT seq) AS d FROM telemetry WHERE device_id = 'm_persist'");
      return r.n === 150 && r.d === 150;
    });
    const [gaps] = await h.engine.db.query("SELECT min(seq) AS lo, max(seq) AS hi FROM telemetry WHERE device_id = 'm_persist'");
    expect(gaps).toEqual({ lo: 0, hi: 149 });
    expect(h.engine.status().broker.mode).toBe('external');
    await board.endAsync();
    await h.close();
  });

  it('keeps ingesting when the broker restarts, and says so while it is down', async () => {
    const h = await startEngine({ broker: { mode: 'external', url: `mqtt://127.0.0.1:${broker.port}`, clientId: 'motortwin-restart-test' } });
    await waitFor('connected', () => h.engine.ingest?.state.connected);
    await broker.stop();
    await waitFor('disconnect noticed', () => !h.engine.status().broker.connected);
    await broker.restart();
    await waitFor('reconnected', () => h.engine.status().broker.connected, 20_000);
    const board = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`);
    await board.publishAsync('factory/m_after/telemetry', '{"device_id":"m_after","temperature":33}', { qos: 1 });
    await waitFor('message after restart', () => h.engine.twins.get('m_after')?.readings.temperature?.value === 33);
    await board.endAsync();
    await h.close();
  });
});

describe('an external broker that refuses the login', () => {
  it('says why, keeps trying, and ingests once the account is fixed on the broker', async () => {
    const broker = await startMosquitto({ accounts: { board: 'board-pw' } });
    const url = `mqtt://127.0.0.1:${broker.port}`;
    // Not the harness: its test board would be refused too.
    const engine = await createEngine({ dataDir: tempDir(), broker: { mode: 'external', url, clientId: 'motortwin-login-test', username: 'motortwin', password: 'not-yet-valid' }, agent: { env: {} } });
    const h = { engine };
    try {
      await waitFor('the refusal', () => /Not authorized|Bad username or password/i.test(h.engine.ingest?.state.error ?? ''));
      expect(h.engine.ingest?.state.connected).toBe(false);
      expect(h.engine.ingest?.state.error).not.toContain('not-yet-valid');
      // The broker's administrator adds the account; MQTT.js alone would never try again.
      broker.setAccounts({ board: 'board-pw', motortwin: 'not-yet-valid' });
      await waitFor('the engine to log in', () => h.engine.ingest?.state.connected, 30_000);
      const board = await mqtt.connectAsync(url, { clientId: 'board-login', username: 'board', password: 'board-pw' });
      await board.publishAsync('factory/m_login/telemetry', JSON.stringify({ device_id: 'm_login', seq: 1, temperature: 61 }), { qos: 1 });
      await waitFor('the reading', () => h.engine.twins.get('m_login')?.counts.received === 1);
      await board.endAsync();
    } finally {
      await engine.close();
      await broker.stop();
    }
  }, 60_000);
});
