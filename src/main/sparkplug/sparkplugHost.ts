import type { ReadingName } from '../../shared/readings';
import type { ReadingMap } from '../../shared/twin';
import { ABSURD_FUTURE_MS, EARLIEST_PLAUSIBLE_MS, MAX_PAYLOAD_BYTES, SUSPECT_FUTURE_MS, SUSPECT_PAST_MS } from '../../shared/protocol/limits';
import type { SparkplugDevice, SparkplugMapping } from '../../shared/sparkplugContract';
import type { IngestPipeline } from '../ingest/pipeline';
import type { TopicRoute } from '../ingest/mqttIngest';
import type { TwinRegistry } from '../twin/twinRegistry';
import type * as codecModule from './codec';
import { SparkplugHostState, metricValue, type DeviceSession, type MetricDef, type SparkplugSink } from './hostState';
import type { SparkplugMappings } from './mappingStore';
import { displayNameFor, readingFor, twinIdFor } from './naming';
import { SPARKPLUG_SUBSCRIPTION, isSparkplugTopic, nodeCommandTopic, parseSparkplugTopic, type SparkplugTopic } from './topic';
import type { Log } from '../platform/log';

/** What the host uses of codec.ts (Tahu's library and protobufjs). */
export type SparkplugCodec = Pick<typeof codecModule, 'decodeSparkplugData' | 'decodeSparkplugPayload' | 'rebirthRequest'>;

export interface SparkplugHostDeps {
  pipeline: IngestPipeline;
  /**
   * Loads the codec, at the first Sparkplug message: about 1 MB of heap and 75 ms of start that an engine with no
   * Sparkplug node on its brokers never needs.
   */
  codec: () => Promise<SparkplugCodec>;
  twins: TwinRegistry;
  mappings: SparkplugMappings;
  /** Publishes to the broker the engine listens to (QoS 0, as Sparkplug commands are). */
  publish(topic: string, payload: Uint8Array): Promise<void>;
  rebirthIntervalMs?: number;
  log?: Log;
}

/** Sparkplug nodes and devices remembered at most; beyond, new names are refused (a flood of made-up ids). */
const MAX_SESSIONS = 10_000;

/**
 * MotorTwin as a Sparkplug B host application: reads births, data and deaths off the broker into twins,
 * through the same ingest pipeline as JSON telemetry (plausibility, storage, rules), and asks edge nodes to
 * rebirth when it lost track of them.
 */
export class SparkplugHost implements SparkplugSink {
  readonly state: SparkplugHostState;
  readonly route: TopicRoute = { subscription: SPARKPLUG_SUBSCRIPTION, matches: isSparkplugTopic, handle: (topic, payload) => this.handle(topic, payload) };
  /** The message in hand, for reasons under Rejected. */
  private topic = '';
  private raw: Uint8Array = new Uint8Array();
  private now = 0;
  /**
   * Per device key, the reading each metric of its birth feeds (null: not stored), by the metric's index: worked out
   * once per birth, not by name per metric; dropped when the device is born again or the user edits its mapping.
   */
  private readonly readingsByKey = new Map<string, Array<ReadingName | null>>();
  private readonly twinIds = new Map<string, string>();
  private readonly followed = new Map<string, SparkplugTopic>();
  private sessions = 0;
  private codec: SparkplugCodec | null = null;
  /** Messages heard while the codec loads, in the order they came (null while none is loading). */
  private waiting: Array<[topic: string, payload: Uint8Array, now: number]> | null = null;
  private loading: Promise<void> = Promise.resolve();

  constructor(private readonly deps: SparkplugHostDeps) {
    this.state = new SparkplugHostState(this, deps.rebirthIntervalMs);
  }

  /** Loads the users' mappings; one that no longer passes the rules is dropped with its reason in the log. */
  async load(): Promise<void> {
    const { skipped } = await this.deps.mappings.load();
    for (const s of skipped) this.deps.log?.warn({ mapping: s.key }, `mapping of ${s.key} not loaded, the default applies: ${s.reason}`);
  }

  handle(topic: string, payload: Uint8Array, now = Date.now()): void {
    const codec = this.codec;
    if (!codec) return this.waitForCodec(topic, payload, now);
    // Topics repeat with every message: each is read once (and counted against MAX_SESSIONS once).
    let t = this.followed.get(topic);
    if (!t) {
      const parsed = parseSparkplugTopic(topic);
      if (parsed.ok === 'ignore') return;
      this.deps.pipeline.counters.received++;
      this.setMessage(topic, payload, now);
      if (!parsed.ok) return this.rejectAs(null, parsed.reason);
      t = parsed.value;
      if (!this.mayFollow(t)) return this.rejectAs(null, `sparkplug: more than ${MAX_SESSIONS} nodes and devices; ${t.key} not followed`);
      this.followed.set(topic, t);
    } else {
      this.deps.pipeline.counters.received++;
      this.setMessage(topic, payload, now);
    }
    if (payload.byteLength > MAX_PAYLOAD_BYTES) return this.rejectAs(this.twinIdOfKey(t.key, t.node, t.device), `size: payload of ${payload.byteLength} bytes exceeds the ${MAX_PAYLOAD_BYTES}-byte limit`);
    let p;
    try {
      p = t.type === 'DDATA' || t.type === 'NDATA' ? codec.decodeSparkplugData(payload) : codec.decodeSparkplugPayload(payload);
    } catch (e) {
      // Its seq stays unread: the node's next message shows the gap and brings a rebirth request.
      return this.rejectAs(this.twinIdOfKey(t.key, t.node, t.device), `sparkplug: not a Sparkplug B payload (${(e as Error).message})`);
    }
    this.state.handle(t, p, now);
  }

  /** Resolves once the messages that waited for the codec have been handled (or refused, if it did not load). */
  settled(): Promise<void> {
    return this.loading;
  }

  private waitForCodec(topic: string, payload: Uint8Array, now: number): void {
    if (this.waiting) {
      this.waiting.push([topic, payload, now]);
      return;
    }
    const waiting: Array<[string, Uint8Array, number]> = (this.waiting = [[topic, payload, now]]);
    this.loading = this.deps.codec().then(
      (codec) => {
        this.codec = codec;
        this.waiting = null;
        for (const [t, p, n] of waiting) this.handle(t, p, n);
      },
      (e: Error) => {
        // Each message is refused with the reason; the next one tries to load the codec again.
        this.deps.log?.error({ err: e }, `the Sparkplug codec did not load: ${e.message}`);
        this.waiting = null;
        for (const [t, p, n] of waiting) {
          this.deps.pipeline.counters.received++;
          this.setMessage(t, p, n);
          this.rejectAs(null, `sparkplug: the Sparkplug B codec did not load (${e.message})`);
        }
      },
    );
  }

  metrics(d: DeviceSession, ts: number | null, metrics: MetricDef[]): void {
    const readings = this.readingsOf(d);
    let values: ReadingMap | null = null;
    for (let i = 0; i < metrics.length; i++) {
      const def = metrics[i];
      const reading = readings[def.index];
      if (reading === null) continue;
      const v = readingValue(metricValue(def));
      if (v === undefined) continue;
      if (v !== null && !Number.isFinite(v)) return this.reject(d, `sparkplug: metric ${JSON.stringify(def.name.slice(0, 80))} is ${v}, not a reading`);
      (values ??= {})[reading] = v;
    }
    if (values === null) return;
    const id = this.twinIdOf(d);
    if (!this.deps.pipeline.admit(id, this.now)) return;
    const time = sparkplugTime(ts, this.now);
    if (typeof time === 'string') return this.reject(d, time);
    this.ensureTwin(d, id);
    this.deps.pipeline.acceptReadings(id, time.ts, time.suspect, values, 'mqtt', this.topic, undefined, this.now);
  }

  online(d: DeviceSession): void {
    // A birth may define other metrics than the last one did.
    this.readingsByKey.delete(d.key);
    const id = this.twinIdOf(d);
    // A node's own metrics make a twin only when they carry readings (a gateway's bdSeq alone does not).
    if (d.device === null && !this.deps.twins.get(id)) return;
    this.ensureTwin(d, id);
    this.deps.twins.applyStatus(id, { device_id: id, state: 'online', board: `Sparkplug B, group ${d.group}`.slice(0, 64) }, 'mqtt', this.now);
  }

  offline(d: DeviceSession): void {
    const id = this.twinIdOf(d);
    if (this.deps.twins.get(id)) this.deps.twins.applyStatus(id, { device_id: id, state: 'offline' }, 'mqtt', this.now);
  }

  reject(d: DeviceSession | null, reason: string): void {
    this.rejectAs(d ? this.twinIdOf(d) : null, reason);
  }

  rebirth(group: string, node: string, reason: string): void {
    const topic = nodeCommandTopic(group, node);
    this.deps.log?.info({ group, node }, `asking ${group}/${node} to rebirth: ${reason}`);
    // Asked for only after a message was decoded, so the codec is loaded; without it there is nothing to ask.
    if (!this.codec) return;
    this.deps.publish(topic, this.codec.rebirthRequest(Date.now())).catch((e: Error) => this.deps.log?.warn({ err: e, topic }, `rebirth request to ${topic} failed`));
  }

  /** Every node and device heard of since the engine started, for the UI. */
  list(): SparkplugDevice[] {
    const out: SparkplugDevice[] = [];
    for (const n of this.state.nodes.values()) {
      for (const d of [n.own, ...n.devices.values()]) out.push(this.describe(d, n.rebirths, n.lastRebirth));
    }
    return out;
  }

  async setMapping(key: string, mapping: SparkplugMapping): Promise<SparkplugDevice | null> {
    const found = this.find(key);
    if (!found) return null;
    await this.deps.mappings.set(key, mapping);
    this.readingsByKey.delete(key);
    this.twinIds.delete(key);
    return this.describe(found.d, found.rebirths, found.lastRebirth);
  }

  private find(key: string): { d: DeviceSession; rebirths: number; lastRebirth: string | null } | null {
    for (const n of this.state.nodes.values()) {
      for (const d of [n.own, ...n.devices.values()]) if (d.key === key) return { d, rebirths: n.rebirths, lastRebirth: n.lastRebirth };
    }
    return null;
  }

  private describe(d: DeviceSession, rebirths: number, lastRebirth: string | null): SparkplugDevice {
    const mapping = this.deps.mappings.get(d.key);
    return {
      key: d.key,
      group: d.group,
      node: d.node,
      device: d.device,
      twinId: this.twinIdOf(d),
      online: d.online,
      born: d.born,
      metrics: [...d.byName.values()].map((m) => ({ name: m.name, alias: m.alias, type: m.type, value: shown(metricValue(m)), ...readingFor(m.name, mapping) })),
      mapping: mapping ?? { twinId: null, readings: {} },
      rebirths,
      lastRebirth,
    };
  }

  private setMessage(topic: string, payload: Uint8Array, now: number): void {
    this.topic = topic;
    this.raw = payload;
    this.now = now;
  }

  /** Known nodes and devices always; new ones while fewer than MAX_SESSIONS are followed. */
  private mayFollow(t: SparkplugTopic): boolean {
    const n = this.state.nodes.get(t.nodeKey);
    if (n !== undefined && (t.device === null || n.devices.has(t.device))) return true;
    if (this.sessions >= MAX_SESSIONS) return false;
    this.sessions += n || t.device === null ? 1 : 2;
    return true;
  }

  private readingsOf(d: DeviceSession): Array<ReadingName | null> {
    let m = this.readingsByKey.get(d.key);
    if (!m) {
      const mapping = this.deps.mappings.get(d.key);
      m = [];
      for (const def of d.byName.values()) m[def.index] = readingFor(def.name, mapping).reading;
      this.readingsByKey.set(d.key, m);
    }
    return m;
  }

  private twinIdOf(d: DeviceSession): string {
    return this.twinIdOfKey(d.key, d.node, d.device);
  }

  private twinIdOfKey(key: string, node: string, device: string | null): string {
    let id = this.twinIds.get(key);
    if (id === undefined) {
      id = this.deps.mappings.get(key)?.twinId ?? twinIdFor(node, device);
      this.twinIds.set(key, id);
    }
    return id;
  }

  /** The twin of a Sparkplug device; a new one is named as Sparkplug names the device. */
  private ensureTwin(d: DeviceSession, id: string): void {
    if (this.deps.twins.get(id)) return;
    this.deps.twins.ensure(id, 'mqtt');
    this.deps.twins.update({ id, name: displayNameFor(d.node, d.device) });
  }

  private rejectAs(deviceId: string | null, reason: string): void {
    const raw = this.raw.subarray(0, 96);
    this.deps.pipeline.reject(deviceId, 'mqtt', this.topic, reason, `protobuf, ${this.raw.byteLength} bytes: ${Buffer.from(raw).toString('hex')}${this.raw.byteLength > raw.byteLength ? '…' : ''}`);
  }
}

/** A metric's value as a reading: a number (64-bit integers as the nearest double), null, or undefined when it is no number. */
function readingValue(v: unknown): number | null | undefined {
  if (typeof v === 'number') return v;
  if (v === null) return null;
  if (typeof v === 'object' && v !== null && 'toNumber' in v) return (v as { toNumber(): number }).toNumber();
  return undefined;
}

function shown(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return `${v.byteLength} bytes`;
  if (typeof v === 'object' && !('toNumber' in v)) return '(structured value)';
  return String(v).slice(0, 80);
}

/** The Sparkplug timestamp (ms since 1970, UTC) judged as PROTOCOL.md judges a board's: absurd is refused, suspect flagged. */
function sparkplugTime(ts: number | null, now: number): { ts: number; suspect: boolean } | string {
  if (ts === null) return { ts: now, suspect: false };
  if (ts < EARLIEST_PLAUSIBLE_MS || ts > now + ABSURD_FUTURE_MS) return `timestamp: ${ts} is absurd (before 2000 or over a year ahead of this computer's clock)`;
  if (ts > now + SUSPECT_FUTURE_MS) return { ts: now, suspect: true };
  return { ts, suspect: ts < now - SUSPECT_PAST_MS };
}
