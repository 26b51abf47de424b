import type { Alarm, HealthSnapshot, MotorAssessment, Rule, WaveformAnalysis } from '../../shared/healthContract';
import type { Nameplate, ReadingMap, StatusReason } from '../../shared/twin';
import { assess, indexInBand } from './assessment';
import { computeHealth } from './healthIndex';
import { CANDIDATE_FEATURES, LiveAnomaly, type AnomalyFlagEvent, type FeatureVector, type SavedBaseline } from './liveAnomaly';
import { planRules, readSignals, signalVector, stepRuleSignals, syncRuleState, withRise, type MotorRuleState, type RulePlan, type RuleVerdict } from './rules';
import { SIGNALS } from '../../shared/healthContract';
import { StaleWatch } from './staleData';

// Everything the health part keeps about one motor between readings: its rules and their state, its anomaly
// detector, recent speed for stability, and the latest waveform analysis.

const RPM_WINDOW = 60;
/** Assumed ambient when the board reports none; the anomaly score only sees changes, so the shift is harmless. */
const ASSUMED_AMBIENT_C = 40;
/** Spectral features older than this are not used for anomaly scoring. */
const SPECTRAL_MAX_AGE_MS = 120_000;
const S = (name: (typeof SIGNALS)[number]) => SIGNALS.indexOf(name);
const TEMPERATURE = S('temperature');
const AMBIENT = S('ambient');
const VIBRATION = S('vibration');
const RPM = S('rpm');
const CURRENT = S('current');
const VIB_VELOCITY = S('vib_velocity');

export class MotorHealth {
  private _rules: Array<Rule & { origin: 'default' | 'model' | 'motor' }> = [];
  private plan: RulePlan = { block: new Float64Array(0), rules: [], clauses: [] };
  ruleState: MotorRuleState;
  ruleStateDirty = false;
  readonly anomaly: LiveAnomaly;
  /** Per-channel stale data (see staleData.ts). */
  readonly stale = new StaleWatch();
  waveform: { summary: WaveformAnalysis; receivedAt: number } | null = null;
  lastHealthAt = 0;
  lastSampleAt = 0;
  /** The status reasons from its open alarms and its assessment, kept until either changes. */
  reasons: StatusReason[] | null = null;
  /** The latest assessment, which the status reasons follow. */
  assessment: MotorAssessment | null = null;
  /** Which reading each open condition is about, for the status reasons. */
  readonly conditionReading = new Map<string, string>();
  private readonly rpm = new Float64Array(RPM_WINDOW);
  private rpmCount = 0;
  private rpmNext = 0;
  /** Reused for every reading, NaN where a feature is missing: doubles in a typed array allocate nothing. */
  private readonly scratch = new Float64Array(CANDIDATE_FEATURES.length);
  /** The reading being stepped as a signal vector (see rules.ts), reused. */
  private readonly signals = signalVector();

  constructor(
    readonly id: string,
    ruleState: MotorRuleState | undefined,
    baseline: SavedBaseline | undefined,
  ) {
    this.ruleState = ruleState ?? { lastTs: 0, rules: {} };
    this.anomaly = new LiveAnomaly(baseline ?? null);
  }

  get rules(): ReadonlyArray<Rule & { origin: 'default' | 'model' | 'motor' }> {
    return this._rules;
  }

  set rules(rules: Array<Rule & { origin: 'default' | 'model' | 'motor' }>) {
    this._rules = rules;
    syncRuleState(this.plan);
    this.plan = planRules(rules, this.ruleState);
  }

  /** The rule state as it is stored (JSON), brought up to date. */
  savedRuleState(): MotorRuleState {
    syncRuleState(this.plan);
    return this.ruleState;
  }

  /** Rules that changed state and the anomaly flag raised or cleared by the last reading stepped. */
  changed: RuleVerdict[] = [];
  flag: AnomalyFlagEvent | null = null;

  /** One reading: steps the rules and the anomaly detector; false when the reading is not newer than the last. */
  step(readings: ReadingMap, ts: number, now: number): boolean {
    if (ts <= this.ruleState.lastTs) return false;
    return this.stepSignals(readSignals(readings, this.signals), ts, now);
  }

  /**
   * `step` for a reading given as a signal vector by SIGNALS index, NaN where missing (an import's rows, read by
   * column); its temperature_rise is worked out here.
   */
  stepSignals(values: Float64Array, ts: number, now: number): boolean {
    if (ts <= this.ruleState.lastTs) return false;
    withRise(values);
    this.changed = stepRuleSignals(this.plan, this.ruleState, values, ts);
    this.ruleStateDirty = true;
    const rpm = values[RPM];
    if (rpm === rpm) {
      this.rpm[this.rpmNext] = rpm;
      this.rpmNext = (this.rpmNext + 1) % RPM_WINDOW;
      this.rpmCount = Math.min(RPM_WINDOW, this.rpmCount + 1);
    }
    const current = values[CURRENT];
    this.flag = this.anomaly.push(this.features(values, now), ts, current === current ? current : null);
    return true;
  }

  /** Fills one reused vector (the detector copies what it keeps): no allocation per reading. */
  private features(v: Float64Array, now: number): FeatureVector {
    const w = this.waveform && now - this.waveform.receivedAt <= SPECTRAL_MAX_AGE_MS ? this.waveform.summary : null;
    const f = this.scratch;
    const ambient = v[AMBIENT];
    f[0] = v[TEMPERATURE] - (ambient === ambient ? ambient : ASSUMED_AMBIENT_C);
    f[1] = v[VIBRATION];
    f[2] = v[RPM];
    const velocity = v[VIB_VELOCITY];
    f[3] = velocity === velocity ? velocity : (w?.velocityRmsMmS ?? NaN);
    f[4] = w?.kurtosis ?? NaN;
    f[5] = w?.crestFactor ?? NaN;
    return f;
  }

  private rpmStats(): { cv: number | null; mean: number | null } {
    if (this.rpmCount < 10) return { cv: null, mean: null };
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < this.rpmCount; i++) {
      s += this.rpm[i];
      s2 += this.rpm[i] * this.rpm[i];
    }
    const mean = s / this.rpmCount;
    const sd = Math.sqrt(Math.max(0, s2 / this.rpmCount - mean * mean));
    return { cv: mean > 0 ? sd / mean : null, mean };
  }

  /** The sub-scores, and the one assessment the index band, alarms, status and 3D overlay follow. */
  computeSnapshot(readings: ReadingMap, nameplate: Nameplate, now: number, alarms: Alarm[]): HealthSnapshot {
    const rpm = this.rpmStats();
    const w = this.waveform;
    const fromBoard = readings.vib_velocity ?? null;
    const velocityMmS = fromBoard ?? w?.summary.velocityRmsMmS ?? null;
    const a = this.anomaly.status();
    const result = computeHealth({
      nameplate,
      temperature: readings.temperature ?? null,
      ambient: readings.ambient ?? null,
      velocityMmS,
      velocitySource: fromBoard !== null ? 'from the board' : 'from the latest waveform',
      rpmCv: rpm.cv,
      rpmMean: rpm.mean,
      bearing: w?.summary.diagnosis ? { ...w.summary.diagnosis, ageS: (now - w.receivedAt) / 1000 } : null,
      anomaly:
        a.phase === 'scoring' && a.score !== null && a.threshold !== null
          ? { score: a.score, threshold: a.threshold, drivers: a.drivers }
          : { learning: a.phase === 'learning' || a.state === 'stopped' ? a.note : 'no reading scored yet' },
    });
    this.lastHealthAt = now;
    const assessment = assess({ nameplate, velocityMmS, diagnosis: w?.summary.diagnosis ?? null, subScores: result.subScores, alarms });
    const index = indexInBand(result.index, assessment);
    // New findings change the status reasons: they are worked out again with the next reading.
    if (findingsKey(this.assessment) !== findingsKey(assessment)) this.reasons = null;
    this.assessment = assessment;
    // The weighted index may say less or more than the findings: the findings win, and say so first.
    const pulledDownBy = index === result.index ? result.pulledDownBy : [`held in the ${assessment.level} band (${assessment.band[0]}-${assessment.band[1]}) by the findings`, ...result.pulledDownBy.filter((p) => !p.startsWith('capped at'))];
    return { id: this.id, ts: now, index, subScores: result.subScores, pulledDownBy, anomaly: a, assessment, stored: false };
  }
}

/** An assessment's findings in short (source, level, about), '' for none: the same findings give the same status reasons. */
function findingsKey(a: MotorAssessment | null): string {
  if (!a) return '';
  let key = '';
  for (let i = 0; i < a.findings.length; i++) {
    const f = a.findings[i];
    key += `${i ? ',' : ''}${f.source}:${f.level}:${f.about}`;
  }
  return key;
}
