// Recognises redeliveries (MQTT QoS 1 resends, a board replaying its buffer twice): a message is a
// duplicate when its device already sent the same seq in this boot or, for messages without seq, the
// same device timestamp. With seq, two readings in the same millisecond are both real.

const WINDOW = 4096;

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

interface DeviceKeys {
  seqs: BoundedSet<number>;
  stamps: BoundedSet<number>;
  maxSeq: number;
  lastUptime: number | null;
}

export interface DedupeVerdict {
  duplicate: boolean;
  /** Messages missing between the last seq and this one (a gap in the stream). */
  missed: number;
}

export class Deduplicator {
  private readonly devices = new Map<string, DeviceKeys>();

  /**
   * `deviceTs` is the device's own timestamp (undefined when the host stamped it: arrival times say
   * nothing about duplicates). `uptime` helps tell a reboot (seq starts over) from a resend.
   */
  check(deviceId: string, seq: number | undefined, deviceTs: number | undefined, uptime?: number | null): DedupeVerdict {
    let d = this.devices.get(deviceId);
    if (!d) this.devices.set(deviceId, (d = { seqs: new BoundedSet(), stamps: new BoundedSet(), maxSeq: -1, lastUptime: null }));
    let missed = 0;
    if (seq !== undefined) {
      const rebooted = (uptime != null && d.lastUptime !== null && uptime < d.lastUptime && seq < d.maxSeq) || seq < d.maxSeq - WINDOW;
      if (rebooted) {
        d.seqs.clear();
        d.maxSeq = -1;
      }
      if (d.seqs.has(seq)) return { duplicate: true, missed: 0 };
    }
    if (seq === undefined && deviceTs !== undefined && d.stamps.has(deviceTs)) return { duplicate: true, missed: 0 };
    if (seq !== undefined) {
      if (d.maxSeq >= 0 && seq > d.maxSeq + 1) missed = seq - d.maxSeq - 1;
      d.seqs.add(seq);
      if (seq > d.maxSeq) d.maxSeq = seq;
    }
    if (uptime != null) d.lastUptime = uptime;
    if (seq === undefined && deviceTs !== undefined) d.stamps.add(deviceTs);
    return { duplicate: false, missed };
  }

  /** Seeds the window from stored rows after a restart. */
  remember(deviceId: string, seq: number | null, deviceTs: number | undefined): void {
    this.check(deviceId, seq ?? undefined, deviceTs);
  }
}
