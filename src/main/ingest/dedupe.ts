// Recognises redeliveries (MQTT QoS 1 resends, a board replaying its buffer twice). A redelivery is the
// same message again: same seq and the same uptime and device timestamp where the board sends them. A board
// that rebooted counts seq from 0 again, but its uptime and timestamps differ, so its readings are new.
// Without seq, the device timestamp alone identifies a message; host-stamped messages without seq are
// never duplicates (arrival times say nothing).

// Per device: covers QoS 1 redeliveries and a board replaying its offline buffer, and bounds memory
// (about 100 s of history at 10 Hz; 50 boards hold about 4 MB of keys).
const WINDOW = 1024;

class BoundedSet<T> {
  private readonly set = new Set<T>();
  add(v: T): void {
    this.set.add(v);
    if (this.set.size > WINDOW) this.set.delete(this.set.values().next().value as T);
  }
  has(v: T): boolean {
    return this.set.has(v);
  }
  clear(): void {
    this.set.clear();
  }
}

const NONE = Number.NaN;
const same = (a: number, b: number) => a === b || (a !== a && b !== b);

/**
 * The last WINDOW keys (seq, uptime, device time) of one device, as numbers in a ring: no string or object per
 * message (a string key cost ~3 µs a message to build and hash). Each slot links to the previous slot holding
 * the same seq, so a look-up reads only the keys that share its seq: none for nearly every message. The columns
 * grow to WINDOW as keys come, so a device heard once holds one key's worth.
 */
class SeenKeys {
  private readonly seqs: number[] = [];
  private readonly uptimes: number[] = [];
  private readonly stamps: number[] = [];
  /** When each slot was written (a count of keys added), to tell a link to an overwritten slot. */
  private readonly written: number[] = [];
  private readonly previous: number[] = [];
  /** Per seq, the newest slot holding it. */
  private readonly newest = new Map<number, number>();
  private added = 0;

  /** `uptime` and `stamp` are NaN when the message has none. */
  has(seq: number, uptime: number, stamp: number): boolean {
    let slot = this.newest.get(seq);
    while (slot !== undefined) {
      if (same(this.uptimes[slot], uptime) && same(this.stamps[slot], stamp)) return true;
      const prev = this.previous[slot];
      // A slot written after this one was overwritten: the chain's older keys are gone.
      slot = prev >= 0 && this.written[prev] < this.written[slot] ? prev : undefined;
    }
    return false;
  }

  add(seq: number, uptime: number, stamp: number): void {
    const slot = this.added % WINDOW;
    // The oldest key gives way; it is the last of its seq's chain, so only a chain of one loses its head.
    if (this.added >= WINDOW && this.newest.get(this.seqs[slot]) === slot) this.newest.delete(this.seqs[slot]);
    this.previous[slot] = this.newest.get(seq) ?? -1;
    this.newest.set(seq, slot);
    this.seqs[slot] = seq;
    this.uptimes[slot] = uptime;
    this.stamps[slot] = stamp;
    this.written[slot] = this.added++;
  }
}

interface DeviceKeys {
  keys: SeenKeys;
  stamps: BoundedSet<number>;
  maxSeq: number;
  lastUptime: number | null;
}

export interface DedupeVerdict {
  duplicate: boolean;
  /** Messages missing between the last seq and this one (a gap in the stream). */
  missed: number;
}

/** The common verdict, one object for all: ingest asks for every message. */
export const NEW_MESSAGE: DedupeVerdict = Object.freeze({ duplicate: false, missed: 0 });
const REDELIVERED: DedupeVerdict = Object.freeze({ duplicate: true, missed: 0 });

export class Deduplicator {
  private readonly devices = new Map<string, DeviceKeys>();

  /**
   * `deviceTs` is the device's own timestamp (undefined when the host stamped it: arrival times say
   * nothing about duplicates). `uptime` helps tell a reboot (seq starts over) from a resend.
   */
  check(deviceId: string, seq: number | undefined, deviceTs: number | undefined, uptime?: number | null): DedupeVerdict {
    let d = this.devices.get(deviceId);
    if (!d) this.devices.set(deviceId, (d = { keys: new SeenKeys(), stamps: new BoundedSet(), maxSeq: -1, lastUptime: null }));
    if (seq === undefined) {
      if (deviceTs === undefined) return NEW_MESSAGE;
      if (d.stamps.has(deviceTs)) return REDELIVERED;
      d.stamps.add(deviceTs);
      return NEW_MESSAGE;
    }
    const up = uptime ?? NONE;
    const stamp = deviceTs ?? NONE;
    if (d.keys.has(seq, up, stamp)) return REDELIVERED;
    d.keys.add(seq, up, stamp);
    // Gap accounting follows the current boot: seq and uptime both going back means the board restarted.
    const rebooted = (uptime != null && d.lastUptime !== null && uptime < d.lastUptime && seq < d.maxSeq) || seq < d.maxSeq - WINDOW;
    if (rebooted) {
      d.maxSeq = -1;
      d.lastUptime = null;
    }
    const missed = d.maxSeq >= 0 && seq > d.maxSeq + 1 ? seq - d.maxSeq - 1 : 0;
    if (seq > d.maxSeq) d.maxSeq = seq;
    if (uptime != null) d.lastUptime = Math.max(d.lastUptime ?? uptime, uptime);
    // The common verdict is the shared object: no allocation for a message in order.
    return missed === 0 ? NEW_MESSAGE : { duplicate: false, missed };
  }

  /** Replays a stored key after a restart; its uptime lets a board that rebooted meanwhile start over. */
  remember(deviceId: string, seq: number | null, deviceTs: number | undefined, uptime: number | null = null): void {
    this.check(deviceId, seq ?? undefined, deviceTs, uptime);
  }
}
