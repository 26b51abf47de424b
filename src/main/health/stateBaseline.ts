import { z } from 'zod';
import { learnBaseline, type Baseline, type FeatureSpec } from '../vibration/anomaly';
import { departureOnCurve, fitTimeConstant, steadyRiseFor, type TauSource, type TransientPoint } from './warmUp';

// A motor's baseline, one per operating state, and how one is learned from the readings collected in that
// state. Each collected reading keeps its features plus where it sat in its thermal transient (seconds since
// the transient began and the rise it began from), so the temperature feature can be judged against the
// warm-up curve rather than as a level.

export const CANDIDATE_FEATURES: FeatureSpec[] = [
  { name: 'temperature_rise', direction: 'up', minScale: 0.1 },
  { name: 'vibration', direction: 'up', minScale: 0.0005 },
  { name: 'rpm', direction: 'both', minScale: 1, minShare: 0.02 },
  { name: 'vib_velocity', direction: 'up', minScale: 0.02 },
  { name: 'kurtosis', direction: 'up', minScale: 0.05 },
  { name: 'crest_factor', direction: 'up', minScale: 0.05 },
];
export const F = CANDIDATE_FEATURES.length;
/** A collected reading: the F features, then seconds since its transient began, then the rise it began from. */
export const ROW = F + 2;
export const RISE = 0;
export const VELOCITY = 3;

/** A feature seen in fewer of the collected readings than this share is left out. */
const PRESENT_SHARE = 0.8;

export interface StateBaseline extends Baseline {
  state: string;
  /** The steady temperature rise of this state (K over ambient), or null when temperature is not reported. */
  steadyRise: number | null;
  runningS: number;
}

export interface SavedBaseline {
  learnedAt: number;
  windowS: number;
  tauS: number;
  tauSource: TauSource;
  states: StateBaseline[];
}

const stateBaselineSchema = z.object({
  state: z.string(),
  features: z.array(z.object({ name: z.string(), direction: z.enum(['up', 'both']) })),
  median: z.array(z.number()),
  scale: z.array(z.number()),
  inverse: z.array(z.array(z.number())),
  threshold: z.number(),
  samples: z.number(),
  steadyRise: z.number().nullable(),
  runningS: z.number(),
});

/** What the store reads back: a baseline of the older one-state shape fails and is learned again. */
export const savedBaselineSchema = z.object({
  learnedAt: z.number(),
  windowS: z.number(),
  tauS: z.number().positive(),
  tauSource: z.enum(['nameplate', 'learned', 'typical']),
  states: z.array(stateBaselineSchema),
});

const isNum = (x: number) => x === x;

/** The readings of one state's collection as rows. */
export function rowsOf(block: Float64Array, kept: number): Float64Array[] {
  return Array.from({ length: kept }, (_, k) => block.subarray(k * ROW, (k + 1) * ROW));
}

export function transientPoints(rows: Float64Array[]): TransientPoint[] {
  return rows.filter((r) => isNum(r[RISE]) && isNum(r[F + 1])).map((r) => ({ rise: r[RISE], sinceS: r[F], r0: r[F + 1] }));
}

/** Tau for the motor: the nameplate's, else fitted to the collected transients, else a typical value. */
export function chooseTau(nameplateTauS: number | null, fallbackS: number, collections: Float64Array[][]): { tauS: number; tauSource: TauSource } {
  if (nameplateTauS) return { tauS: nameplateTauS, tauSource: 'nameplate' };
  const tauS = fitTimeConstant(collections.map(transientPoints));
  return tauS ? { tauS, tauSource: 'learned' } : { tauS: fallbackS, tauSource: 'typical' };
}

/**
 * Learns one state's baseline from its collected rows, the temperature feature replaced by the reading's
 * departure from the warm-up curve. Null when too few rows are complete.
 */
export function learnState(state: string, rows: Float64Array[], tauS: number, runningS: number): StateBaseline | null {
  const points = transientPoints(rows);
  const steadyRise = points.length >= PRESENT_SHARE * rows.length ? steadyRiseFor(points, tauS) : null;
  const vectors = rows.map((r) => Array.from(r.subarray(0, F)));
  vectors.forEach((v, k) => (v[RISE] = steadyRise === null ? NaN : departureOnCurve(rows[k][RISE], rows[k][F + 1], steadyRise, rows[k][F], tauS)));
  const use = CANDIDATE_FEATURES.map((_, i) => i).filter((i) => vectors.filter((v) => isNum(v[i])).length >= PRESENT_SHARE * vectors.length);
  if (!use.length) return null;
  const complete = vectors.filter((v) => use.every((i) => isNum(v[i]))).map((v) => use.map((i) => v[i]));
  try {
    const b = learnBaseline(
      use.map((i) => CANDIDATE_FEATURES[i]),
      complete,
    );
    return { ...b, state, steadyRise: use.includes(RISE) ? steadyRise : null, runningS };
  } catch {
    // Too few complete readings in this state: it keeps learning.
    return null;
  }
}
