import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ackWhenStored, StoredAcks, type RowWatermark } from '../../src/main/ingest/storedAcks';
import { MqttIngest } from '../../src/main/ingest/mqttIngest';
import { IngestPipeline } from '../../src/main/ingest/pipeline';
import { MotorDatabase } from '../../src/main/store/database';
import { RejectedLog } from '../../src/main/store/rejectedLog';
import { TelemetryWriter } from '../../src/main/store/telemetryWriter';
import { TwinRegistry } from '../../src/main/twin/twinRegistry';
import { startMosquitto, waitFor, type Mosquitto } from '../support/tools';

// A message is acknowledged to the broker only once its row is stored: a client that dies between
// receiving and storing leaves the broker holding the message, and whoever resumes the persistent
// session (a restart, the standby) gets it again. Against the real Mosquitto, over MQTT 5.
describe('acknowledged once stored', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  /** The writer's side, driven by the test: rows queued as messages arrive, settled when the test says. */
  function rows(): RowWatermark & { queue(): void; settle(n: number): void } {
    const listeners = new Set<() => void>();
    const w = {
      queuedRows: 0,
      settledRows: 0,
      onSettled(l: () => void) {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      queue: () => void w.queuedRows++,
      settle(n: number) {
        w.settledRows = n;
        for (const l of listeners) l();
      },
    };
    return w;
  }

  const session = { protocolVersion: 5 as const, clean: false, properties: { sessionExpiryInterval: 300 }, reconnectPeriod: 0 };

  it('a client killed before its rows are stored gets the unstored messages again on the same session', async () => {
    const url = `mqtt://127.0.0.1:${broker.port}`;
    const watermark = rows();
    const ingest = await mqtt.connectAsync(url, { ...session, clientId: 'ingest-held' });
    const acks = new StoredAcks(watermark);
    ackWhenStored(ingest, acks);
    const seen: number[] = [];
    ingest.on('message', (_t, payload) => {
      seen.push(Number(payload.toString()));
      watermark.queue();
    });
    await ingest.subscribeAsync('held/#', { qos: 1 });

    const board = await mqtt.connectAsync(url, { clientId: 'board-held' });
    for (let i = 0; i < 20; i++) await board.publishAsync('held/m1', String(i), { qos: 1 });
    await waitFor('all 20 received', () => seen.length === 20);
    expect(acks.waiting).toBe(20);

    // The first 5 rows are stored: their acknowledgements go (a round trip makes sure the broker has them).
    watermark.settle(5);
    expect(acks.waiting).toBe(15);
    await ingest.subscribeAsync('held/other', { qos: 1 });
    ingest.end(true);

    // Listening before the CONNACK: the broker sends what it kept right after it.
    const resumed = mqtt.connect(url, { ...session, clientId: 'ingest-held' });
    const again: number[] = [];
    resumed.on('message', (_t, payload) => again.push(Number(payload.toString())));
    await waitFor('the unstored messages again', () => again.length >= 15);
    // Everything was stored now: acknowledged at once (no watermark on this client), then nothing more comes.
    await resumed.subscribeAsync('held/other', { qos: 1 });
    expect(again.sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, i) => i + 5));
    await resumed.endAsync();
    await board.endAsync();
  });

  it("the engine's ingest takes far more than the broker's default window while its acknowledgements wait for the commit", async () => {
    // Mosquitto sends a client that states no receive maximum only max_inflight_messages (20) unacknowledged:
    // with acknowledgements held until the commit, ingest would crawl at 20 messages a commit.
    const url = `mqtt://127.0.0.1:${broker.port}`;
    const db = await MotorDatabase.open(':memory:');
    const writer = new TelemetryWriter(db, { flushIntervalMs: 600_000, flushRows: 1_000_000 });
    const pipeline = new IngestPipeline(new TwinRegistry(), writer, new RejectedLog(null));
    const ingest = new MqttIngest({ url, clientId: 'ingest-window' }, pipeline, () => true, writer);
    await ingest.start();
    expect(ingest.state.protocol).toBe('5');
    const board = await mqtt.connectAsync(url, { clientId: 'board-window' });
    const count = 200;
    for (let i = 0; i < count; i++) board.publish('factory/window_1/telemetry', JSON.stringify({ device_id: 'window_1', seq: i, temperature: 40 }), { qos: 1 });
    await waitFor(`all ${count} received before any is stored`, () => pipeline.counters.received === count, 15_000);
    expect(writer.settledRows).toBe(0);
    await writer.flush();
    expect(writer.settledRows).toBe(count);
    await board.endAsync();
    await ingest.stop();
    await writer.close();
    db.close();
  });

  it('acknowledgements of a closed connection are dropped, not sent on the next one', async () => {
    const watermark = rows();
    const acks = new StoredAcks(watermark);
    const sent: number[] = [];
    watermark.queue();
    acks.hold(() => sent.push(1));
    expect(sent).toEqual([]);
    acks.drop();
    watermark.settle(1);
    expect(sent).toEqual([]);
    // Nothing waiting and every row settled: an acknowledgement goes at once.
    acks.hold(() => sent.push(2));
    expect(sent).toEqual([2]);
    acks.close();
  });
});
