import type { ReceivedMessage } from '../../shared/brokerContract';

/** Messages kept per twin, and twins kept at most: the inspector looks at the last few, never history. */
const PER_DEVICE = 20;
const MAX_DEVICES = 10_000;
/** Enough of a payload to recognise it; the whole message is in the history or the Rejected list. */
const PAYLOAD_SHOWN = 300;

/**
 * The last messages each twin's broker delivered, with what MQTT said about them (QoS, retain, MQTT 5 user
 * properties): what a person checks when a board "sends but nothing shows".
 */
export class MessageLog {
  private readonly byDevice = new Map<string, ReceivedMessage[]>();

  record(deviceId: string, m: Omit<ReceivedMessage, 'payload'> & { payload: Buffer }): void {
    let list = this.byDevice.get(deviceId);
    if (!list) {
      // The oldest twin heard of gives way: a stream of made-up ids must not grow this without end.
      if (this.byDevice.size >= MAX_DEVICES) this.byDevice.delete(this.byDevice.keys().next().value!);
      list = [];
      this.byDevice.set(deviceId, list);
    }
    const text = m.payload.subarray(0, PAYLOAD_SHOWN * 4).toString('utf8');
    list.push({ ...m, payload: text.length > PAYLOAD_SHOWN ? `${text.slice(0, PAYLOAD_SHOWN)}…` : text });
    if (list.length > PER_DEVICE) list.shift();
  }

  /** Newest first. */
  list(deviceId: string): ReceivedMessage[] {
    return [...(this.byDevice.get(deviceId) ?? [])].reverse();
  }
}
