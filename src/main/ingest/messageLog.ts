import type { ReceivedMessage } from '../../shared/brokerContract';

/** Messages kept per twin, and twins kept at most: the inspector looks at the last few, never history. */
const PER_DEVICE = 20;
const MAX_DEVICES = 10_000;
/** Enough of a payload to recognise it; the whole message is in the history or the Rejected list. */
const PAYLOAD_SHOWN = 300;
/** Bytes kept of a payload: PAYLOAD_SHOWN characters of UTF-8 take at most four bytes each. */
const PAYLOAD_BYTES = PAYLOAD_SHOWN * 4;

/** What is recorded of a message; the payload's text is decoded only when someone looks. */
export type RecordedMessage = Omit<ReceivedMessage, 'payload' | 'userProperties'> & { userProperties: ReceivedMessage['userProperties'] | null; payload: Buffer };

/** One reused slot of a device's ring: the first bytes of its payload are copied into its own buffer. */
interface Slot extends Omit<RecordedMessage, 'payload'> {
  head: Buffer;
  headBytes: number;
}

interface Ring {
  slots: Slot[];
  /** Where the next message goes. */
  next: number;
}

/**
 * The last messages each twin's broker delivered, with what MQTT said about them (QoS, retain, MQTT 5 user
 * properties): what a person checks when a board "sends but nothing shows". Recorded for every message and
 * read when a person opens the inspector, so recording reuses each device's slots and copies the payload's
 * first bytes into them (keeping the broker's buffer would keep the socket chunk it is a slice of), and the
 * text is decoded only by `list`.
 */
export class MessageLog {
  private readonly byDevice = new Map<string, Ring>();

  record(deviceId: string, m: RecordedMessage): void {
    let ring = this.byDevice.get(deviceId);
    if (!ring) {
      // The oldest twin heard of gives way: a stream of made-up ids must not grow this without end.
      if (this.byDevice.size >= MAX_DEVICES) this.byDevice.delete(this.byDevice.keys().next().value!);
      ring = { slots: [], next: 0 };
      this.byDevice.set(deviceId, ring);
    }
    let slot = ring.slots[ring.next];
    if (!slot) {
      slot = { ts: 0, broker: '', topic: '', qos: 0, retain: false, userProperties: null, correlationData: null, responseTopic: null, bytes: 0, head: Buffer.allocUnsafeSlow(PAYLOAD_BYTES), headBytes: 0 };
      ring.slots.push(slot);
    }
    ring.next = (ring.next + 1) % PER_DEVICE;
    slot.ts = m.ts;
    slot.broker = m.broker;
    slot.topic = m.topic;
    slot.qos = m.qos;
    slot.retain = m.retain;
    slot.userProperties = m.userProperties;
    slot.correlationData = m.correlationData;
    slot.responseTopic = m.responseTopic;
    slot.bytes = m.bytes;
    slot.headBytes = m.payload.copy(slot.head, 0, 0, PAYLOAD_BYTES);
  }

  /** Newest first. */
  list(deviceId: string): ReceivedMessage[] {
    const ring = this.byDevice.get(deviceId);
    if (!ring) return [];
    const out: ReceivedMessage[] = [];
    const n = ring.slots.length;
    for (let i = 1; i <= n; i++) {
      const { head, headBytes, ...s } = ring.slots[(ring.next - i + PER_DEVICE) % PER_DEVICE];
      const text = head.toString('utf8', 0, headBytes);
      out.push({ ...s, userProperties: { ...(s.userProperties ?? {}) }, payload: text.length > PAYLOAD_SHOWN ? `${text.slice(0, PAYLOAD_SHOWN)}…` : text });
    }
    return out;
  }
}
