import { describe, expect, it } from 'vitest';
import { departure, expectedRise, fitTimeConstant, ThermalTracker, type TransientPoint } from './warmUp';

describe('first-order warm-up model', () => {
  const TAU = 900;

  it('follows a warm-up along its curve: the departure stays near zero', () => {
    const tr = new ThermalTracker();
    let worst = 0;
    for (let s = 0; s <= 4 * TAU; s += 10) {
      const d = tr.step(expectedRise(0, 40, s, TAU), 40, s * 1000, TAU, 0.1);
      worst = Math.max(worst, Math.abs(d!));
    }
    expect(worst).toBeLessThan(0.05);
    expect(tr.expected).toBeCloseTo(40 * (1 - Math.exp(-4)), 1);
  });

  it('sees a rise at steady running as a departure of its full size', () => {
    const tr = new ThermalTracker();
    tr.step(40, 40, 0, TAU, 0.1);
    let d = 0;
    for (let s = 10; s <= TAU; s += 10) d = tr.step(40 + expectedRise(0, 20, s, TAU), 40, s * 1000, TAU, 0.1)!;
    expect(d).toBeCloseTo(20 * (1 - Math.exp(-1)), 1);
  });

  it('allows a quarter of the warm-up still to come, so a wrong tau does not flag a start', () => {
    // Half-way through a 40 K warm-up (20 K to come), 2 K too hot counts as 2 K x 0.1 / (0.1 + 5): tiny.
    expect(departure(22, 20, 40, 0.1)).toBeCloseTo(0.039, 3);
    // At steady state nothing is allowed beyond the spread.
    expect(departure(42, 40, 40, 0.1)).toBeCloseTo(2, 6);
  });

  it('starts again from the reading after a long gap or while there is no steady rise', () => {
    const tr = new ThermalTracker();
    tr.step(10, null, 0, TAU, 0.1);
    expect(tr.step(25, null, 10_000, TAU, 0.1)).toBe(0);
    expect(tr.expected).toBe(25);
    expect(tr.step(35, 40, 0.6 * TAU * 1000, TAU, 0.1)).toBe(0);
    expect(tr.expected).toBe(35);
  });

  it('fits tau and the steady rise from warm-ups, and declines when there is no transient', () => {
    const points = (tau: number, steady: number, r0: number): TransientPoint[] => Array.from({ length: 300 }, (_, i) => ({ sinceS: i * 20, r0, rise: expectedRise(r0, steady, i * 20, tau) + 0.05 * Math.sin(i * 7.3) }));
    const tau = fitTimeConstant([points(TAU, 40, 0), points(TAU, 25, 40)]);
    expect(tau).toBeGreaterThan(0.88 * TAU);
    expect(tau).toBeLessThan(1.12 * TAU);
    expect(fitTimeConstant([points(TAU, 40, 40)])).toBeNull();
  });
});
