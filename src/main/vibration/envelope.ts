import { amplitudeSpectrum, fftOf, nextPow2, reused, type Spectrum } from './spectrum';

// Envelope analysis for rolling-element bearings (Randall & Antoni, "Rolling element bearing diagnostics -
// a tutorial", MSSP 2011): a defect strikes the structure once per pass and rings its resonance; band-pass
// around that resonance, take the Hilbert envelope, and the envelope's spectrum shows the striking rate
// (BPFO, BPFI, 2 x BSF …).
// - Cepstral pre-whitening (Sawalhi & Randall; Borghesani et al. 2013) first, when asked: the real cepstrum
//   zeroed except at zero quefrency is a spectrum of unit amplitude with the phase kept, X / |X|. Shaft,
//   gear-like and electrical lines, which would dominate both the band choice and the envelope, lose their
//   height; the impacts' phase coherence survives. Smith & Randall 2015 found it the method that separates
//   ball faults on the CWRU data where any method does.
// - Band choice by spectral kurtosis on a kurtogram grid (Antoni 2007): band widths fs/4, fs/8, fs/16 … (the
//   dyadic levels of the fast kurtogram; its 1/3 levels changed no CWRU verdict and doubled the search), each
//   band at half-width steps, scored by the kurtosis of its complex envelope (impacts make it peaky, steady
//   tones and noise do not). The kurtosis is the median over segments a few revolutions long: a repetitive
//   fault is impulsive in every segment, an isolated glitch (the CWRU 48 kHz records have some) in one only.
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
  method: 'fast-kurtogram' | 'fixed';
  /** True when the record was cepstrally pre-whitened: envelope amplitudes are then relative, not in g. */
  whitened: boolean;
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
  /** Segments the band kurtosis is the median over (each should hold several revolutions). */
  segments: number;
  /** Pre-whiten the record (CPW) before the band search and the envelope. */
  whiten?: boolean;
  /** Search the band on this shorter stretch of the record (its FFT, size and length): the resonance is the same. */
  search?: { X: Float64Array; fftSize: number; n: number };
}

/**
 * Cepstral pre-whitening of a spectrum: unit amplitude, phase kept; the mean (DC) is dropped. Bins 1 to
 * size/2 (all a real record's FFT holds); into `out` when given, so one analysis after another reuses it.
 */
export function cepstralPrewhiten(X: Float64Array, out: Float64Array = new Float64Array(X.length)): Float64Array {
  const half = X.length / 4;
  for (let k = 1; k <= half; k++) {
    const m = Math.sqrt(X[2 * k] * X[2 * k] + X[2 * k + 1] * X[2 * k + 1]);
    out[2 * k] = m > 0 ? X[2 * k] / m : 0;
    out[2 * k + 1] = m > 0 ? X[2 * k + 1] / m : 0;
  }
  return out;
}

/** Pre-whitened spectra of the record and of its search stretch, by FFT size. */
const whitened = { record: new Map<number, Float64Array>(), search: new Map<number, Float64Array>() };
const whitenedOf = (X: Float64Array, use: keyof typeof whitened) => cepstralPrewhiten(X, reused(whitened[use], X.length / 2, X.length / 2, () => new Float64Array(X.length)));

const work = new Map<number, { input: Float64Array; z: Float64Array }>();
/** Inverse FFT of bins [k0, k1] of X shifted to 0 Hz, at size m; reuses one pair of buffers per size. */
function basebandInverse(X: Float64Array, k0: number, k1: number, m: number): Float64Array {
  const w = reused(work, m, m, () => ({ input: new Float64Array(2 * m), z: new Float64Array(2 * m) }));
  w.input.set(X.subarray(2 * k0, 2 * (k1 + 1)));
  w.input.fill(0, 2 * (k1 - k0 + 1));
  fftOf(m).inverseTransform(w.z, w.input);
  return w.z;
}

/** Kurtosis of the complex envelope of bins [k0, k1], E|z|⁴ / (E|z|²)² − 2, median over `segments` of the record. */
function bandKurtosis(X: Float64Array, k0: number, k1: number, fftSize: number, n: number, segments: number): number {
  const m = nextPow2(k1 - k0 + 1);
  const z = basebandInverse(X, k0, k1, m);
  const len = Math.min(m, Math.ceil((n * m) / fftSize));
  const per = Math.max(1, Math.floor(len / segments));
  const ks: number[] = [];
  for (let s0 = 0; s0 + per <= len; s0 += per) {
    let s2 = 0;
    let s4 = 0;
    for (let i = s0; i < s0 + per; i++) {
      const p = z[2 * i] * z[2 * i] + z[2 * i + 1] * z[2 * i + 1];
      s2 += p;
      s4 += p * p;
    }
    const m2 = s2 / per;
    ks.push(m2 > 0 ? s4 / per / (m2 * m2) - 2 : 0);
  }
  ks.sort((a, b) => a - b);
  return ks.length % 2 ? ks[ks.length >> 1] : (ks[ks.length / 2 - 1] + ks[ks.length / 2]) / 2;
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
export function envelopeAnalysis(spectrumX: Float64Array, fftSize: number, n: number, fs: number, opts: EnvelopeOptions): EnvelopeResult | null {
  const X = opts.whiten ? whitenedOf(spectrumX, 'record') : spectrumX;
  const search = opts.search ?? { X: spectrumX, fftSize, n };
  const searchX = search.X === spectrumX ? X : opts.whiten ? whitenedOf(search.X, 'search') : search.X;
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
  const searchBins = (hz: number) => Math.round((hz * search.fftSize) / fs);
  let best = candidates[0];
  for (const c of candidates) {
    c.kurtosis = bandKurtosis(searchX, searchBins(c.lowHz), searchBins(c.highHz), search.fftSize, search.n, opts.segments);
    if (c.kurtosis > best.kurtosis) best = c;
  }
  const { env, fsRatio } = bandEnvelope(X, bins(best.lowHz), bins(best.highHz), fftSize, n);
  let mean = 0;
  for (let i = 0; i < env.length; i++) mean += env[i];
  mean /= env.length;
  return { band: best, method: opts.band ? 'fixed' : 'fast-kurtogram', whitened: !!opts.whiten, candidates, spectrum: amplitudeSpectrum(env, fs * fsRatio, mean) };
}
