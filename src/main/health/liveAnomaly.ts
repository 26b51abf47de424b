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
export type FeatureVector = Array<number | null>;

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
  private collected: FeatureVector[] = [];
  /** The last `needed` readings, a ring of reused rows, for "learn baseline now". */
  private readonly recent: FeatureVector[];
  private recentNext = 0;
  private recentCount = 0;
  private run = 0;
  private flagged = false;
  private index: number[] = [];
  private fast = { z: new Float64Array(0), median: new Float64Array(0), scale: new Float64Array(0), up: new Uint8Array(0), inverse: new Float64Array(0) };
  last: { score: number; abnormal: boolean; drivers: { feature: string; z: number }[] } | null = null;

  constructor(
    public baseline: (Baseline & { learnedAt: number }) | null = null,
    private readonly needed = BASELINE_READINGS,
  ) {
    this.recent = Array.from({ length: needed }, () => CANDIDATE_FEATURES.map(() => null));
    if (baseline) this.prepare();
  }

  private keep(v: FeatureVector): void {
    const row = this.recent[this.recentNext];
    for (let i = 0; i < row.length; i++) row[i] = v[i];
    this.recentNext = (this.recentNext + 1) % this.needed;
    this.recentCount = Math.min(this.needed, this.recentCount + 1);
  }

  /** Starts learning afresh: from the recent readings when there are enough, otherwise from the next ones. */
  relearn(now: number): boolean {
    const n = Math.min(this.recentCount, this.needed);
    this.collected = Array.from({ length: n }, (_, k) => [...this.recent[(this.recentNext - n + k + this.needed) % this.needed]]);
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
      this.collected.push([...v]);
      this.tryLearn(now);
      return null;
    }
    const b = this.baseline;
    // Hot path: flat typed arrays, no allocation; drivers are worked out only when the reading is abnormal.
    const { z, median, scale, up, inverse } = this.fast;
    const d = z.length;
    for (let k = 0; k < d; k++) {
      const x = v[this.index[k]];
      const zk = x === null || x === undefined ? 0 : (x - median[k]) / scale[k];
      z[k] = up[k] && zk < 0 ? 0 : zk;
    }
    let s = 0;
    for (let i = 0; i < d; i++) {
      const zi = z[i];
      let row = 0;
      for (let j = 0; j < d; j++) row += inverse[i * d + j] * z[j];
      s += zi * row;
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
    return this.index.map((i, k) => v[i] ?? this.baseline!.median[k]);
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
    this.fast = {
      z: new Float64Array(this.index.length),
      median: Float64Array.from(b.median),
      scale: Float64Array.from(b.scale),
      up: Uint8Array.from(b.features, (f) => (f.direction === 'up' ? 1 : 0)),
      inverse: Float64Array.from(b.inverse.flat()),
    };
  }
}
