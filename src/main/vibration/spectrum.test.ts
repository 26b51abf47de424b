import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amplitudeSpectrum, hannCacheSize, KEPT_FFT_SIZE, pickPeaks, reused, type PeakOptions } from './spectrum';

/** Sub-bin position: the parabola through the log amplitudes around bin k. */
function refined(a: Float64Array, k: number): number {
  if (a[k - 1] <= 0 || a[k] <= 0 || a[k + 1] <= 0) return k;
  const [l, c, r] = [Math.log(a[k - 1]), Math.log(a[k]), Math.log(a[k + 1])];
  const d = l - 2 * c + r;
  return d < 0 ? k + (0.5 * (l - r)) / d : k;
}

/** What pickPeaks promises, written the plain way: every local maximum ranked, then the separation rule. */
function everyMaximumRanked(a: Float64Array, df: number, opts: PeakOptions) {
  const k0 = Math.max(1, Math.ceil((opts.minHz ?? df) / df));
  const k1 = Math.min(a.length - 2, Math.floor((opts.maxHz ?? Infinity) / df));
  const ks: number[] = [];
  for (let k = k0; k <= k1; k++) if (a[k] > a[k - 1] && a[k] >= a[k + 1]) ks.push(k);
  ks.sort((p, q) => a[q] - a[p]);
  const sep = opts.minSeparationHz ?? 3 * df;
  const chosen: { hz: number; amplitude: number }[] = [];
  for (const k of ks) {
    const hz = refined(a, k) * df;
    if (chosen.some((p) => Math.abs(p.hz - hz) < sep)) continue;
    chosen.push({ hz, amplitude: a[k] });
    if (chosen.length >= opts.count) break;
  }
  return chosen;
}

describe('spectrum peaks', () => {
  it('picks the same peaks as ranking every local maximum, ties in bin order, also when the separation rule drops most of them', () => {
    // Small integer amplitudes make ties common; a wide separation makes the first ranked few run out.
    const spectra = fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 3, maxLength: 3000 }).map((xs) => Float64Array.from(xs));
    const options = fc.record({ count: fc.integer({ min: 1, max: 30 }), minHz: fc.double({ min: 0, max: 50, noNaN: true }), minSeparationHz: fc.double({ min: 0, max: 400, noNaN: true }) });
    fc.assert(
      fc.property(spectra, options, (a, opts) => {
        expect(pickPeaks(a, 1, opts)).toEqual(everyMaximumRanked(a, 1, opts));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a bounded number of windows however many record lengths it sees (an engine analyses records all day)', () => {
    for (let n = 300; n < 400; n++) amplitudeSpectrum(Float64Array.from({ length: n }, (_, i) => Math.sin(i)), 1000);
    expect(hannCacheSize()).toBeLessThanOrEqual(8);
    const s = amplitudeSpectrum(Float64Array.from({ length: 1024 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 100 * i) / 1024)), 1024);
    expect(pickPeaks(s.amplitude, s.df, { count: 1 })[0].amplitude).toBeCloseTo(0.5, 2);
  });

  it('keeps tables and buffers for transforms up to KEPT_FFT_SIZE points and makes longer ones afresh each time', () => {
    const cache = new Map<number, Float64Array>();
    const small = reused(cache, 1024, 1024, () => new Float64Array(1024));
    expect(reused(cache, 1024, 1024, () => new Float64Array(1024))).toBe(small);
    const big = 4 * KEPT_FFT_SIZE;
    expect(reused(cache, big, big, () => new Float64Array(1))).not.toBe(reused(cache, big, big, () => new Float64Array(1)));
    expect([...cache.keys()]).toEqual([1024]);
  });
});
