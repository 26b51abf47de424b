import { EventEmitter } from 'node:events';
import { READING_NAMES, type ReadingName } from '../../shared/readings';
import {
  DEFAULT_LIMITS,
  nameplateSchema,
  type ConnectionState,
  type DeclaredReading,
  type Limits,
  type ReadingMap,
  type StatusReason,
  type TwinAttributesPatch,
  type TwinCounts,
  type TwinSnapshot,
  type TwinSource,
} from '../../shared/twin';
import { deviceIdProblem, type StatusPayload } from '../../shared/protocol/schemas';
import { limitsEvaluator, statusFrom, type TwinEvaluator } from './status';
import { DomainError } from '../platform/domainError';

export interface TwinState {
  id: string;
  name: string;
  source: TwinSource;
  simulated: boolean;
  nameplate: TwinSnapshot['nameplate'];
  limits: Limits;
  device: TwinSnapshot['device'];
  readings: TwinSnapshot['readings'];
  /** Readings a source declares beyond the twin's list (see shared/twin.ts). */
  declared: Record<string, DeclaredReading>;
  lastSeen: number | null;
  /** What the device itself said in its status message (retained or last will). */
  reportedState: 'online' | 'offline' | null;
  connection: ConnectionState;
  statusReasons: StatusReason[];
  counts: TwinCounts;
  /** Median-ish spacing of recent messages, for judging staleness. */
  intervalMs: number;
}

export interface TwinRegistryEvents {
  changed: [TwinState];
  created: [TwinState];
  removed: [string];
  attributes: [TwinState];
}

const MIN_STALE_MS = 5_000;
const OFFLINE_AFTER_MS = 5 * 60_000;

/** One twin per motor: attributes, reported state, connection and status. */
export class TwinRegistry extends EventEmitter<TwinRegistryEvents> {
  private readonly twins = new Map<string, TwinState>();
  private readonly evaluators: TwinEvaluator[] = [limitsEvaluator];

  addEvaluator(e: TwinEvaluator): void {
    this.evaluators.push(e);
  }

  get size(): number {
    return this.twins.size;
  }

  get(id: string): TwinState | undefined {
    return this.twins.get(id);
  }

  /** The twin, or a not_found error naming the motor. */
  require(id: string): TwinState {
    const t = this.twins.get(id);
    if (!t) throw new DomainError('not_found', `no motor "${id}"`);
    return t;
  }

  all(): TwinState[] {
    return [...this.twins.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  /**
   * The twin for a device, created on first contact. Ingest checks ids first; this refuses a bad one too, as
   * the last door before an id reaches the store, the UI and command topics.
   */
  ensure(id: string, source: TwinSource, simulated = false): TwinState {
    let t = this.twins.get(id);
    if (!t) {
      refuseBadId(id);
      t = {
        id,
        name: id,
        source,
        simulated,
        nameplate: nameplateSchema.parse({}),
        limits: structuredClone(DEFAULT_LIMITS),
        device: { fw: null, board: null, calibrationId: null },
        readings: {},
        declared: {},
        lastSeen: null,
        reportedState: null,
        connection: 'unknown',
        statusReasons: [],
        counts: { received: 0, stored: 0, rejected: 0, duplicates: 0, missed: 0, shed: 0 },
        intervalMs: 1000,
      };
      this.twins.set(id, t);
      this.emit('created', t);
    } else if (simulated && !t.simulated) {
      t.simulated = true;
      t.source = 'sim';
      this.emit('attributes', t);
    }
    return t;
  }

  restore(t: Omit<TwinState, 'nameplate' | 'readings' | 'declared' | 'lastSeen' | 'reportedState' | 'connection' | 'statusReasons' | 'counts' | 'intervalMs'> & { nameplate: Partial<TwinState['nameplate']> }, latest?: { ts: number; values: ReadingMap }): void {
    refuseBadId(t.id);
    const state: TwinState = {
      ...t,
      nameplate: nameplateSchema.parse(t.nameplate ?? {}),
      readings: {},
      declared: {},
      lastSeen: null,
      reportedState: null,
      connection: 'unknown',
      statusReasons: [],
      counts: { received: 0, stored: 0, rejected: 0, duplicates: 0, missed: 0, shed: 0 },
      intervalMs: 1000,
    };
    if (latest) {
      for (const name of READING_NAMES) {
        const v = latest.values[name];
        if (v !== undefined) state.readings[name] = { value: v, ts: latest.ts };
      }
      state.lastSeen = latest.ts;
      this.evaluate(state, latest.ts);
    }
    this.twins.set(t.id, state);
  }

  applyTelemetry(id: string, ts: number, values: ReadingMap, source: TwinSource, receivedAt: number): TwinState {
    return this.applyTelemetryTo(this.ensure(id, source), ts, values, receivedAt);
  }

  /** As applyTelemetry, on a twin the caller already holds (ingest has just ensured it). */
  applyTelemetryTo(t: TwinState, ts: number, values: ReadingMap, receivedAt: number): TwinState {
    const connection = t.connection;
    const reasons = t.statusReasons;
    // Only the readings the message has (ingest builds `values` from the reading names alone).
    for (const name in values) {
      const v = values[name as ReadingName];
      if (v !== undefined) t.readings[name as ReadingName] = { value: v, ts };
    }
    heard(t, receivedAt);
    this.evaluate(t, ts);
    // The UI hears of a reading through the telemetry event; of the twin only when its state or reasons changed.
    if (t.connection !== connection || t.statusReasons.length !== reasons.length || statusFrom(t.statusReasons, true) !== statusFrom(reasons, true)) this.emit('changed', t);
    return t;
  }

  /** Declared readings (already checked by their source) and the contact they prove; the UI hears at once. */
  applyDeclared(id: string, values: Record<string, DeclaredReading>, source: TwinSource, receivedAt: number): TwinState {
    const t = this.ensure(id, source);
    Object.assign(t.declared, values);
    heard(t, receivedAt);
    this.emit('changed', t);
    return t;
  }

  applyStatus(id: string, status: StatusPayload, source: TwinSource, receivedAt: number): TwinState {
    const t = this.ensure(id, source);
    t.reportedState = status.state;
    if (status.fw !== undefined) t.device.fw = status.fw;
    if (status.board !== undefined) t.device.board = status.board;
    if (status.calibration_id !== undefined) t.device.calibrationId = status.calibration_id;
    if (status.time_scale !== undefined) t.device.timeScale = status.time_scale;
    t.connection = status.state === 'offline' ? 'offline' : 'online';
    if (status.state === 'online') t.lastSeen = Math.max(t.lastSeen ?? 0, receivedAt);
    this.emit('changed', t);
    return t;
  }

  update(patch: TwinAttributesPatch): TwinState {
    const t = this.require(patch.id);
    if (patch.name !== undefined) t.name = patch.name;
    if (patch.nameplate) t.nameplate = nameplateSchema.parse({ ...t.nameplate, ...patch.nameplate });
    if (patch.limits) t.limits = { ...t.limits, ...patch.limits };
    this.evaluate(t, latestReadingTs(t));
    this.emit('attributes', t);
    return t;
  }

  /** Judges a twin again without a new reading (an alarm was acknowledged, shelved or cleared elsewhere). */
  reevaluate(id: string): void {
    const t = this.twins.get(id);
    if (!t) return;
    this.evaluate(t, latestReadingTs(t));
    this.emit('changed', t);
  }

  remove(id: string): boolean {
    const ok = this.twins.delete(id);
    if (ok) this.emit('removed', id);
    return ok;
  }

  /** Whether any twin is heard from (not offline), so its connection must be swept. */
  anyConnected(): boolean {
    for (const t of this.twins.values()) if (t.reportedState !== 'offline' && t.lastSeen !== null && t.connection !== 'offline') return true;
    return false;
  }

  /** Moves twins that went quiet to stale, then offline; called about once a second. */
  sweepConnections(now: number): void {
    for (const t of this.twins.values()) {
      if (t.reportedState === 'offline' || t.lastSeen === null) continue;
      const staleAfter = Math.max(MIN_STALE_MS, t.intervalMs * 5);
      const quiet = now - t.lastSeen;
      const next: ConnectionState = quiet > OFFLINE_AFTER_MS ? 'offline' : quiet > staleAfter ? 'stale' : 'online';
      if (next !== t.connection) {
        t.connection = next;
        this.emit('changed', t);
      }
    }
  }

  snapshot(t: TwinState): TwinSnapshot {
    return {
      id: t.id,
      name: t.name,
      source: t.source,
      simulated: t.simulated,
      connection: t.connection,
      lastSeen: t.lastSeen,
      status: statusFrom(t.statusReasons, Object.keys(t.readings).length > 0),
      statusReasons: t.statusReasons,
      readings: { ...t.readings },
      declared: { ...t.declared },
      device: { ...t.device },
      nameplate: { ...t.nameplate },
      limits: structuredClone(t.limits),
      counts: { ...t.counts },
    };
  }

  private evaluate(t: TwinState, ts: number): void {
    const readings: Partial<Record<ReadingName, number | null>> = {};
    const own = t.readings;
    // for-in, not Object.entries: this runs for every message and the entries array was most of its cost.
    for (const k in own) {
      const r = own[k as ReadingName];
      readings[k as ReadingName] = r === undefined ? null : r.value;
    }
    // Runs for every reading: one input for all evaluators, no flatMap (it costs more than a cheap evaluator).
    const input = { id: t.id, readings, limits: t.limits, ts };
    const evaluators = this.evaluators;
    // The limits alone (no health service): their fresh array is the twin's reasons as it is.
    if (evaluators.length === 1) {
      t.statusReasons = evaluators[0].evaluate(input);
      return;
    }
    const reasons: StatusReason[] = [];
    for (let i = 0; i < evaluators.length; i++) {
      const found = evaluators[i].evaluate(input);
      for (let j = 0; j < found.length; j++) reasons.push(found[j]);
    }
    t.statusReasons = reasons;
  }
}

/** A message from the device: it is online, and its spacing tells when it goes quiet. */
function heard(t: TwinState, receivedAt: number): void {
  if (t.lastSeen !== null && receivedAt > t.lastSeen) {
    t.intervalMs = t.intervalMs * 0.9 + Math.min(receivedAt - t.lastSeen, 60_000) * 0.1;
  }
  t.lastSeen = Math.max(t.lastSeen ?? 0, receivedAt);
  t.reportedState = t.reportedState === 'offline' ? 'online' : t.reportedState;
  t.connection = 'online';
}

function refuseBadId(id: string): void {
  const problem = deviceIdProblem(id);
  if (problem) throw new Error(`no twin for ${problem}`);
}

/** Re-judging old readings must not look like a new reading to evaluators that keep time (rules). */
function latestReadingTs(t: TwinState): number {
  let ts = 0;
  for (const r of Object.values(t.readings)) if (r && r.ts > ts) ts = r.ts;
  return ts;
}
