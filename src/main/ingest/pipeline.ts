import { EventEmitter } from 'node:events';
import { READING_NAMES, type ReadingName } from '../../shared/readings';
import { implausibleReading, plausibleRanges, type PlausibleRange, type PlausibleRanges } from '../../shared/plausibility';
import { deviceIdProblem } from '../../shared/protocol/schemas';
import type { RejectedMessage, TelemetryPoint } from '../../shared/contract';
import type { AckPayload, LogPayload, WaveformPayload } from '../../shared/protocol/schemas';
import { decodeDeviceMessage, type DeviceMessage, type MessageKind } from '../../shared/protocol/decode';
import type { ReadingMap, TwinSource } from '../../shared/twin';
import type { TwinRegistry } from '../twin/twinRegistry';
import type { TelemetrySink } from '../store/historian';
import type { RejectedLog } from '../store/rejectedLog';
import { Deduplicator, NEW_MESSAGE, type DedupeVerdict } from './dedupe';
import { LoadShedder, type ShedderOptions } from './loadShedder';

export interface IngestEvents {
  telemetry: [TelemetryPoint];
  rejected: [RejectedMessage];
  waveform: [{ deviceId: string; ts: number; payload: WaveformPayload }];
  ack: [{ deviceId: string; payload: AckPayload; source: TwinSource }];
  log: [{ deviceId: string | null; payload: LogPayload }];
}

export interface IngestOptions extends ShedderOptions {
  /** Per reading, the physically plausible range over the defaults (see shared/plausibility.ts). */
  plausibility?: PlausibleRanges;
}

export interface IngestCounters {
  received: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  missed: number;
  /** Dropped unread because their device sent faster than its share (see LoadShedder). */
  shed: number;
}

/**
 * Every transport (MQTT, serial, simulator) hands raw messages here: decode and validate, drop
 * duplicates, update the twin, queue the row for the database. Nothing here throws on bad input.
 */
export class IngestPipeline extends EventEmitter<IngestEvents> {
  readonly dedupe = new Deduplicator();
  readonly counters: IngestCounters = { received: 0, accepted: 0, rejected: 0, duplicates: 0, missed: 0, shed: 0 };
  readonly shedder: LoadShedder;
  private readonly plausible: Record<ReadingName, PlausibleRange>;
  /** The same ranges by reading name; a field of a message that is no reading has none. */
  private readonly rangeOf: ReadonlyMap<string, PlausibleRange>;
  private readonly shedNotified = new Map<string, number>();
  /** Per device, messages shed since its last stored reading: gaps of our own making, not missed in transit. */
  private readonly shedSinceReading = new Map<string, number>();

  constructor(
    private readonly twins: TwinRegistry,
    private readonly writer: Pick<TelemetrySink, 'enqueue'>,
    private readonly rejects: RejectedLog,
    options: IngestOptions = {},
  ) {
    super();
    this.shedder = new LoadShedder(options);
    this.plausible = plausibleRanges(options.plausibility);
    this.rangeOf = new Map(READING_NAMES.map((name) => [name, this.plausible[name]]));
  }

  /**
   * Whether a device's message may go on; a message over the device's rate is dropped here, before it
   * is decoded, and counted on the engine and on the device's twin.
   */
  admit(deviceId: string, now = Date.now()): boolean {
    if (this.shedder.admit(deviceId, now)) return true;
    this.counters.shed++;
    this.shedSinceReading.set(deviceId, (this.shedSinceReading.get(deviceId) ?? 0) + 1);
    const twin = this.twins.get(deviceId);
    if (twin) {
      twin.counts.shed++;
      // The UI hears of a flooding twin's count about once a second, not once per dropped message.
      if (now - (this.shedNotified.get(deviceId) ?? 0) >= 1000) {
        this.shedNotified.set(deviceId, now);
        this.twins.emit('changed', twin);
      }
    }
    return false;
  }

  /** A raw message from a transport; `deviceId` is the one the topic or port names. */
  ingest(kind: MessageKind, raw: string | Uint8Array, deviceId: string, source: TwinSource, where: string): void {
    this.counters.received++;
    // Before shedding too: a stream of made-up ids must not get a rate bucket each.
    const idProblem = deviceIdProblem(deviceId);
    if (idProblem) {
      this.reject(null, source, where, `device_id: the topic's ${idProblem}`, raw);
      return;
    }
    if (!this.admit(deviceId)) return;
    // One clock reading for the message: a reading without its own timestamp is stored with ts = received_at,
    // which is how a restart tells it from one the board stamped (see Engine.rememberRecentKeys).
    const now = Date.now();
    let decoded;
    try {
      decoded = decodeDeviceMessage(kind, raw, deviceId, now);
    } catch (e) {
      decoded = { ok: false as const, reason: `type: could not decode: ${(e as Error).message}` };
    }
    if (!decoded.ok) {
      this.reject(deviceId, source, where, decoded.reason, raw);
      return;
    }
    this.accept(decoded.value, deviceId, source, where, raw, now);
  }

  /**
   * A decoded message (a serial line carries its kind inside). A physically impossible reading rejects the
   * whole message, as a reading of the wrong type does: the board is broken or lying, so its other readings
   * are not trusted either.
   */
  accept(msg: DeviceMessage, deviceId: string, source: TwinSource, where: string = source, raw?: string | Uint8Array, now = Date.now()): void {
    switch (msg.kind) {
      case 'telemetry': {
        const p = msg.payload;
        // One pass over the message's own fields, not a look-up of every reading name: this runs for every message,
        // and looking up the names a message lacks was most of its cost. One look-up per field tells a reading
        // and gives its range.
        const values: ReadingMap = {};
        let plausible = true;
        for (const key in p) {
          const range = this.rangeOf.get(key);
          if (range === undefined) continue;
          const v = p[key as ReadingName];
          if (v === undefined) continue;
          values[key as ReadingName] = v;
          if (v !== null && (v < range.min || v > range.max)) plausible = false;
        }
        if (!plausible) {
          this.reject(deviceId, source, where, `range: ${implausibleReading(p, this.plausible)}`, raw ?? JSON.stringify(p));
          return;
        }
        const deviceTs = p.timestamp !== undefined && !msg.tsSuspect ? msg.ts : undefined;
        this.store(deviceId, msg.ts, msg.tsSuspect, values, p.seq ?? null, this.dedupe.check(deviceId, p.seq, deviceTs, p.uptime_s), source, now);
        return;
      }
      case 'status':
        this.twins.applyStatus(deviceId, msg.payload, source, now);
        return;
      case 'waveform':
        this.emit('waveform', { deviceId, ts: msg.ts, payload: msg.payload });
        return;
      case 'ack':
        this.emit('ack', { deviceId, payload: msg.payload, source });
        return;
      case 'log':
        this.emit('log', { deviceId, payload: msg.payload });
        return;
    }
  }

  /**
   * Readings a source has already read into numbers, host-stamped and without seq (Sparkplug: its own seq tells
   * gaps, and two messages stamped in one millisecond are not one message redelivered): the telemetry path
   * without a payload object to walk, and no duplicate check (without seq or device time there is nothing to match).
   * Plausibility holds as for any message; Rejected shows `raw` when it fails, else the readings as JSON.
   */
  acceptReadings(deviceId: string, ts: number, tsSuspect: boolean, values: ReadingMap, source: TwinSource, where: string, raw?: string | Uint8Array, now = Date.now()): void {
    for (const key in values) {
      const v = values[key as ReadingName];
      const range = this.plausible[key as ReadingName];
      if (v !== null && v !== undefined && (v < range.min || v > range.max)) {
        this.reject(deviceId, source, where, `range: ${implausibleReading(values, this.plausible)}`, raw ?? JSON.stringify({ device_id: deviceId, ...values }));
        return;
      }
    }
    this.store(deviceId, ts, tsSuspect, values, null, NEW_MESSAGE, source, now);
  }

  /** A plausible telemetry message: onto its twin, queued for the database, and out to listeners. */
  private store(deviceId: string, ts: number, tsSuspect: boolean, values: ReadingMap, seq: number | null, verdict: DedupeVerdict, source: TwinSource, now: number): void {
    const twin = this.twins.ensure(deviceId, source);
    twin.counts.received++;
    if (verdict.duplicate) {
      this.counters.duplicates++;
      twin.counts.duplicates++;
      return;
    }
    this.counters.accepted++;
    let missed = verdict.missed;
    if (this.shedSinceReading.size) {
      const shed = this.shedSinceReading.get(deviceId);
      if (shed !== undefined) {
        this.shedSinceReading.delete(deviceId);
        missed = Math.max(0, missed - shed);
      }
    }
    this.counters.missed += missed;
    twin.counts.missed += missed;
    this.twins.applyTelemetryTo(twin, ts, values, now);
    this.writer.enqueue({ deviceId, ts, receivedAt: now, seq, tsSuspect, source, values });
    this.emit('telemetry', { id: deviceId, ts, values });
  }

  reject(deviceId: string | null, source: TwinSource, where: string, reason: string, raw: string | Uint8Array): void {
    this.counters.rejected++;
    if (deviceId) {
      const twin = this.twins.get(deviceId);
      if (twin) {
        twin.counts.rejected++;
        this.twins.emit('changed', twin);
      }
    }
    const entry = this.rejects.add({ ts: Date.now(), deviceId, source, topic: where, reason, payload: raw });
    this.emit('rejected', entry);
  }
}
