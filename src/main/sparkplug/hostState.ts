import type { UMetric, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import { dataValue, typeCode, wireAlias, wireName, wireType, type SparkplugData, type WireMetric } from './wire';
import { sparkplugKey, type SparkplugTopic } from './topic';

// What a Sparkplug host application must remember of each edge node (Sparkplug 3.0, chapters 5 and 6):
// its session (bdSeq), the sequence of its messages (seq, 0-255 and round again), and per node and device the
// metrics its birth certificate defined, so data messages that carry only aliases can be read.

export interface MetricDef {
  name: string;
  alias: number | null;
  type: string;
  /** The type's datatype code, 0 for a structured one (see codec.ts typeCode). */
  code: number;
  /** Its place in the birth certificate: sinks keep what they derive per metric in arrays by it. */
  index: number;
  /** The metric's last value (undefined before any) once read; metricValue(def) reads it. */
  last: unknown;
  /**
   * The last value as it came off the wire, read only when asked (metricValue): most of a drive's metrics feed no
   * reading, and their values are wanted only when someone looks at the device.
   */
  wire: WireMetric | null;
  /** The datatype code `wire` is read by (its own, else the birth's). */
  wireCode: number;
}

/** A metric's last value: what the message that brought it carried, read by its type. */
export function metricValue(def: MetricDef): unknown {
  if (def.wire !== null) {
    def.last = dataValue(def.wireCode, def.wire);
    def.wire = null;
  }
  return def.last;
}

/** A Sparkplug device, or the metrics of the edge node itself (device null). */
export interface DeviceSession {
  key: string;
  group: string;
  node: string;
  device: string | null;
  born: boolean;
  online: boolean;
  byAlias: Map<number, MetricDef>;
  byName: Map<string, MetricDef>;
}

export interface NodeSession {
  group: string;
  node: string;
  born: boolean;
  bdSeq: number | null;
  seq: number;
  own: DeviceSession;
  devices: Map<string, DeviceSession>;
  rebirths: number;
  lastRebirth: string | null;
  lastRebirthAt: number;
}

/** Where the host's conclusions go: readings, presence, rejections with reasons, rebirth requests. */
export interface SparkplugSink {
  /** The metrics a message carried, each with the value it brought (metricValue); the array is only the call's to read. */
  metrics(d: DeviceSession, ts: number | null, metrics: MetricDef[]): void;
  online(d: DeviceSession): void;
  offline(d: DeviceSession): void;
  reject(d: DeviceSession | null, reason: string): void;
  rebirth(group: string, node: string, reason: string): void;
}

/** Rebirth requests to one edge node at most this often: a node that keeps failing must not be flooded. */
export const REBIRTH_INTERVAL_MS = 5_000;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : typeof v === 'number' ? v : typeof v === 'object' && 'toNumber' in v ? (v as { toNumber(): number }).toNumber() : null);

export class SparkplugHostState {
  readonly nodes = new Map<string, NodeSession>();
  /** The known metrics of the data message in hand, reused: one array per message was a good part of the garbage. */
  private readonly known: MetricDef[] = [];

  constructor(
    private readonly sink: SparkplugSink,
    private readonly rebirthIntervalMs = REBIRTH_INTERVAL_MS,
  ) {}

  handle(t: SparkplugTopic, p: UPayload | SparkplugData, now: number): void {
    const node = this.nodeFor(t);
    const ts = num(p.timestamp);
    const seq = num(p.seq);
    // Births and deaths come decoded by the library (the host reads only data messages from the wire).
    if (t.type === 'NBIRTH') return this.nodeBirth(node, p as UPayload, seq, ts);
    if (t.type === 'NDEATH') return this.nodeDeath(node, p as UPayload);
    const d = t.device === null ? node.own : this.deviceFor(node, t.device);
    if (!node.born) {
      this.sink.reject(d, `sparkplug: ${t.type} before the node's NBIRTH; rebirth requested`);
      return this.askRebirth(node, `${t.type} before NBIRTH`, now);
    }
    if (seq === null) return this.sink.reject(d, `sparkplug: ${t.type} has no seq`);
    const expected = (node.seq + 1) % 256;
    node.seq = seq;
    // Sparkplug data is QoS 0: a gap means messages were lost, and the metric values may be stale.
    if (seq !== expected) this.askRebirth(node, `seq gap: expected ${expected}, got ${seq}`, now);
    switch (t.type) {
      case 'DBIRTH':
        this.birth(d, p as UPayload, ts);
        return;
      case 'DDEATH':
        d.born = false;
        return this.goOffline(d);
      default:
        return this.data(node, d, t.type, p, ts, now);
    }
  }

  private nodeBirth(node: NodeSession, p: UPayload, seq: number | null, ts: number | null): void {
    if (seq === null) return this.sink.reject(node.own, 'sparkplug: NBIRTH has no seq');
    node.born = false;
    // A new node session: every device must send its DBIRTH again before its data can be read.
    for (const d of node.devices.values()) d.born = false;
    if (!this.birth(node.own, p, ts)) return;
    node.born = true;
    node.seq = seq;
    node.bdSeq = num(p.metrics?.find((m) => m.name === 'bdSeq')?.value);
  }

  private nodeDeath(node: NodeSession, p: UPayload): void {
    const bdSeq = num(p.metrics?.find((m) => m.name === 'bdSeq')?.value);
    // A will left by an earlier connection can arrive after the node came back: only its own session's counts.
    if (node.bdSeq !== null && bdSeq !== null && bdSeq !== node.bdSeq) return;
    node.born = false;
    this.goOffline(node.own);
    for (const d of node.devices.values()) {
      d.born = false;
      this.goOffline(d);
    }
  }

  /** Reads a birth certificate into `d`; false (and the reason under Rejected) when it cannot define metrics. */
  private birth(d: DeviceSession, p: UPayload, ts: number | null): boolean {
    const defs = readBirth(p.metrics ?? []);
    if (typeof defs === 'string') {
      d.born = false;
      this.sink.reject(d, `sparkplug: ${d.device === null ? 'NBIRTH' : 'DBIRTH'} refused: ${defs}`);
      return false;
    }
    d.byAlias.clear();
    d.byName.clear();
    for (const [i, def] of defs.entries()) {
      d.byName.set(def.name, def);
      if (def.alias !== null) d.byAlias.set(def.alias, def);
      def.last = p.metrics?.[i].value;
      def.wire = null;
    }
    d.born = true;
    d.online = true;
    this.sink.online(d);
    if (defs.length) this.sink.metrics(d, ts, defs);
    return true;
  }

  private data(node: NodeSession, d: DeviceSession, type: string, p: UPayload | SparkplugData, ts: number | null, now: number): void {
    if (!d.born) {
      this.sink.reject(d, `sparkplug: ${type} before the device's DBIRTH; rebirth requested`);
      return this.askRebirth(node, `${type} before DBIRTH of ${d.device}`, now);
    }
    const known = this.known;
    known.length = 0;
    let unknown: string[] | null = null;
    if ('wire' in p) {
      // Off the wire, to be read when wanted: by the type the message states, else by the birth's.
      const wire = p.wire;
      for (let i = 0; i < wire.length; i++) {
        const m = wire[i];
        const alias = wireAlias(m);
        const name = alias === null ? wireName(m) : null;
        const def = alias !== null ? d.byAlias.get(alias) : name ? d.byName.get(name) : undefined;
        if (!def) (unknown ??= []).push(unknownMetric(alias, name));
        else {
          def.wire = m;
          def.wireCode = wireType(m) || def.code;
          known.push(def);
        }
      }
    } else {
      for (const m of p.metrics ?? []) {
        const alias = num(m.alias);
        const def = alias !== null ? d.byAlias.get(alias) : m.name ? d.byName.get(m.name) : undefined;
        if (!def) (unknown ??= []).push(unknownMetric(alias, m.name ?? null));
        else {
          def.last = m.value;
          def.wire = null;
          known.push(def);
        }
      }
    }
    if (unknown) {
      const birth = d.device === null ? 'NBIRTH' : 'DBIRTH';
      this.sink.reject(d, `sparkplug: ${type} metric ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''} not in the ${birth}; rebirth requested`);
      this.askRebirth(node, `unknown metric in ${type}`, now);
    }
    if (known.length) this.sink.metrics(d, ts, known);
  }

  private goOffline(d: DeviceSession): void {
    if (!d.online) return;
    d.online = false;
    this.sink.offline(d);
  }

  private askRebirth(node: NodeSession, reason: string, now: number): void {
    if (now - node.lastRebirthAt < this.rebirthIntervalMs) return;
    node.lastRebirthAt = now;
    node.rebirths++;
    node.lastRebirth = reason;
    this.sink.rebirth(node.group, node.node, reason);
  }

  private nodeFor(t: SparkplugTopic): NodeSession {
    let n = this.nodes.get(t.nodeKey);
    if (!n) {
      n = { group: t.group, node: t.node, born: false, bdSeq: null, seq: 0, own: newDevice(t.group, t.node, null), devices: new Map(), rebirths: 0, lastRebirth: null, lastRebirthAt: -Infinity };
      this.nodes.set(t.nodeKey, n);
    }
    return n;
  }

  private deviceFor(node: NodeSession, device: string): DeviceSession {
    let d = node.devices.get(device);
    if (!d) node.devices.set(device, (d = newDevice(node.group, node.node, device)));
    return d;
  }
}

function newDevice(group: string, node: string, device: string | null): DeviceSession {
  return { key: sparkplugKey(group, node, device), group, node, device, born: false, online: false, byAlias: new Map(), byName: new Map() };
}

const unknownMetric = (alias: number | null, name: string | null) => (alias !== null ? `alias ${alias}` : `name ${JSON.stringify(String(name ?? '').slice(0, 80))}`);

/** The metric definitions of a birth certificate, or why it defines none: every name once, every alias once. */
export function readBirth(metrics: UMetric[]): MetricDef[] | string {
  const defs: MetricDef[] = [];
  const names = new Set<string>();
  const aliases = new Map<number, string>();
  for (const [i, m] of metrics.entries()) {
    if (!m.name) return `metric #${i + 1} has no name`;
    if (names.has(m.name)) return `duplicate metric name ${JSON.stringify(m.name.slice(0, 80))}`;
    names.add(m.name);
    const alias = num(m.alias);
    if (alias !== null) {
      const other = aliases.get(alias);
      if (other !== undefined) return `alias ${alias} given to both ${JSON.stringify(other.slice(0, 80))} and ${JSON.stringify(m.name.slice(0, 80))}`;
      aliases.set(alias, m.name);
    }
    defs.push({ name: m.name, alias, type: String(m.type), code: typeCode(String(m.type)), index: i, last: undefined, wire: null, wireCode: 0 });
  }
  return defs;
}
