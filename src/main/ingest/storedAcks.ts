import type { MqttClient, Packet } from 'mqtt';

/**
 * How far the history writer got: rows queued so far, and how many of them are settled (committed, or
 * dropped for lack of room: lost either way). Rows settle in the order they were queued.
 */
export interface RowWatermark {
  readonly queuedRows: number;
  readonly settledRows: number;
  /** Calls `listener` whenever rows settle; returns a function that stops it. */
  onSettled(listener: () => void): () => void;
}

/**
 * Acknowledgements held until what their messages became is stored. An instance killed between a PUBACK
 * and the commit would lose the message for good; held back, the broker sends it again to whoever resumes
 * the session (a restarted engine, the standby), and the store's unique key drops the copies it already had.
 */
export class StoredAcks {
  private held: Array<{ upTo: number; send: () => void }> = [];
  private readonly unlisten: () => void;

  constructor(private readonly rows: RowWatermark) {
    this.unlisten = rows.onSettled(() => this.release());
  }

  /** Sends `send` once every row queued so far is settled (now, when nothing is waiting). */
  hold(send: () => void): void {
    const upTo = this.rows.queuedRows;
    if (!this.held.length && this.rows.settledRows >= upTo) return send();
    this.held.push({ upTo, send });
  }

  get waiting(): number {
    return this.held.length;
  }

  /** Sends, in order, every acknowledgement whose rows are settled. */
  release(): void {
    const settled = this.rows.settledRows;
    let i = 0;
    while (i < this.held.length && this.held[i].upTo <= settled) this.held[i++].send();
    if (i) this.held.splice(0, i);
  }

  /** The connection these acknowledgements belong to is gone: the broker sends their messages again. */
  drop(): void {
    this.held = [];
  }

  close(): void {
    this.drop();
    this.unlisten();
  }
}

type PacketSender = (packet: Packet, cb?: (error?: Error) => void) => void;

/**
 * Routes a client's PUBACKs through `acks`. MQTT.js sends a QoS 1 PUBACK as soon as the message handler
 * returns and offers no later hook that keeps messages flowing (its handleMessage callback also holds back
 * the next message), so its packet sender is wrapped: the rest of the client carries on at once, and the
 * PUBACK leaves when its rows are stored. The broker keeps sending meanwhile: MQTT 5 lets it have up to
 * the receive maximum the client states (65,535, see mqttIngest) unacknowledged; an MQTT 3.1.1 broker stops at
 * its own limit (Mosquitto's max_inflight_messages, 20 by default), which would cap ingest at that many
 * messages a commit, so acknowledgements are held with MQTT 5 only.
 */
export function ackWhenStored(client: MqttClient, acks: StoredAcks): void {
  const target = client as unknown as { _sendPacket: PacketSender };
  if (typeof target._sendPacket !== 'function') throw new Error('this MQTT.js has no packet sender to hold acknowledgements with');
  const send = target._sendPacket.bind(client);
  target._sendPacket = (packet, cb) => {
    if (packet.cmd !== 'puback') return send(packet, cb);
    acks.hold(() => send(packet));
    cb?.();
  };
  client.on('close', () => acks.drop());
}
