import { amplitudeSpectrum, fftOf, nextPow2, type Spectrum } from './spectrum';

// Envelope analysis for rolling-element bearings (Randall & Antoni): a defect strikes the structure once per
// pass and rings its resonance; band-pass around that resonance, take the Hilbert envelope, and the
// envelope's spectrum shows the striking rate (BPFO, BPFI, …). The band is chosen by a kurtogram-lite:
// candidate bands on a 1/2-octave-of-bandwidth grid, each scored by the kurtosis of its complex envelope
// (impacts make it peaky, steady tones and noise do not); the most impulsive band wins.
// Band-pass and Hilbert transform are one step in the frequency domain: keep the band's positive-frequency
// bins, shifted down to 0 Hz, and inverse-transform them at a decimated size. |z| is unchanged by the shift.

export interface EnvelopeBand {
  lowHz: number;
  highHz: number;
  /** Kurtosis of the band's complex envelope (0 for Gaussian noise, large for repetitive impacts). */
  kurtosis: number;
}

export interface EnvelopeResult {
  band: EnvelopeBand;
  method: 'kurtogram-lite' | 'fixed';
  /** Every band scored, for the UI's kurtogram. */
  candidates: EnvelopeBand[];
  /** Spectrum of the envelope, amplitude in the samples' unit. */
  spectrum: Spectrum;
}

export interface EnvelopeOptions {
  /** Narrowest band tried: it must pass the defect frequency and a few harmonics and sidebands. */
  minBandwidthHz: number;
  /** Lowest band edge: below it shaft harmonics, not impacts, dominate. */
  minLowHz: number;
  /** Skip the search and use this band. */
  band?: { lowHz: number; highHz: number };
}

const work = new Map<number, { input: Float64Array; z: Float64Array }>();
/** Inverse FFT of bins [k0, k1] of X shifted to 0 Hz, at size m; reuses one pair of buffers per size. */
function basebandInverse(X: Float64Array, k0: number, k1: number, m: number): Float64Array {
  let w = work.get(m);
  if (!w) {
    w = { input: new Float64Array(2 * m), z: new Float64Array(2 * m) };
    work.set(m, w);
  }
  w.input.fill(0);
  w.input.set(X.subarray(2 * k0, 2 * (k1 + 1)));
  fftOf(m).inverseTransform(w.z, w.input);
  return w.z;
}

/** Kurtosis of the complex envelope of bins [k0, k1]: E|z|⁴ / (E|z|²)² − 2 over the record's own samples. */
function bandKurtosis(X: Float64Array, k0: number, k1: number, fftSize: number, n: number): number {
  const m = nextPow2(k1 - k0 + 1);
  const z = basebandInverse(X, k0, k1, m);
  const len = Math.min(m, Math.ceil((n * m) / fftSize));
  let s2 = 0;
  let s4 = 0;
  for (let i = 0; i < len; i++) {
    const p = z[2 * i] * z[2 * i] + z[2 * i + 1] * z[2 * i + 1];
    s2 += p;
    s4 += p * p;
  }
  const m2 = s2 / len;
  return m2 > 0 ? s4 / len / (m2 * m2) - 2 : 0;
}

/** |z| of bins [k0, k1] in the samples' unit, at twice the band's bins so |z| (as wide as the band) is not aliased. */
function bandEnvelope(X: Float64Array, k0: number, k1: number, fftSize: number, n: number): { env: Float64Array; fsRatio: number } {
  const m = 2 * nextPow2(k1 - k0 + 1);
  const z = basebandInverse(X, k0, k1, m);
  // Analytic band signal = (2/P) Σ X_k e^{…}; fft.js already divided by m.
  const scale = (2 * m) / fftSize;
  const len = Math.min(m, Math.ceil((n * m) / fftSize));
  const env = new Float64Array(len);
  for (let i = 0; i < len; i++) env[i] = scale * Math.sqrt(z[2 * i] * z[2 * i] + z[2 * i + 1] * z[2 * i + 1]);
  return { env, fsRatio: m / fftSize };
}

/**
 * Envelope spectrum of a record from its unwindowed, zero-padded FFT `X` (interleaved, `fftSize` points,
 * of `n` real samples at `fs`).
 */
export function envelopeAnalysis(X: Float64Array, fftSize: number, n: number, fs: number, opts: EnvelopeOptions): EnvelopeResult | null {
  const df = fs / fftSize;
  const top = 0.95 * (fs / 2); // anti-alias filters roll off near Nyquist
  const candidates: EnvelopeBand[] = [];
  if (opts.band) {
    candidates.push({ lowHz: opts.band.lowHz, highHz: Math.min(top, opts.band.highHz), kurtosis: NaN });
  } else {
    for (let width = fs / 4; width >= opts.minBandwidthHz; width /= 2) {
      for (let lo = 0; lo + width <= top + 1e-9; lo += width / 2) {
        if (lo < opts.minLowHz) continue;
        candidates.push({ lowHz: lo, highHz: lo + width, kurtosis: NaN });
      }
    }
  }
  if (!candidates.length) return null;
  const bins = (hz: number) => Math.round(hz / df);
  let best = candidates[0];
  for (const c of candidates) {
    c.kurtosis = bandKurtosis(X, bins(c.lowHz), bins(c.highHz), fftSize, n);
    if (c.kurtosis > best.kurtosis) best = c;
  }
  const { env, fsRatio } = bandEnvelope(X, bins(best.lowHz), bins(best.highHz), fftSize, n);
  let mean = 0;
  for (let i = 0; i < env.length; i++) mean += env[i];
  mean /= env.length;
  return { band: best, method: opts.band ? 'fixed' : 'kurtogram-lite', candidates, spectrum: amplitudeSpectrum(env, fs * fsRatio, mean) };
}
