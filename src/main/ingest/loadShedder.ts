// Per-device load shedding: a token bucket per device, checked before a message is decoded, so a board
// that floods costs the engine a counter increment per message instead of a decode, a twin update and a
// database row, and cannot take the whole ingest path from the rest of the fleet.
//
// The default ceiling is far above any well-behaved source: a board reports at most 10 telemetry
// messages/s (SET_RATE 1-10 Hz) plus a few waveform blocks, replays its 240-message offline buffer in
// one burst, and the fastest legitimate source we know is the serial bench at 2,000 lines/s. 3,000/s
// with a 6,000-message burst lets all of those through and keeps one board to about a fifth of what the
// engine stores per second on a 2-core laptop (about 15,000 messages/s measured with a flood).

export const DEFAULT_DEVICE_RATE = 3000;
export const DEFAULT_DEVICE_BURST = 6000;
/** A device counts as shedding for this long after its last dropped message. */
const SHEDDING_FOR_MS = 5000;
/** Buckets kept at most: a stream of made-up device ids must not grow this map without bound. */
const MAX_DEVICES = 10_000;

export interface ShedderOptions {
  ratePerS?: number;
  burst?: number;
}

interface Bucket {
  tokens: number;
  at: number;
  shed: number;
  lastShedAt: number;
}

export interface SheddingDevice {
  id: string;
  shed: number;
}

export class LoadShedder {
  private readonly buckets = new Map<string, Bucket>();
  private readonly rate: number;
  private readonly burst: number;
  /** Messages dropped, all devices. */
  total = 0;

  constructor(opts: ShedderOptions = {}) {
    this.rate = opts.ratePerS ?? DEFAULT_DEVICE_RATE;
    this.burst = opts.burst ?? DEFAULT_DEVICE_BURST;
  }

  /** True when the device may send this message now; false when it is dropped (and counted). */
  admit(deviceId: string, now = Date.now()): boolean {
    let b = this.buckets.get(deviceId);
    if (!b) {
      if (this.buckets.size >= MAX_DEVICES) this.evictOne(now);
      b = { tokens: this.burst, at: now, shed: 0, lastShedAt: 0 };
      this.buckets.set(deviceId, b);
    } else if (now > b.at) {
      b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) * this.rate) / 1000);
      b.at = now;
    }
    if (b.tokens >= 1) {
      b.tokens--;
      return true;
    }
    b.shed++;
    b.lastShedAt = now;
    this.total++;
    return false;
  }

  /** Messages dropped for one device since the engine started. */
  shedFor(deviceId: string): number {
    return this.buckets.get(deviceId)?.shed ?? 0;
  }

  /** Devices that dropped messages in the last few seconds, the worst first. */
  shedding(now = Date.now()): SheddingDevice[] {
    const out: SheddingDevice[] = [];
    for (const [id, b] of this.buckets) if (b.shed > 0 && now - b.lastShedAt < SHEDDING_FOR_MS) out.push({ id, shed: b.shed });
    return out.sort((a, b) => b.shed - a.shed).slice(0, 20);
  }

  get devices(): number {
    return this.buckets.size;
  }

  /** Forgets a device whose bucket is full again (it has been quiet), else the oldest one. */
  private evictOne(now: number): void {
    for (const [id, b] of this.buckets) {
      if (b.tokens + ((now - b.at) * this.rate) / 1000 >= this.burst && now - b.lastShedAt >= SHEDDING_FOR_MS) {
        this.buckets.delete(id);
        return;
      }
    }
    const oldest = this.buckets.keys().next().value;
    if (oldest !== undefined) this.buckets.delete(oldest);
  }
}
