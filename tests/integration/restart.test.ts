import { describe, expect, it } from 'vitest';
import { startEngine } from '../support/engineHarness';
import { waitFor } from '../support/tools';

// A restart of the app restarts its simulated board too (seq from 0 again). The engine remembers the
// keys it stored before, and must tell a rebooted board from a resend, or it drops the new readings.
describe('engine restart', () => {
  it('keeps storing a board that rebooted while the engine was down, and still drops true resends', async () => {
    const first = await startEngine({ simulate: true });
    await waitFor('a few readings stored', () => first.engine.status().ingest.stored >= 5);
    const dataDir = first.dataDir;
    await first.close();

    const second = await startEngine({ simulate: true, dataDir });
    try {
      await waitFor('new readings stored after the restart', () => second.engine.status().ingest.stored >= 5);
      expect(second.engine.status().ingest.duplicates).toBe(0);
      const rows = await second.engine.db.query("SELECT count(*) AS n, count(DISTINCT seq) AS seqs FROM telemetry WHERE device_id = 'motor_01' AND seq < 3");
      expect(rows[0].n).toBe(6); // seq 0, 1, 2 from each boot
      // A resend of a message of this boot (same seq, uptime and timestamp) is still a duplicate.
      const [last] = await second.engine.db.query(
        "SELECT seq, uptime_s, strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS ts FROM telemetry WHERE device_id = 'motor_01' AND seq = 1 ORDER BY received_at DESC LIMIT 1",
      );
      const before = second.engine.status().ingest.duplicates;
      const resend = { device_id: 'motor_01', seq: 1, uptime_s: last.uptime_s, timestamp: last.ts, temperature: 40 };
      second.publisher.publish('factory/motor_01/telemetry', JSON.stringify(resend), { qos: 1 });
      await waitFor('duplicate counted', () => second.engine.status().ingest.duplicates > before);
    } finally {
      await second.close();
    }
  });

  // The resend a standby taking over or a restarted engine gets from the broker's session: the same message,
  // without a timestamp of its own (stored with the arrival time), must still be known after the restart.
  it('drops a resend, after a restart, of a reading the board did not stamp', async () => {
    const message = JSON.stringify({ device_id: 'm_nostamp', seq: 7, uptime_s: 30, temperature: 41 });
    const first = await startEngine();
    first.publisher.publish('factory/m_nostamp/telemetry', message, { qos: 1 });
    await waitFor('stored', () => first.engine.status().ingest.stored >= 1);
    await first.close();

    const second = await startEngine({ dataDir: first.dataDir });
    try {
      second.publisher.publish('factory/m_nostamp/telemetry', message, { qos: 1 });
      await waitFor('the resend counted as a duplicate', () => second.engine.status().ingest.duplicates === 1);
      await second.engine.drain();
      const [r] = await second.engine.db.query("SELECT count(*)::INTEGER AS n FROM telemetry WHERE device_id = 'm_nostamp'");
      expect(r.n).toBe(1);
    } finally {
      await second.close();
    }
  });
});
