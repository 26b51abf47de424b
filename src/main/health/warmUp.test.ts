import { describe, expect, it } from 'vitest';
import { departureOnCurve, expectedRise, fitTimeConstant, ThermalTracker, type TransientPoint } from './warmUp';

describe('first-order warm-up model', () => {
  const TAU = 900;

  it('follows a warm-up along its curve: the departure stays near zero', () => {
    const tr = new ThermalTracker();
    let worst = 0;
    for (let s = 0; s <= 4 * TAU; s += 10) {
      const d = tr.step(expectedRise(0, 40, s, TAU), 40, s * 1000, TAU);
      worst = Math.max(worst, Math.abs(d!));
    }
    expect(worst).toBeLessThan(0.05);
    expect(tr.expected).toBeCloseTo(40 * (1 - Math.exp(-4)), 1);
  });

  it('sees a rise at steady running as a departure of its full size', () => {
    const tr = new ThermalTracker();
    tr.step(40, 40, 0, TAU);
    let d = 0;
    for (let s = 10; s <= TAU; s += 10) d = tr.step(40 + expectedRise(0, 20, s, TAU), 40, s * 1000, TAU)!;
    expect(d).toBeCloseTo(20 * (1 - Math.exp(-1)), 1);
  });

  it('takes a warm-up whose tau is 30 % off as on the curve, and one that heads higher as off it', () => {
    for (const s of [300, 900, 1800]) {
      expect(departureOnCurve(expectedRise(0, 40, s, 1.25 * TAU), 0, 40, s, TAU)).toBe(0);
      expect(departureOnCurve(expectedRise(0, 40, s, 0.8 * TAU), 0, 40, s, TAU)).toBe(0);
    }
    // Heading for 50 K instead of 40 K: off the curve once it is well on its way.
    expect(departureOnCurve(expectedRise(0, 50, TAU, TAU), 0, 40, TAU, TAU)).toBeGreaterThan(2);
    // Cooler than every curve: negative (scored only as a rise, so no flag).
    expect(departureOnCurve(10, 0, 40, TAU, TAU)).toBeLessThan(-10);
  });

  it('starts again from the reading after a long gap or while there is no steady rise', () => {
    const tr = new ThermalTracker();
    tr.step(10, null, 0, TAU);
    expect(tr.step(25, null, 10_000, TAU)).toBe(0);
    expect(tr.expected).toBe(25);
    expect(tr.step(35, 40, 0.6 * TAU * 1000, TAU)).toBe(0);
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
