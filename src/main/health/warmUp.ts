// The motor's temperature rise as a first-order thermal model, so a motor warming up after a start is told from
// one running hot: the frame's rise over ambient approaches the steady rise of its operating state with the
// thermal time constant tau, rise(t) = r0 + (rSteady - r0) (1 - exp(-t / tau)). What is scored is the reading's
// departure from that curve, not the rise itself. Tau comes from the nameplate, else it is fitted to the
// warm-ups seen while the baseline was learned, else a typical value for small and medium motors.

/** A typical thermal time constant of a totally enclosed fan-cooled motor of 1-100 kW (IEC frames 90-280). */
export const DEFAULT_TAU_S = 30 * 60;
/** The model is as good as its tau: readings between the curves of tau / 1.3 and tau x 1.3 are on the curve. */
const TAU_SLACK = 1.3;
/** After a gap in the readings longer than this many time constants the model starts again from the reading. */
const GAP_TAUS = 0.5;

export type TauSource = 'nameplate' | 'learned' | 'typical';

export const expectedRise = (r0: number, steady: number, sinceS: number, tauS: number) => r0 + (steady - r0) * (1 - Math.exp(-sinceS / tauS));

/** How far a rise lies outside the band of expected rises: above its top (positive), below its bottom
 * (negative), or 0 within it. */
export function departure(rise: number, a: number, b: number, c: number): number {
  const top = Math.max(a, b, c);
  const bottom = Math.min(a, b, c);
  return rise > top ? rise - top : rise < bottom ? rise - bottom : 0;
}

/** The departure of a reading from the band of warm-up curves for tau / 1.3, tau and tau x 1.3. */
export const departureOnCurve = (rise: number, r0: number, steady: number, sinceS: number, tauS: number) =>
  departure(rise, expectedRise(r0, steady, sinceS, tauS / TAU_SLACK), expectedRise(r0, steady, sinceS, tauS), expectedRise(r0, steady, sinceS, tauS * TAU_SLACK));

/**
 * Follows the expected rise reading by reading: the first-order model driven by the steady rise of the state
 * the motor is in, for tau and for tau / 1.3 and tau x 1.3 beside it. Without a steady rise (a stopped motor, a
 * state still being learned) it follows the reading, so a later start or a change of load begins from where the
 * motor really is.
 */
export class ThermalTracker {
  /** The expected rise, NaN before the first reading. */
  private e = NaN;
  private fast = 0;
  private slow = 0;
  private lastTs = 0;
  /** The curves' step factors for the last step's interval and tau: readings at a steady rate reuse them. */
  private k = { dt: NaN, tauS: NaN, e: 0, fast: 0, slow: 0 };

  /** The rise the model expects now, or null before the first reading. */
  get expected(): number | null {
    return this.e === this.e ? this.e : null;
  }

  /** The reading's departure from the band of curves; null: no rise. */
  step(rise: number | null, steady: number | null, ts: number, tauS: number): number | null {
    return rise === null ? null : this.departureOf(rise, steady ?? NaN, ts, tauS);
  }

  /** `step` for a rise that is there, with NaN for no steady rise. */
  departureOf(rise: number, steady: number, ts: number, tauS: number): number {
    const dt = (ts - this.lastTs) / 1000;
    this.lastTs = ts;
    if (this.e !== this.e || steady !== steady || dt > GAP_TAUS * tauS || dt < 0) {
      this.e = this.fast = this.slow = rise;
      return 0;
    }
    const k = this.k;
    if (dt !== k.dt || tauS !== k.tauS) {
      k.dt = dt;
      k.tauS = tauS;
      k.e = 1 - Math.exp(-dt / tauS);
      k.fast = 1 - Math.exp((-dt * TAU_SLACK) / tauS);
      k.slow = 1 - Math.exp(-dt / (tauS * TAU_SLACK));
    }
    this.e += (steady - this.e) * k.e;
    this.fast += (steady - this.fast) * k.fast;
    this.slow += (steady - this.slow) * k.slow;
    return departure(rise, this.fast, this.e, this.slow);
  }
}

/** One reading of a transient: its rise, the time since the transient began and the rise it began from. */
export interface TransientPoint {
  rise: number;
  sinceS: number;
  r0: number;
}

const GRID = Array.from({ length: 61 }, (_, i) => 30 * Math.pow(2, i / 6)); // 30 s to 8.5 h, 12 % apart
/** A transient smaller than this (K) says nothing about tau. */
const MIN_TRANSIENT_K = 3;

/** Least-squares steady rise for a known tau: rise - r0 e^(-s/tau) = steady (1 - e^(-s/tau)). Null when the
 * points all sit at the start of their transients (they say nothing about where it ends). */
export function steadyRiseFor(points: TransientPoint[], tauS: number): number | null {
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    const e = Math.exp(-p.sinceS / tauS);
    sxy += (1 - e) * (p.rise - p.r0 * e);
    sxx += (1 - e) * (1 - e);
  }
  return sxx > 1e-3 * points.length ? sxy / sxx : null;
}

/**
 * Least-squares tau from transient points grouped by operating state (each group its own steady rise): the
 * best of a log grid. Null when no transient is big enough, or the best tau is at the grid's edge (the data
 * does not pin it down).
 */
export function fitTimeConstant(groups: TransientPoint[][]): number | null {
  if (!groups.some((g) => g.some((p) => Math.abs(p.rise - p.r0) >= MIN_TRANSIENT_K))) return null;
  let best = -1;
  let bestSse = Infinity;
  GRID.forEach((tauS, at) => {
    let sse = 0;
    for (const g of groups) {
      const s = steadyRiseFor(g, tauS);
      if (s !== null) for (const p of g) sse += (p.rise - expectedRise(p.r0, s, p.sinceS, tauS)) ** 2;
    }
    if (sse < bestSse) {
      bestSse = sse;
      best = at;
    }
  });
  return best > 0 && best < GRID.length - 1 ? GRID[best] : null;
}
