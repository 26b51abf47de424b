// The motor's temperature rise as a first-order thermal model, so a motor warming up after a start is told from
// one running hot: the frame's rise over ambient approaches the steady rise of its operating state with the
// thermal time constant tau, rise(t) = r0 + (rSteady - r0) (1 - exp(-t / tau)). What is scored is the reading's
// departure from that curve, not the rise itself. Tau comes from the nameplate, else it is fitted to the
// warm-ups seen while the baseline was learned, else a typical value for small and medium motors.

/** A typical thermal time constant of a totally enclosed fan-cooled motor of 1-100 kW (IEC frames 90-280). */
export const DEFAULT_TAU_S = 30 * 60;
/** The model is as good as its tau (±30 % is typical), which errs by up to ~10 % of a warm-up's size: a
 * quarter of the rise still to come is allowed on top of the baseline's own spread. */
const TRANSIENT_ALLOWANCE = 0.25;
/** After a gap in the readings longer than this many time constants the model starts again from the reading. */
const GAP_TAUS = 0.5;

export type TauSource = 'nameplate' | 'learned' | 'typical';

export const expectedRise = (r0: number, steady: number, sinceS: number, tauS: number) => r0 + (steady - r0) * (1 - Math.exp(-sinceS / tauS));

/**
 * Follows the expected rise reading by reading: the first-order model driven by the steady rise of the state
 * the motor is in. Without a steady rise (a stopped motor, a state still being learned) it follows the reading,
 * so a later start or a change of load begins from where the motor really is.
 */
export class ThermalTracker {
  /** The rise the model expects now, or null before the first reading. */
  expected: number | null = null;
  private lastTs = 0;

  /** The reading's departure from the curve, shrunk while much of a warm-up is still to come; null: no rise. */
  step(rise: number | null, steady: number | null, ts: number, tauS: number, spread: number): number | null {
    if (rise === null) return null;
    const dt = (ts - this.lastTs) / 1000;
    this.lastTs = ts;
    if (this.expected === null || steady === null || dt > GAP_TAUS * tauS || dt < 0) {
      this.expected = rise;
      return 0;
    }
    this.expected += (steady - this.expected) * (1 - Math.exp(-dt / tauS));
    return departure(rise, this.expected, steady, spread);
  }

  reset(): void {
    this.expected = null;
  }
}

/** rise - expected, scaled down while |steady - expected| (the warm-up still to come) is large against spread. */
export function departure(rise: number, expected: number, steady: number, spread: number): number {
  const allowance = TRANSIENT_ALLOWANCE * Math.abs(steady - expected);
  return ((rise - expected) * spread) / (spread + allowance);
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
