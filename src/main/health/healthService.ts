import { EventEmitter } from 'node:events';
import type { Alarm, AlarmTransition, HealthSnapshot, RemainingLifeView, Rule, Severity, WaveformAnalysis, WaveformDetail } from '../../shared/healthContract';
import { SEVERITIES } from '../../shared/healthContract';
import type { WaveformPayload } from '../../shared/protocol/schemas';
import type { Nameplate, ReadingMap, StatusReason } from '../../shared/twin';
import type { MotorDatabase } from '../store/database';
import type { TwinEvaluator } from '../twin/status';
import type { TwinRegistry } from '../twin/twinRegistry';
import { AlarmBook } from './alarms';
import { ALARM_SEVERITY, diagnosisFinding, isoZone, statusReasons } from './assessment';
import { HealthStore, type AlarmRecords } from './healthStore';
import { settingsFrom } from './liveAnomaly';
import { MotorHealth } from './motorHealth';
import { defaultRules, resolveRules } from './ruleDefaults';
import type { RuleVerdict } from './rules';
import { analyseBlock } from './waveformAnalysis';
import { remainingLifeOf } from './remainingLifeView';
import type { Historian } from '../store/historian';
import { DomainError } from '../platform/domainError';
import { PacedFlush } from '../platform/pacedFlush';

// The health part of the engine, plugged into the twins' evaluator seam: every reading steps the motor's
// rules and anomaly detector, alarms follow the rules, the health index is recomputed about once a second,
// and the active alarms become the twin's status reasons. Waveform blocks are analysed on arrival.

export interface HealthServiceEvents {
  alarm: [{ alarm: Alarm; transition: AlarmTransition }];
  health: [HealthSnapshot];
  waveformAnalysis: [WaveformAnalysis];
}

const HEALTH_EVERY_MS = 1000;
const SAMPLE_EVERY_MS = 10_000;
const RULE_STATE_EVERY_MS = 5000;
const WAVEFORM_MIN_GAP_MS = 1000;
const severityRank = (s: Severity) => SEVERITIES.indexOf(s);

export class HealthService extends EventEmitter<HealthServiceEvents> implements TwinEvaluator {
  readonly name = 'health';
  readonly alarms = new AlarmBook();
  readonly store: HealthStore;
  private readonly motors = new Map<string, MotorHealth>();
  private readonly ruleSets = { motor: new Map<string, Rule[]>(), model: new Map<string, Rule[]>() };
  private readonly details = new Map<string, WaveformDetail>();
  private stored = { ruleStates: new Map(), baselines: new Map(), snapshots: new Map(), analyses: new Map() } as {
    ruleStates: Awaited<ReturnType<HealthStore['ruleStates']>>;
    baselines: Awaited<ReturnType<HealthStore['baselines']>>;
    /** The last assessment and waveform analysis of each motor: what an engine without live data answers with. */
    snapshots: Awaited<ReturnType<HealthStore['latestSnapshots']>>;
    analyses: Awaited<ReturnType<HealthStore['latestAnalyses']>>;
  };
  /** Rule state is saved at most every RULE_STATE_EVERY_MS while motors are judged, with no clock while none are. */
  private readonly ruleStateSaver = new PacedFlush(RULE_STATE_EVERY_MS, () => this.saveRuleStates());
  private evaluating = false;
  skippedWaveforms = 0;

  constructor(
    db: MotorDatabase,
    private readonly twins: TwinRegistry,
    private readonly logError: (what: string, e: Error) => void = () => undefined,
    /** Alarms kept outside the DuckDB file (a plant server's PostgreSQL); null keeps them in it. */
    alarmRecords: AlarmRecords | null = null,
  ) {
    super();
    this.store = new HealthStore(db, logError, alarmRecords);
    this.alarms.on('change', (alarm, transition) => {
      this.store.saveAlarm(alarm, transition);
      const m = this.motors.get(alarm.motorId);
      if (m) m.reasons = null;
      // A change that came with a reading shows in that reading's evaluation; any other is applied now.
      if (!this.evaluating) this.refreshStatus(alarm.motorId);
      this.emit('alarm', { alarm, transition });
    });
    twins.on('attributes', (t) => this.motors.get(t.id) && this.resolve(this.motors.get(t.id)!));
  }

  /** Reads rules, rule state, alarms and baselines back; call before the twins are restored. */
  async load(): Promise<void> {
    for (const s of await this.store.ruleSets()) this.ruleSets[s.scope].set(s.key, s.rules);
    this.stored = { ruleStates: await this.store.ruleStates(), baselines: await this.store.baselines(), snapshots: await this.store.latestSnapshots(), analyses: await this.store.latestAnalyses() };
    this.alarms.load(await this.store.alarms(500));
  }

  start(): void {
    this.alarms.watchShelving();
  }

  async close(): Promise<void> {
    this.ruleStateSaver.close();
    this.alarms.stopWatching();
    this.saveRuleStates();
    await this.store.flush();
  }

  private motor(id: string): MotorHealth {
    let m = this.motors.get(id);
    if (!m) {
      m = new MotorHealth(id, this.stored.ruleStates.get(id), this.stored.baselines.get(id));
      const analysis = this.stored.analyses.get(id);
      if (analysis) m.waveform = { summary: analysis, receivedAt: analysis.ts };
      this.resolve(m);
      this.motors.set(id, m);
    }
    return m;
  }

  /** Works out a motor's rules again (nameplate or rule sets changed); alarms of rules that went away clear. */
  private resolve(m: MotorHealth): void {
    const twin = this.twins.get(m.id);
    if (!twin) return;
    const model = twin.nameplate.model;
    m.anomaly.configure(settingsFrom(twin.nameplate));
    m.rules = resolveRules(defaultRules(twin.nameplate), (model && this.ruleSets.model.get(model)) || [], this.ruleSets.motor.get(m.id) ?? []);
    const conditions = new Set(m.rules.filter((r) => r.enabled).map((r) => r.condition));
    for (const a of this.alarms.activeFor(m.id)) if (a.source === 'rule' && !conditions.has(a.condition)) this.alarms.clear(m.id, a.condition, Date.now(), `${a.condition}: its rule was removed or disabled`);
  }

  evaluate(input: { id: string; readings: ReadingMap; ts: number }): StatusReason[] {
    let m = this.motors.get(input.id);
    if (!m) {
      // While the registry restores a twin it is not registered yet: it is judged from its next reading.
      if (!this.twins.get(input.id)) return [];
      m = this.motor(input.id);
    }
    const now = Date.now();
    this.evaluating = true;
    try {
      if (m.step(input.readings, input.ts, now)) {
        this.ruleStateSaver.poke();
        this.applyVerdicts(m, m.changed, input.ts);
        if (m.flag) this.applyAnomalyFlag(m, m.flag, input.ts);
        this.applyStale(m, input.ts);
        if (now - m.lastHealthAt >= HEALTH_EVERY_MS) this.updateHealth(m, input.readings, now);
      }
    } finally {
      this.evaluating = false;
    }
    return (m.reasons ??= this.reasonsFor(m));
  }

  private applyVerdicts(m: MotorHealth, changed: RuleVerdict[], ts: number, book = this.alarms): void {
    if (!changed.length) return;
    // One alarm per condition: several rules may share one; it is active while any of them is.
    for (const condition of new Set(changed.map((v) => v.rule.condition))) {
      const active = m.rules.filter((r) => r.enabled && r.condition === condition && m.ruleState.rules[r.id]?.active);
      if (active.length) {
        const worst = active.reduce((a, b) => (severityRank(b.severity) < severityRank(a.severity) ? b : a));
        const message = changed.find((v) => v.rule.id === worst.id && v.active)?.message ?? book.openFor(m.id, condition)?.message ?? worst.name;
        m.conditionReading.set(condition, worst.clauses[0].signal);
        book.raise({ motorId: m.id, condition, severity: worst.severity, source: 'rule', message, ts });
      } else book.clear(m.id, condition, ts, changed.find((v) => v.rule.condition === condition)!.message);
    }
  }

  private applyAnomalyFlag(m: MotorHealth, flag: { raised: boolean; message: string }, ts: number, book = this.alarms): void {
    if (book === this.alarms && m.anomaly.baseline && !this.stored.baselines.has(m.id)) this.saveBaseline(m);
    m.conditionReading.set('ANOMALY', 'anomaly');
    if (flag.raised) book.raise({ motorId: m.id, condition: 'ANOMALY', severity: 'warning', source: 'anomaly', message: `Abnormal behaviour: ${flag.message}`, ts });
    else book.clear(m.id, 'ANOMALY', ts, `Abnormal behaviour: ${flag.message}`);
  }

  /**
   * A judge of one motor for history that arrives after the fact (an import): the motor's rules as resolved
   * now over fresh rule state and a fresh anomaly detector, stepped with each reading's own time, its alarms
   * raised into `book` at those times. The live motor, its state and its open alarms are left as they are.
   * Each reading is a signal vector by SIGNALS index, NaN where missing (rules.ts `readSignals`).
   */
  replayer(id: string, book: AlarmBook): (signals: Float64Array, ts: number) => void {
    const m = new MotorHealth(id, undefined, undefined);
    this.resolve(m);
    return (signals, ts) => {
      if (!m.stepSignals(signals, ts, ts)) return;
      this.applyVerdicts(m, m.changed, ts, book);
      if (m.flag) this.applyAnomalyFlag(m, m.flag, ts, book);
    };
  }

  /** Per-channel stale data: each reading that stopped updating or froze is an alarm of its own. */
  private applyStale(m: MotorHealth, ts: number): void {
    const twin = this.twins.get(m.id);
    if (!twin) return;
    for (const e of m.stale.step(twin.readings, ts)) {
      m.conditionReading.set(e.condition, e.reading);
      if (e.raised) this.alarms.raise({ motorId: m.id, condition: e.condition, severity: 'warning', source: 'sensor', message: e.message, ts });
      else this.alarms.clear(m.id, e.condition, ts, e.message);
    }
  }

  private saveBaseline(m: MotorHealth): void {
    const b = m.anomaly.baseline;
    if (!b) return;
    this.stored.baselines.set(m.id, b);
    this.store.saveBaseline(m.id, b);
  }

  private updateHealth(m: MotorHealth, readings: ReadingMap, now: number): void {
    const twin = this.twins.get(m.id);
    if (!twin) return;
    // A baseline learned automatically is stored the first time it is seen here.
    if (m.anomaly.baseline && this.stored.baselines.get(m.id) !== m.anomaly.baseline) this.saveBaseline(m);
    const snap = m.computeSnapshot(readings, twin.nameplate, now, this.openAlarms(m.id, now));
    this.emit('health', snap);
    if (now - m.lastSampleAt >= SAMPLE_EVERY_MS) {
      m.lastSampleAt = now;
      this.store.saveHealthSample(snap);
    }
  }

  private openAlarms(id: string, now: number) {
    return this.alarms.activeFor(id).filter((a) => !this.alarms.isShelved(a, now));
  }

  private reasonsFor(m: MotorHealth): StatusReason[] {
    return statusReasons(this.openAlarms(m.id, Date.now()), (c) => m.conditionReading.get(c) ?? c, m.assessment);
  }

  /** Status reasons follow alarm changes that did not come with a reading (ack, shelve, a rule removed). */
  refreshStatus(motorId: string): void {
    const m = this.motors.get(motorId);
    if (m) m.reasons = null;
    this.twins.reevaluate(motorId);
  }

  /** Live, or, before this engine has judged the motor at all (an offline `ask`), the last stored assessment. */
  health(id: string): HealthSnapshot {
    const twin = this.twins.require(id);
    const m = this.motor(id);
    const stored = this.stored.snapshots.get(id);
    if (stored && m.lastHealthAt === 0) {
      // The status colour follows the stored assessment as it followed the live one.
      if (!m.assessment) {
        m.assessment = stored.assessment;
        this.refreshStatus(id);
      }
      return { ...stored, stored: true };
    }
    const readings: ReadingMap = {};
    for (const [k, v] of Object.entries(twin.readings)) readings[k as keyof ReadingMap] = v?.value ?? null;
    const now = Date.now();
    return m.computeSnapshot(readings, twin.nameplate, now, this.openAlarms(id, now));
  }

  learnBaseline(id: string) {
    const m = this.motor(id);
    const now = Date.now();
    m.anomaly.relearn();
    this.stored.baselines.delete(m.id);
    this.alarms.clear(id, 'ANOMALY', now, 'Abnormal behaviour: the baseline is being learned again');
    return m.anomaly.status();
  }

  rulesFor(id: string) {
    const m = this.motor(id);
    this.resolve(m);
    const twin = this.twins.get(id);
    const model = twin?.nameplate.model ?? null;
    return {
      rules: m.rules.map((r) => ({ ...r, active: m.ruleState.rules[r.id]?.active ?? false })),
      defaults: twin ? defaultRules(twin.nameplate) : [],
      motorRules: this.ruleSets.motor.get(id) ?? [],
      modelRules: (model && this.ruleSets.model.get(model)) || [],
      model,
    };
  }

  /**
   * When the motor's vibration reaches its limit at the present trend, from its stored history (drain the
   * writer first): in g, the limit is its MECHANICAL_FAULT threshold, 0.05 g (the original design's) without one.
   */
  remainingLife(id: string, metric: 'vib_velocity' | 'vibration', historian: Pick<Historian, 'history'>): Promise<RemainingLifeView> {
    const twin = this.twins.require(id);
    const mechanical = this.rulesFor(id).rules.find((r) => r.condition === 'MECHANICAL_FAULT')?.clauses[0];
    return remainingLifeOf(historian, id, metric, twin, mechanical?.kind === 'threshold' ? mechanical.value : 0.05);
  }

  setRules(scope: 'motor' | 'model', key: string, rules: Rule[]): void {
    const ids = new Set<string>();
    for (const r of rules) {
      if (ids.has(r.id)) throw new DomainError('invalid', `rule id "${r.id}" appears twice`);
      ids.add(r.id);
    }
    this.ruleSets[scope].set(key, rules);
    this.store.saveRuleSet(scope, key, rules);
    for (const m of this.motors.values()) {
      if (scope === 'motor' ? m.id === key : this.twins.get(m.id)?.nameplate.model === key) this.resolve(m);
    }
  }

  /** A waveform block: analysed at once (at most one a second per motor), stored, sent to the UIs. */
  onWaveform(deviceId: string, ts: number, payload: WaveformPayload): void {
    const twin = this.twins.get(deviceId);
    if (!twin) return;
    const m = this.motor(deviceId);
    const now = Date.now();
    if (m.waveform && now - m.waveform.receivedAt < WAVEFORM_MIN_GAP_MS) {
      this.skippedWaveforms++;
      return;
    }
    const rpm = twin.readings.rpm?.value ?? null;
    const block = analyseBlock(deviceId, ts, payload, rpm, twin.nameplate);
    m.waveform = { summary: block.summary, receivedAt: now };
    this.details.set(deviceId, block.detail);
    this.store.saveWaveform(deviceId, block.summary, { seq: payload.seq ?? null, scale: payload.scale_g_per_lsb, samples: payload.samples });
    this.applyDiagnosis(m, block.summary, ts, twin.nameplate, twin.readings.vib_velocity?.value ?? null);
    this.emit('waveformAnalysis', block.summary);
  }

  /** A confident diagnosis is an alarm in the assessment's words, its severity set by the overall zone. */
  private applyDiagnosis(m: MotorHealth, a: WaveformAnalysis, ts: number, nameplate: Nameplate, boardVelocity: number | null): void {
    const d = a.diagnosis;
    if (!d) return;
    m.conditionReading.set('VIBRATION_DIAGNOSIS', 'vibration');
    const f = diagnosisFinding(d, isoZone(boardVelocity ?? a.velocityRmsMmS, nameplate));
    if (f && f.level !== 'normal') {
      this.alarms.raise({ motorId: m.id, condition: 'VIBRATION_DIAGNOSIS', severity: ALARM_SEVERITY[f.level], source: 'diagnosis', message: `${f.text} (confidence ${(d.confidence * 100).toFixed(0)} %): ${d.evidence}`, ts });
    } else if (d.fault === 'none') this.alarms.clear(m.id, 'VIBRATION_DIAGNOSIS', ts, 'the latest spectrum shows no fault');
  }

  async latestWaveform(id: string): Promise<WaveformDetail | null> {
    const cached = this.details.get(id);
    if (cached) return cached;
    const twin = this.twins.get(id);
    const last = await this.store.lastWaveform(id);
    if (!twin || !last) return null;
    const payload: WaveformPayload = { device_id: id, axis: last.axis, sample_rate_hz: last.fs, scale_g_per_lsb: last.scale, encoding: 'int16le-base64', samples: last.samples };
    const detail = analyseBlock(id, last.ts, payload, twin.readings.rpm?.value ?? null, twin.nameplate).detail;
    this.details.set(id, detail);
    return detail;
  }

  private saveRuleStates(): void {
    for (const m of this.motors.values()) {
      if (!m.ruleStateDirty) continue;
      m.ruleStateDirty = false;
      this.store.saveRuleState(m.id, m.savedRuleState());
    }
  }
}
