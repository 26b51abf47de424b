// Anomaly detection against a learned baseline: each feature is centred on its baseline median and scaled by
// its MAD (robust to the odd bad reading inside the baseline), then the vector's Mahalanobis distance is taken
// with the baseline's correlation (shrunk towards identity so it stays invertible with few samples).
// A flag needs the score above the threshold for `persist` consecutive readings: one spike is not a fault.

export interface FeatureSpec {
  name: string;
  /** 'up' scores only rises (vibration, temperature rise); 'both' scores any departure (speed). */
  direction: 'up' | 'both';
  /** The scale never drops below this (a quantised or steady reading would otherwise make its MAD zero). */
  minScale?: number;
  /** ... nor below this share of the median (a drive holding speed within a few per cent is not a fault). */
  minShare?: number;
}

export interface Baseline {
  features: FeatureSpec[];
  median: number[];
  /** MAD x 1.4826: the standard deviation for normal data. */
  scale: number[];
  /** Inverse of the shrunk correlation matrix of the robust z-scores. */
  inverse: number[][];
  /** Score above which a reading counts as abnormal. */
  threshold: number;
  samples: number;
}

export interface AnomalyScore {
  score: number;
  abnormal: boolean;
  /** Robust z per feature, largest |z| first: what drove the score. */
  drivers: { feature: string; z: number }[];
}

const SHRINK = 0.2;
const MIN_SCALE = 1e-9;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function invert(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const d = m[c][c];
    for (let j = 0; j < 2 * n; j++) m[c][j] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c];
      for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row) => row.slice(n));
}

function zScores(b: Pick<Baseline, 'features' | 'median' | 'scale'>, v: number[]): number[] {
  return v.map((x, i) => {
    const z = (x - b.median[i]) / b.scale[i];
    return b.features[i].direction === 'up' ? Math.max(0, z) : z;
  });
}

function distance(inverse: number[][], z: number[]): number {
  let s = 0;
  for (let i = 0; i < z.length; i++) for (let j = 0; j < z.length; j++) s += z[i] * inverse[i][j] * z[j];
  return Math.sqrt(Math.max(0, s));
}

/**
 * Learns the baseline from readings taken while the machine was known good. The threshold is the larger of
 * `minThreshold` and 1.5 x the baseline's own 99th-percentile score.
 */
export function learnBaseline(features: FeatureSpec[], vectors: number[][], minThreshold = 6): Baseline {
  const d = features.length;
  if (vectors.length < Math.max(20, 5 * d)) throw new Error(`a baseline needs at least ${Math.max(20, 5 * d)} readings, got ${vectors.length}`);
  const med = features.map((_, i) => median(vectors.map((v) => v[i])));
  const scale = features.map((f, i) =>
    Math.max(MIN_SCALE, f.minScale ?? 0, Math.abs(med[i]) * (f.minShare ?? 1e-6), 1.4826 * median(vectors.map((v) => Math.abs(v[i] - med[i])))),
  );
  const z = vectors.map((v) => v.map((x, i) => (x - med[i]) / scale[i]));
  const corr = features.map((_, i) =>
    features.map((__, j) => {
      if (i === j) return 1;
      let sij = 0;
      let sii = 0;
      let sjj = 0;
      for (const r of z) {
        sij += r[i] * r[j];
        sii += r[i] * r[i];
        sjj += r[j] * r[j];
      }
      return (1 - SHRINK) * (sii > 0 && sjj > 0 ? sij / Math.sqrt(sii * sjj) : 0);
    }),
  );
  const inverse = invert(corr);
  const partial = { features, median: med, scale };
  const scores = vectors.map((v) => distance(inverse, zScores(partial, v))).sort((a, b) => a - b);
  const p99 = scores[Math.min(scores.length - 1, Math.floor(0.99 * scores.length))];
  return { ...partial, inverse, threshold: Math.max(minThreshold, 1.5 * p99), samples: vectors.length };
}

export function scoreAnomaly(b: Baseline, v: number[]): AnomalyScore {
  const z = zScores(b, v);
  const score = distance(b.inverse, z);
  const drivers = b.features.map((f, i) => ({ feature: f.name, z: (v[i] - b.median[i]) / b.scale[i] })).sort((a, c) => Math.abs(c.z) - Math.abs(a.z));
  return { score, abnormal: score > b.threshold, drivers };
}

export interface AnomalyFlag {
  /** Index of the reading that raised the flag (the last of the persisting run). */
  index: number;
  score: number;
  drivers: { feature: string; z: number }[];
  message: string;
}

/** Online flagging: a flag is raised once the score has stayed abnormal for `persist` readings, and cleared when it returns. */
export class AnomalyMonitor {
  private run = 0;
  private flagged = false;
  private index = -1;

  constructor(
    readonly baseline: Baseline,
    readonly persist = 3,
  ) {}

  /** Scores one reading; returns a flag when this reading raises one. */
  push(v: number[]): { score: AnomalyScore; flag: AnomalyFlag | null } {
    this.index++;
    const score = scoreAnomaly(this.baseline, v);
    this.run = score.abnormal ? this.run + 1 : 0;
    if (!score.abnormal) this.flagged = false;
    if (this.flagged || this.run < this.persist) return { score, flag: null };
    this.flagged = true;
    const top = score.drivers.filter((d) => Math.abs(d.z) >= 3).slice(0, 3);
    const message = `abnormal for ${this.persist} readings (score ${score.score.toFixed(1)} over ${this.baseline.threshold.toFixed(1)}): ${top.map((d) => `${d.feature} ${d.z >= 0 ? '+' : ''}${d.z.toFixed(1)} sigma`).join(', ')}`;
    return { score, flag: { index: this.index, score: score.score, drivers: top, message } };
  }
}

/**
 * Vibration of bearing `i` relative to the loudest other bearing on the same machine (log ratio). Vibration
 * travels through the frame and is strongest near its source: when a neighbour fails every sensor rises, but
 * only the failing bearing rises against the loudest of the others. Scoring this, not the raw level, keeps
 * transmitted vibration from flagging healthy bearings.
 */
export function bearingExcess(levels: number[], i: number): number {
  let loudest = 0;
  for (let j = 0; j < levels.length; j++) if (j !== i) loudest = Math.max(loudest, levels[j]);
  return Math.log(levels[i] / loudest);
}
