import type { AnomalyStatus, VibrationLevels } from '../../shared/healthContract';
import type { Nameplate } from '../../shared/twin';
import { scoreAnomaly, type Baseline } from '../vibration/anomaly';
import { vibrationLevels } from './isoAlert';
import { OperatingState, STOPPED } from './operatingState';
import { CANDIDATE_FEATURES, chooseTau, F, learnState, RISE, ROW, rowsOf, VELOCITY, type SavedBaseline, type StateBaseline } from './stateBaseline';
import { DEFAULT_TAU_S, ThermalTracker } from './warmUp';

// Anomaly detection for one motor, live. The baseline covers normal running: the readings of the first
// `baselineHours` of running (24 h unless the nameplate says otherwise), kept apart by operating state (stopped,
// speed band, load band). Until that window is complete there is no verdict, only "learning"; after it, each
// reading is scored against the baseline of its own state, and a state not seen enough keeps learning. The
// temperature rise is scored as its departure from the first-order warm-up curve, so a motor warming up after
// a start scores normal and the same rise without a start does not.

export { CANDIDATE_FEATURES } from './stateBaseline';
export type { SavedBaseline } from './stateBaseline';
/** One reading's features in CANDIDATE_FEATURES order; null, undefined or NaN is a feature not reported. */
export type FeatureVector = ArrayLike<number | null | undefined>;

export const DEFAULT_BASELINE_HOURS = 24;
/** Readings in a row over the threshold before a flag: one spike is not a fault. */
const PERSIST = 5;
/** Readings kept per state while learning (a uniform sample of all of them beyond this). */
const RESERVOIR = 3000;
/** A longer gap between readings is not counted as running time. */
const MAX_STEP_S = 60;
/** A gap this long ends a thermal transient: the next reading starts a new one. */
const TRANSIENT_GAP_S = 600;
/** A state is learned once it has run this share of the window (3 h of 24) and this many readings. */
const STATE_SHARE = 1 / 8;
const STATE_READINGS = 60;
/** Words for the features in messages. */
const WORDS: Record<string, string> = { temperature_rise: 'temperature rise over its warm-up curve' };

const missing = (x: number | null | undefined): x is null | undefined => x === null || x === undefined || x !== x;

export interface AnomalyFlagEvent {
  raised: boolean;
  message: string;
}

export interface AnomalySettings {
  windowS: number;
  /** From the nameplate; null: learned from the data, else typical. */
  tauS: number | null;
  nameplate: Pick<Nameplate, 'ratedRpm' | 'ratedCurrent' | 'isoGroup' | 'foundation' | 'ratedKw'>;
}

export function settingsFrom(n: Nameplate | null): AnomalySettings {
  const nameplate = { ratedRpm: n?.ratedRpm ?? null, ratedCurrent: n?.ratedCurrent ?? null, isoGroup: n?.isoGroup ?? null, foundation: n?.foundation ?? null, ratedKw: n?.ratedKw ?? null };
  return { windowS: (n?.baselineHours ?? DEFAULT_BASELINE_HOURS) * 3600, tauS: n?.thermalTimeConstantMin ? n.thermalTimeConstantMin * 60 : null, nameplate };
}

/** "40 s", "12 min", "3 h", "2.5 h". */
export function formatRunning(s: number): string {
  if (s < 60) return `${Math.floor(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  const h = s / 3600;
  return `${h < 10 ? Math.floor(h * 10) / 10 : Math.floor(h)} h`;
}

type Driver = { feature: string; z: number };

interface Collection {
  rows: Float64Array;
  kept: number;
  seen: number;
  runningS: number;
}

/** One state's baseline laid out for scoring in one block: per feature its candidate index, median, 1/scale,
 * 1 when only rises count; then the inverse correlation; then scratch z. Scoring allocates nothing. */
class Scorer {
  private readonly fast: Float64Array;
  private readonly d: number;
  readonly index: number[];

  constructor(readonly b: StateBaseline) {
    this.index = b.features.map((f) => CANDIDATE_FEATURES.findIndex((c) => c.name === f.name));
    const d = (this.d = this.index.length);
    const f = (this.fast = new Float64Array(5 * d + d * d));
    for (let k = 0; k < d; k++) {
      f[k] = this.index[k];
      f[d + k] = b.median[k];
      f[2 * d + k] = 1 / b.scale[k];
      f[3 * d + k] = b.features[k].direction === 'up' ? 1 : 0;
      for (let j = 0; j < d; j++) f[4 * d + k * d + j] = b.inverse[k][j];
    }
  }

  /** The score of `v`, its temperature feature replaced by `rise` (the departure from the warm-up curve, NaN for none). */
  score(v: FeatureVector, rise: number): number {
    const { fast: f, d } = this;
    const m = 4 * d;
    const zAt = m + d * d;
    for (let k = 0; k < d; k++) {
      const i = f[k] | 0;
      const x = i === RISE ? rise : v[i];
      const zk = missing(x) ? 0 : (x - f[d + k]) * f[2 * d + k];
      f[zAt + k] = f[3 * d + k] && zk < 0 ? 0 : zk;
    }
    let s = 0;
    for (let i = 0; i < d; i++) {
      let row = 0;
      for (let j = 0; j < d; j++) row += f[m + i * d + j] * f[zAt + j];
      s += f[zAt + i] * row;
    }
    return Math.sqrt(s > 0 ? s : 0);
  }

  drivers(v: FeatureVector, rise: number) {
    return scoreAnomaly(this.b as Baseline, this.index.map((i, k) => (i === RISE ? (rise === rise ? rise : this.b.median[k]) : missing(v[i]) ? this.b.median[k] : (v[i] as number)))).drivers;
  }
}

export class LiveAnomaly {
  private readonly operating = new OperatingState();
  private readonly thermal = new ThermalTracker();
  private collections = new Map<string, Collection>();
  private scorers = new Map<string, Scorer>();
  private learnedS = 0;
  private lastTs = NaN;
  private entry = { state: '', ts: 0, r0: NaN };
  /** NaN: no rise. Kept as a number so a reading allocates nothing. */
  private lastRise = NaN;
  private run = 0;
  private flagged = false;
  private seed = 1;
  /** The last reading scored. An abnormal one keeps its features (copied, the caller reuses its vector) so its
   * drivers are worked out only when asked for (a flag's message, the status): not on every abnormal reading. */
  private last: { score: number; abnormal: boolean; scorer: Scorer | null; departure: number; drivers: Driver[] | null } | null = null;
  private readonly lastFeatures = new Float64Array(F);

  constructor(
    public baseline: SavedBaseline | null = null,
    private settings: AnomalySettings = settingsFrom(null),
  ) {
    this.configure(settings);
    if (baseline) for (const s of baseline.states) this.scorers.set(s.state, new Scorer(s));
  }

  /** The nameplate changed: rated values for the states, tau, the window (a window still open takes the new length). */
  configure(settings: AnomalySettings): void {
    this.settings = settings;
    this.operating.configure(settings.nameplate.ratedRpm, settings.nameplate.ratedCurrent);
  }

  private get tauS(): number {
    return this.baseline?.tauS ?? this.settings.tauS ?? DEFAULT_TAU_S;
  }

  /** "Learn baseline now": the window starts again from the next reading. */
  relearn(): void {
    this.baseline = null;
    this.scorers = new Map();
    this.collections = new Map();
    this.learnedS = 0;
    this.last = null;
    this.run = 0;
    this.flagged = false;
  }

  /** Scores one reading (or collects it while learning); returns a flag when one is raised or cleared. */
  push(v: FeatureVector, ts: number, current: number | null = null): AnomalyFlagEvent | null {
    // Missing values are NaN from here on: numbers, not nulls, so a reading allocates nothing.
    const rpm = v[2];
    const state = this.operating.at(missing(rpm) ? NaN : rpm, current ?? NaN);
    const dtS = (ts - this.lastTs) / 1000; // NaN for the first reading: no time has passed
    this.lastTs = ts;
    const r = v[RISE];
    const rise = missing(r) ? NaN : r;
    this.lastRise = rise;
    if (state !== this.entry.state || dtS > TRANSIENT_GAP_S) this.entry = { state, ts, r0: rise };
    else if (rise === rise && this.entry.r0 !== this.entry.r0) this.entry.r0 = rise;
    const scorer = state === STOPPED ? undefined : this.scorers.get(state);
    const steady = scorer?.b.steadyRise ?? NaN;
    const departure = rise === rise ? this.thermal.departureOf(rise, steady, ts, this.tauS) : NaN;
    if (state === STOPPED) return null;
    const stepS = dtS > 0 && dtS <= MAX_STEP_S ? dtS : 0;
    if (!this.baseline || !scorer) {
      this.collect(state, v, ts, stepS, rise);
      this.run = 0;
      return null;
    }
    return this.judge(scorer, v, departure);
  }

  private judge(scorer: Scorer, v: FeatureVector, departure: number): AnomalyFlagEvent | null {
    const score = scorer.score(v, departure);
    const threshold = scorer.b.threshold;
    if (score <= threshold) {
      // Updated in place: a normal reading allocates nothing.
      if (this.last && !this.last.abnormal) this.last.score = score;
      else this.last = { score, abnormal: false, scorer: null, departure: NaN, drivers: [] };
      this.run = 0;
      if (!this.flagged) return null;
      this.flagged = false;
      return { raised: false, message: `back within its baseline (score ${score.toFixed(1)})` };
    }
    for (let i = 0; i < F; i++) this.lastFeatures[i] = missing(v[i]) ? NaN : (v[i] as number);
    const l = this.last;
    if (l?.abnormal) {
      l.score = score;
      l.scorer = scorer;
      l.departure = departure;
      l.drivers = null;
    } else this.last = { score, abnormal: true, scorer, departure, drivers: null };
    if (this.flagged || ++this.run < PERSIST) return null;
    this.flagged = true;
    const top = this.lastDrivers().filter((d) => Math.abs(d.z) >= 3).slice(0, 3);
    return {
      raised: true,
      message: `unlike its "${scorer.b.state}" baseline for ${PERSIST} readings (score ${score.toFixed(1)} over ${threshold.toFixed(1)}): ${top.map((d) => `${WORDS[d.feature] ?? d.feature} ${d.z >= 0 ? '+' : ''}${d.z.toFixed(1)} sigma`).join(', ')}`,
    };
  }

  /** Keeps the reading in its state's collection (a uniform sample beyond RESERVOIR), then learns what is due. */
  private collect(state: string, v: FeatureVector, ts: number, stepS: number, rise: number): void {
    let c = this.collections.get(state);
    if (!c) this.collections.set(state, (c = { rows: new Float64Array(RESERVOIR * ROW), kept: 0, seen: 0, runningS: 0 }));
    c.seen++;
    c.runningS += stepS;
    if (!this.baseline) this.learnedS += stepS;
    this.seed = (this.seed * 1103515245 + 12345) % 2147483648;
    const slot = c.kept < RESERVOIR ? c.kept++ : Math.floor((this.seed / 2147483648) * c.seen);
    if (slot < RESERVOIR) {
      const at = slot * ROW;
      for (let i = 0; i < F; i++) c.rows[at + i] = missing(v[i]) ? NaN : (v[i] as number);
      c.rows[at + F] = (ts - this.entry.ts) / 1000;
      c.rows[at + F + 1] = rise !== rise ? NaN : this.entry.r0;
    }
    if (!this.baseline) {
      if (this.learnedS >= this.settings.windowS) this.learnWindow(ts);
    } else if (this.due(c, this.baseline.windowS)) this.learnLate(state, c);
  }

  private due(c: Collection, windowS: number): boolean {
    return c.runningS >= STATE_SHARE * windowS && c.kept >= STATE_READINGS;
  }

  /** The window is complete: tau is settled, and every state run long enough gets its baseline. */
  private learnWindow(ts: number): void {
    const windowS = this.settings.windowS;
    const all = [...this.collections.values()].map((c) => rowsOf(c.rows, c.kept));
    const { tauS, tauSource } = chooseTau(this.settings.tauS, DEFAULT_TAU_S, all);
    const states: StateBaseline[] = [];
    for (const [state, c] of this.collections) {
      if (!this.due(c, windowS)) continue;
      const b = learnState(state, rowsOf(c.rows, c.kept), tauS, c.runningS);
      if (b) states.push(b);
    }
    for (const b of states) this.collections.delete(b.state);
    this.baseline = { learnedAt: ts, windowS, tauS, tauSource, states };
    for (const s of states) this.scorers.set(s.state, new Scorer(s));
  }

  /** A state first run after the window has run long enough: added to the baseline (a new object, to be stored). */
  private learnLate(state: string, c: Collection): void {
    const b = learnState(state, rowsOf(c.rows, c.kept), this.tauS, c.runningS);
    if (!b || !this.baseline) return;
    this.collections.delete(state);
    this.baseline = { ...this.baseline, states: [...this.baseline.states, b] };
    this.scorers.set(state, new Scorer(b));
  }

  private lastDrivers(): Driver[] {
    const l = this.last;
    if (!l) return [];
    if (l.drivers === null) l.drivers = l.scorer ? l.scorer.drivers(this.lastFeatures, l.departure) : [];
    return l.drivers;
  }

  private levels: { nameplate: AnomalySettings['nameplate']; mmS: number | null; value: VibrationLevels } | null = null;

  status(): AnomalyStatus {
    const state = this.operating.current;
    const scorer = this.scorers.get(state);
    const windowS = this.baseline?.windowS ?? this.settings.windowS;
    const c = this.collections.get(state);
    const learning = !this.baseline || (state !== STOPPED && !scorer);
    const collected = !this.baseline ? this.learnedS : (c?.runningS ?? 0);
    const needed = !this.baseline ? windowS : STATE_SHARE * windowS;
    const note = !this.baseline
      ? `learning: ${formatRunning(this.learnedS)} of ${formatRunning(windowS)} of running`
      : state === STOPPED
        ? 'stopped: not scored'
        : scorer
          ? `scoring against its "${state}" baseline`
          : `learning the "${state}" state: ${formatRunning(collected)} of ${formatRunning(needed)} of running in it`;
    const velocityState = scorer?.b ?? this.longestRun();
    const v = velocityState ? velocityState.features.findIndex((f) => f.name === CANDIDATE_FEATURES[VELOCITY].name) : -1;
    // Plain loops, no spread copies: every motor's status is asked for once a second.
    const states: AnomalyStatus['states'] = [];
    for (const s of this.scorers.values()) states.push({ name: s.b.state, phase: 'scoring', runningS: s.b.runningS });
    for (const [name, col] of this.collections) states.push({ name, phase: 'learning', runningS: col.runningS });
    const b = scorer?.b;
    const scored = !learning && state !== STOPPED;
    return {
      phase: learning ? 'learning' : 'scoring',
      collected,
      needed,
      note,
      state,
      states,
      learnedAt: this.baseline?.learnedAt ?? null,
      features: b ? b.features.map((f) => f.name) : [],
      score: scored ? (this.last?.score ?? null) : null,
      threshold: b?.threshold ?? null,
      abnormal: scored && (this.last?.abnormal ?? false),
      drivers: scored ? this.lastDrivers().slice(0, 4) : [],
      warmUp: { tauS: this.tauS, tauSource: this.baseline?.tauSource ?? (this.settings.tauS ? 'nameplate' : 'typical'), rise: this.lastRise === this.lastRise ? this.lastRise : null, expectedRise: b ? this.thermal.expected : null },
      vibrationLevels: this.levelsFor(velocityState && v >= 0 ? velocityState.median[v] : null),
    };
  }

  /** The learned state run longest (the first of equals). */
  private longestRun(): StateBaseline | undefined {
    let longest: StateBaseline | undefined;
    for (const s of this.scorers.values()) if (!longest || s.b.runningS > longest.runningS) longest = s.b;
    return longest;
  }

  /** The ISO levels, worked out again only when the nameplate or the baseline's velocity changed (every snapshot asks). */
  private levelsFor(mmS: number | null): VibrationLevels {
    const nameplate = this.settings.nameplate;
    if (this.levels?.nameplate !== nameplate || this.levels.mmS !== mmS) this.levels = { nameplate, mmS, value: vibrationLevels(mmS, nameplate) };
    return this.levels.value;
  }
}
