import mqtt, { type MqttClient } from 'mqtt';

/**
 * A board that publishes telemetry with a running `seq` at QoS 1 and remembers which seqs its broker
 * acknowledged (PUBACK): the ground truth a fault test compares the database against. MQTT.js keeps an
 * unacknowledged message and resends it after a reconnect, as the firmware does.
 */
export interface SeqBoard {
  readonly deviceId: string;
  readonly acked: Set<number>;
  /** When each PUBACK arrived (ms since epoch), by seq. */
  readonly ackedAt: Map<number, number>;
  /** How many were handed to the client (acknowledged or not yet). */
  published(): number;
  /** Stops publishing; resolves once every message published so far has its PUBACK (or `timeoutMs` passed). */
  stop(timeoutMs?: number): Promise<void>;
  client: MqttClient;
}

export async function startSeqBoard(url: string, deviceId: string, opts: { everyMs?: number; batch?: number } = {}): Promise<SeqBoard> {
  const client = await mqtt.connectAsync(url, { clientId: `board-${deviceId}`, clean: false, reconnectPeriod: 200, connectTimeout: 5000 });
  // A publish the client is still holding when it ends is not an error we count as acknowledged.
  client.on('error', () => undefined);
  const acked = new Set<number>();
  const ackedAt = new Map<number, number>();
  let seq = 0;
  let running = true;
  const t0 = Date.now();
  const loop = (async () => {
    while (running) {
      for (let i = 0; i < (opts.batch ?? 1); i++) {
        const s = seq++;
        const payload = { device_id: deviceId, seq: s, uptime_s: Math.floor((Date.now() - t0) / 1000), temperature: 50 + (s % 100) / 10 };
        client.publish(`factory/${deviceId}/telemetry`, JSON.stringify(payload), { qos: 1 }, (err) => {
          if (err) return;
          acked.add(s);
          ackedAt.set(s, Date.now());
        });
      }
      await new Promise((r) => setTimeout(r, opts.everyMs ?? 5));
    }
  })();
  return {
    deviceId,
    acked,
    ackedAt,
    client,
    published: () => seq,
    async stop(timeoutMs = 30_000) {
      running = false;
      await loop;
      const until = Date.now() + timeoutMs;
      while (acked.size < seq && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      await client.endAsync(true);
    },
  };
}
