import type { WebSocket } from 'ws';
import type { EventName, TelemetryPoint } from '../../shared/contract';
import { STREAMS } from '../../shared/streams';

// Backpressure on one WebSocket. A client that reads slower than the engine speaks (a busy or throttled
// browser tab, a laptop on a poor link, a script that stopped reading) must not grow the server's memory:
// once ws holds `holdBytes` not yet written to the network, messages wait here instead, where telemetry is
// merged to the newest value of each motor's reading and a newer snapshot (a twin, a health index, the
// status) replaces an older one of the same thing. What must not be lost (replies, alarm transitions,
// command status, audit entries, chat, console lines) waits whole, in order; past `closeBytes` of those the
// socket is closed with 1013 and the reason, and the UI reconnects and loads afresh.

export interface OutboxLimits {
  /** Bytes in ws's send buffer from which messages wait here. */
  holdBytes: number;
  /** Bytes of messages that cannot be merged waiting here from which the socket is closed. */
  closeBytes: number;
}

export const OUTBOX_LIMITS: OutboxLimits = { holdBytes: 512 * 1024, closeBytes: 4 * 1024 * 1024 };

/** WebSocket close code "Try Again Later": the client reconnects. */
export const TOO_SLOW_CODE = 1013;
export const TOO_SLOW_REASON = 'too slow to keep up with the engine: reconnect to load afresh';

/** How often a held queue looks whether the network took some of ws's buffer. */
const DRAIN_CHECK_MS = 50;
/** A socket closed for being too slow that does not finish the closing handshake is cut after this. */
const CLOSE_GRACE_MS = 10_000;

/** What a socket's delivery looks like now: for tests and the server's figures. */
export interface DeliveryStats {
  /** Bytes ws has not yet handed to the network. */
  bufferedBytes: number;
  /** Bytes of messages waiting here whole (those that cannot be merged). */
  heldBytes: number;
  /** Telemetry values and snapshots merged away so far: older values a slow client never saw. */
  merged: number;
  closedTooSlow: boolean;
}

interface EventMessage {
  kind: 'event';
  name: EventName;
  data: unknown;
}

/** The queue's place of the merged telemetry. */
const TELEMETRY = Symbol('merged telemetry');

export class SocketOutbox {
  /** In sending order: a whole message's text, a snapshot (sent as it is when its turn comes), or the merged telemetry. */
  private readonly queue = new Map<string, string | EventMessage | typeof TELEMETRY>();
  /** Per motor, per reading: the newest value and its time. */
  private readonly telemetry = new Map<string, Map<string, { value: number | null; ts: number }>>();
  private heldBytes = 0;
  private merged = 0;
  private nextEntry = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private tooSlow = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly limits: OutboxLimits = OUTBOX_LIMITS,
  ) {
    ws.once('close', () => this.stop());
  }

  send(message: unknown): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    if (!this.queue.size && this.ws.bufferedAmount < this.limits.holdBytes) {
      this.ws.send(JSON.stringify(message));
      return;
    }
    this.hold(message);
    if (this.heldBytes > this.limits.closeBytes) return this.closeTooSlow();
    this.timer ??= setTimeout(() => this.drain(), DRAIN_CHECK_MS).unref();
  }

  stats(): DeliveryStats {
    return { bufferedBytes: this.ws.bufferedAmount, heldBytes: this.heldBytes, merged: this.merged, closedTooSlow: this.tooSlow };
  }

  private hold(message: unknown): void {
    const event = message as EventMessage;
    if (event?.kind === 'event') {
      if (event.name === 'telemetry') {
        this.mergeTelemetry(event.data as TelemetryPoint[]);
        // Moved behind what came before it: the newest values are sent after everything older.
        this.queue.delete('telemetry');
        this.queue.set('telemetry', TELEMETRY);
        return;
      }
      const newestOf = STREAMS[event.name]?.newestOf as ((d: unknown) => string) | undefined;
      if (newestOf) {
        const key = `${event.name} ${newestOf(event.data)}`;
        if (this.queue.delete(key)) this.merged++;
        this.queue.set(key, event);
        return;
      }
    }
    const text = JSON.stringify(message);
    this.queue.set(`#${this.nextEntry++}`, text);
    this.heldBytes += text.length;
  }

  private mergeTelemetry(points: TelemetryPoint[]): void {
    for (const p of points) {
      let readings = this.telemetry.get(p.id);
      if (!readings) this.telemetry.set(p.id, (readings = new Map()));
      for (const [name, value] of Object.entries(p.values)) {
        const current = readings.get(name);
        if (current) this.merged++;
        if (!current || current.ts <= p.ts) readings.set(name, { value: value ?? null, ts: p.ts });
      }
    }
  }

  /** The merged telemetry as points: one per motor and time. */
  private takeTelemetry(): TelemetryPoint[] {
    const points: TelemetryPoint[] = [];
    for (const [id, readings] of this.telemetry) {
      const byTs = new Map<number, TelemetryPoint['values']>();
      for (const [name, { value, ts }] of readings) {
        let values = byTs.get(ts);
        if (!values) byTs.set(ts, (values = {}));
        (values as Record<string, number | null>)[name] = value;
      }
      for (const ts of [...byTs.keys()].sort((a, b) => a - b)) points.push({ id, ts, values: byTs.get(ts)! });
    }
    this.telemetry.clear();
    return points;
  }

  private drain(): void {
    this.timer = null;
    if (this.closed) return;
    for (const [key, entry] of this.queue) {
      if (this.ws.bufferedAmount >= this.limits.holdBytes) break;
      this.queue.delete(key);
      if (entry === TELEMETRY) this.ws.send(JSON.stringify({ kind: 'event', name: 'telemetry', data: this.takeTelemetry() }));
      else if (typeof entry !== 'string') this.ws.send(JSON.stringify(entry));
      else {
        this.heldBytes -= entry.length;
        this.ws.send(entry);
      }
    }
    if (this.queue.size) this.timer = setTimeout(() => this.drain(), DRAIN_CHECK_MS).unref();
  }

  private closeTooSlow(): void {
    this.stop();
    this.tooSlow = true;
    this.ws.close(TOO_SLOW_CODE, TOO_SLOW_REASON);
    // A client that stopped reading never answers the close: its socket and what ws holds for it go.
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  private stop(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.clear();
    this.telemetry.clear();
    this.heldBytes = 0;
  }
}
