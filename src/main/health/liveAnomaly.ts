import { learnBaseline, scoreAnomaly, type Baseline, type FeatureSpec } from '../vibration/anomaly';
import type { AnomalyStatus } from '../../shared/healthContract';

// Anomaly detection for one motor, live: collect a baseline of feature vectors while the motor is taken to be
// normal, learn it (robust centre, scale and correlation), then score every reading. Features a motor does not
// report are left out of its baseline; a feature missing from one reading scores as its baseline median.

export const CANDIDATE_FEATURES: FeatureSpec[] = [
  { name: 'temperature_rise', direction: 'up' },
  { name: 'vibration', direction: 'up' },
  { name: 'rpm', direction: 'both' },
  { name: 'vib_velocity', direction: 'up' },
  { name: 'kurtosis', direction: 'up' },
  { name: 'crest_factor', direction: 'up' },
];
/** One reading's features in CANDIDATE_FEATURES order; null, undefined or NaN is a feature not reported. */
export type FeatureVector = ArrayLike<number | null | undefined>;
const F = CANDIDATE_FEATURES.length;
const missing = (x: number | null | undefined): x is null | undefined => x === null || x === undefined || x !== x;

export const BASELINE_READINGS = 120;
/** Readings in a row over the threshold before a flag: one spike is not a fault. */
const PERSIST = 5;
/** A feature seen in fewer of the baseline readings than this share is left out. */
const PRESENT_SHARE = 0.8;

export interface AnomalyFlagEvent {
  raised: boolean;
  message: string;
}

export class LiveAnomaly {
  private collected: Array<Array<number | null>> = [];
  /** The last `needed` readings, one flat ring of F values each (NaN: missing), for "learn baseline now". */
  private readonly recent: Float64Array;
  private recentNext = 0;
  private recentCount = 0;
  private run = 0;
  private flagged = false;
  private index: number[] = [];
  /**
   * The baseline laid out for scoring in one block (fewer cache lines per reading): per used feature its
   * candidate index, median, 1/scale and 1 when only rises count, then the inverse correlation, then scratch z.
   */
  private fast = new Float64Array(0);
  private dims = 0;
  last: { score: number; abnormal: boolean; drivers: { feature: string; z: number }[] } | null = null;

  constructor(
    public baseline: (Baseline & { learnedAt: number }) | null = null,
    private readonly needed = BASELINE_READINGS,
  ) {
    this.recent = new Float64Array(needed * F);
    if (baseline) this.prepare();
  }

  private keep(v: FeatureVector): void {
    const at = this.recentNext * F;
    for (let i = 0; i < F; i++) {
      const x = v[i];
      this.recent[at + i] = missing(x) ? NaN : x;
    }
    this.recentNext = (this.recentNext + 1) % this.needed;
    this.recentCount = Math.min(this.needed, this.recentCount + 1);
  }

  /** Starts learning afresh: from the recent readings when there are enough, otherwise from the next ones. */
  relearn(now: number): boolean {
    const n = Math.min(this.recentCount, this.needed);
    this.collected = Array.from({ length: n }, (_, k) => this.row(this.recent, ((this.recentNext - n + k + this.needed) % this.needed) * F));
    this.baseline = null;
    this.last = null;
    this.run = 0;
    this.flagged = false;
    return this.tryLearn(now);
  }

  /** Scores one reading (or adds it to the baseline being learned); returns a flag when one is raised or cleared. */
  push(v: FeatureVector, now: number): AnomalyFlagEvent | null {
    this.keep(v);
    if (!this.baseline) {
      this.collected.push(this.row(v, 0));
      this.tryLearn(now);
      return null;
    }
    const b = this.baseline;
    // Hot path: one flat typed array, no allocation; drivers are worked out only when the reading is abnormal.
    const f = this.fast;
    const d = this.dims;
    const m = 4 * d;
    const zAt = m + d * d;
    for (let k = 0; k < d; k++) {
      const x = v[f[k] | 0];
      const zk = missing(x) ? 0 : (x - f[d + k]) * f[2 * d + k];
      f[zAt + k] = f[3 * d + k] && zk < 0 ? 0 : zk;
    }
    let s = 0;
    for (let i = 0; i < d; i++) {
      let row = 0;
      for (let j = 0; j < d; j++) row += f[m + i * d + j] * f[zAt + j];
      s += f[zAt + i] * row;
    }
    const score = Math.sqrt(s > 0 ? s : 0);
    const abnormal = score > b.threshold;
    if (!abnormal) {
      // Updated in place: a normal reading allocates nothing.
      if (this.last && !this.last.abnormal) this.last.score = score;
      else this.last = { score, abnormal, drivers: [] };
      this.run = 0;
      if (this.flagged) {
        this.flagged = false;
        return { raised: false, message: `back within its baseline (score ${score.toFixed(1)})` };
      }
      return null;
    }
    const full = scoreAnomaly(b, this.project(v));
    this.last = { score, abnormal, drivers: full.drivers };
    this.run++;
    if (this.flagged || this.run < PERSIST) return null;
    this.flagged = true;
    const top = full.drivers.filter((d) => Math.abs(d.z) >= 3).slice(0, 3);
    return { raised: true, message: `unlike its baseline for ${PERSIST} readings (score ${score.toFixed(1)} over ${b.threshold.toFixed(1)}): ${top.map((d) => `${d.feature} ${d.z >= 0 ? '+' : ''}${d.z.toFixed(1)} sigma`).join(', ')}` };
  }

  status(): AnomalyStatus {
    const b = this.baseline;
    return {
      phase: b ? 'scoring' : 'learning',
      collected: b ? b.samples : this.collected.length,
      needed: this.needed,
      learnedAt: b?.learnedAt ?? null,
      features: b ? b.features.map((f) => f.name) : [],
      score: this.last?.score ?? null,
      threshold: b?.threshold ?? null,
      abnormal: this.last?.abnormal ?? false,
      drivers: (this.last?.drivers ?? []).slice(0, 4),
    };
  }

  private project(v: FeatureVector): number[] {
    return this.index.map((i, k) => {
      const x = v[i];
      return missing(x) ? this.baseline!.median[k] : x;
    });
  }

  /** A plain copy of one reading's features (null: missing), for learning. */
  private row(v: FeatureVector, at: number): Array<number | null> {
    const out: Array<number | null> = new Array(F);
    for (let i = 0; i < F; i++) {
      const x = v[at + i];
      out[i] = missing(x) ? null : x;
    }
    return out;
  }

  private tryLearn(now: number): boolean {
    if (this.collected.length < this.needed) return false;
    const use = CANDIDATE_FEATURES.map((_, i) => i).filter((i) => this.collected.filter((v) => v[i] !== null && v[i] !== undefined).length >= PRESENT_SHARE * this.collected.length);
    if (!use.length) {
      this.collected = [];
      return false;
    }
    const specs = use.map((i) => CANDIDATE_FEATURES[i]);
    const rows = this.collected.filter((v) => use.every((i) => v[i] !== null && v[i] !== undefined)).map((v) => use.map((i) => v[i] as number));
    try {
      this.baseline = { ...learnBaseline(specs, rows), learnedAt: now };
    } catch {
      // Too few complete rows: keep collecting, from the most recent ones.
      this.collected.splice(0, this.collected.length - this.needed);
      return false;
    }
    this.collected = [];
    this.prepare();
    return true;
  }

  private prepare(): void {
    const b = this.baseline!;
    this.index = b.features.map((f) => CANDIDATE_FEATURES.findIndex((c) => c.name === f.name));
    const d = this.index.length;
    const f = new Float64Array(5 * d + d * d);
    for (let k = 0; k < d; k++) {
      f[k] = this.index[k];
      f[d + k] = b.median[k];
      f[2 * d + k] = 1 / b.scale[k];
      f[3 * d + k] = b.features[k].direction === 'up' ? 1 : 0;
      for (let j = 0; j < d; j++) f[4 * d + k * d + j] = b.inverse[k][j];
    }
    this.fast = f;
    this.dims = d;
  }
}
