import { existsSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine } from '../support/engineHarness';
import { startSeqBoard } from '../support/seqBoard';
import { startMosquitto, tempDir, waitFor, type Mosquitto } from '../support/tools';

// Mosquitto dies under the engine while a board streams QoS 1 telemetry. The board's ground truth is the
// set of seqs its broker acknowledged; the history must hold exactly that set, each seq once (MQTT.js and
// Mosquitto resend what was in flight, so duplicates do arrive and must be dropped). After a SIGKILL,
// Mosquitto itself may have lost what it acknowledged in the moments before the crash; nothing else.
/** Mosquitto autosaves every second here; a loaded machine can delay a save. */
const CRASH_WINDOW_MS = 3000;

describe('fault: the external broker dies during ingest', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => broker?.stop());

  const storedSeqs = async (h: Awaited<ReturnType<typeof startEngine>>, deviceId: string) => {
    await h.engine.drain();
    return h.engine.db.query(`SELECT seq, count(*)::INTEGER AS n FROM telemetry WHERE device_id = '${deviceId}' GROUP BY seq ORDER BY seq`);
  };

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`${signal}: every message the board got PUBACK for is stored once${signal === 'SIGKILL' ? ", bar what Mosquitto's crash lost" : ', none lost'}`, async () => {
      const url = `mqtt://127.0.0.1:${broker.port}`;
      const h = await startEngine({ broker: { mode: 'external', url, clientId: `motortwin-fault-${signal}` }, dataDir: tempDir() });
      const deviceId = `m_${signal.toLowerCase()}`;
      try {
        await waitFor('engine connected', () => h.engine.ingest?.state.connected);
        // A crashed Mosquitto comes back with what it last saved (every second here): the engine's session
        // must be in that file, or the broker forgets the subscription and drops what the board sends next.
        const subscribedAt = Date.now();
        await waitFor('the session saved by Mosquitto', () => existsSync(broker.persistenceFile) && statSync(broker.persistenceFile).mtimeMs > subscribedAt);
        const board = await startSeqBoard(url, deviceId, { everyMs: 5, batch: 10 });
        await waitFor('ingest running', () => (h.engine.twins.get(deviceId)?.counts.received ?? 0) >= 2000);
        const killedAt = Date.now();
        await broker.restart(signal);
        await waitFor('engine back on the broker', () => h.engine.status().broker.connected, 20_000);
        const before = h.engine.twins.get(deviceId)!.counts.received;
        await waitFor('ingest running again', () => h.engine.twins.get(deviceId)!.counts.received >= before + 2000, 20_000);
        await board.stop();
        expect(board.acked.size).toBe(board.published());

        // A crashed Mosquitto forgets what it acknowledged after its last autosave and had not yet passed
        // on: that window is the broker's, not ours. Everything else must be in the history.
        const lostByBroker = (seq: number) => {
          const at = board.ackedAt.get(seq)!;
          return signal === 'SIGKILL' && at >= killedAt - CRASH_WINDOW_MS && at <= killedAt + 500;
        };
        let gone: number[] = [];
        const { rows, missing } = await waitFor(
          'every acknowledged seq in the history',
          async () => {
            const r = await storedSeqs(h, deviceId);
            const have = new Set(r.map((x) => x.seq as number));
            gone = [...board.acked].filter((seq) => !have.has(seq));
            return gone.every(lostByBroker) ? { rows: r, missing: gone } : null;
          },
          60_000,
        ).catch((e: Error) => {
          const when = gone.slice(0, 10).map((seq) => `${seq} acked ${board.ackedAt.get(seq)! - killedAt} ms after the kill`);
          throw new Error(`${e.message}; ${gone.length} missing, e.g. ${when.join(', ')}`);
        });
        expect(rows.filter((r) => r.n !== 1)).toEqual([]);
        expect(rows.filter((r) => !board.acked.has(r.seq as number))).toEqual([]);
        if (signal === 'SIGTERM') expect(missing).toEqual([]);
        console.log(`${signal}: ${board.acked.size} acknowledged, ${h.engine.status().ingest.duplicates} duplicates dropped, ${missing.length} lost in Mosquitto's crash`);
      } finally {
        await h.close();
      }
    }, 150_000);
  }
});
