import FFT from 'fft.js';

// Spectra with fft.js. Records are zero-padded to the next power of two (fft.js needs one); amplitudes are
// corrected with the window's own sum, so a sine of amplitude A reads A whatever the padding.

export interface Peak {
  hz: number;
  amplitude: number;
}

export interface Spectrum {
  /** Bin spacing in Hz (fs / fftSize). */
  df: number;
  fftSize: number;
  /** Single-sided peak amplitude per bin, in the samples' unit (g for acceleration). */
  amplitude: Float64Array;
  /** Sum of |X_k|² over a band, scaled to mean-square: see `bandPower`. */
  powerScale: number;
}

const ffts = new Map<number, FFT>();
/** fft.js instances keep their twiddle tables: one per size, reused. */
export function fftOf(size: number): FFT {
  let f = ffts.get(size);
  if (!f) {
    f = new FFT(size);
    ffts.set(size, f);
  }
  return f;
}

export const nextPow2 = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(2, n)));

const hanns = new Map<number, Float64Array>();
/** Periodic Hann window of length n. */
export function hann(n: number): Float64Array {
  let w = hanns.get(n);
  if (!w) {
    w = new Float64Array(n);
    for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
    hanns.set(n, w);
  }
  return w;
}

/** Forward real FFT of `x` (times `window` when given), zero-padded to `size`; returns interleaved re/im. */
export function realFft(x: ArrayLike<number>, size: number, window?: Float64Array, mean = 0): Float64Array {
  const input = new Float64Array(size);
  const n = Math.min(x.length, size);
  if (window) for (let i = 0; i < n; i++) input[i] = (x[i] - mean) * window[i];
  else for (let i = 0; i < n; i++) input[i] = x[i] - mean;
  const out = new Float64Array(2 * size);
  fftOf(size).realTransform(out, input);
  return out;
}

/** Hann-windowed, amplitude-corrected single-sided spectrum of `samples` (mean removed). */
export function amplitudeSpectrum(samples: ArrayLike<number>, fs: number, mean = 0): Spectrum {
  const n = samples.length;
  const size = nextPow2(n);
  const w = hann(n);
  let sumW = 0;
  let sumW2 = 0;
  for (let i = 0; i < n; i++) {
    sumW += w[i];
    sumW2 += w[i] * w[i];
  }
  const X = realFft(samples, size, w, mean);
  const bins = size / 2 + 1;
  const amplitude = new Float64Array(bins);
  const scale = 2 / sumW;
  for (let k = 0; k < bins; k++) amplitude[k] = scale * Math.sqrt(X[2 * k] * X[2 * k] + X[2 * k + 1] * X[2 * k + 1]);
  amplitude[0] /= 2;
  // Mean square of a band = Σ|X_k|² · 2 / (size · Σw²) = Σ amplitude_k² · sumW² / (2 · size · Σw²).
  return { df: fs / size, fftSize: size, amplitude, powerScale: (sumW * sumW) / (2 * size * sumW2) };
}

/** Mean-square of the signal between lo and hi Hz, each bin weighted by `weight(f)` (e.g. 1/ω² for velocity). */
export function bandPower(s: Spectrum, loHz: number, hiHz: number, weight: (hz: number) => number = () => 1): number {
  const k0 = Math.max(1, Math.ceil(loHz / s.df));
  const k1 = Math.min(s.amplitude.length - 1, Math.floor(hiHz / s.df));
  let sum = 0;
  for (let k = k0; k <= k1; k++) sum += s.amplitude[k] * s.amplitude[k] * weight(k * s.df);
  return sum * s.powerScale;
}

/** Largest amplitude within ±tolHz of hz, with its refined frequency. */
export function peakNear(amplitude: Float64Array, df: number, hz: number, tolHz: number): Peak {
  const k0 = Math.max(1, Math.floor((hz - tolHz) / df));
  const k1 = Math.min(amplitude.length - 2, Math.ceil((hz + tolHz) / df));
  let best = k0;
  for (let k = k0; k <= k1; k++) if (amplitude[k] > amplitude[best]) best = k;
  return { hz: refine(amplitude, best) * df, amplitude: amplitude[best] };
}

/** Median amplitude within ±spanHz of hz, leaving out ±gapHz around it: the local noise floor. */
export function floorNear(amplitude: Float64Array, df: number, hz: number, spanHz: number, gapHz: number): number {
  const k0 = Math.max(1, Math.floor((hz - spanHz) / df));
  const k1 = Math.min(amplitude.length - 1, Math.ceil((hz + spanHz) / df));
  if (k1 < k0) return 0;
  // A typed array sorts numerically without a comparator, several times faster than number[] with one.
  const vals = new Float64Array(k1 - k0 + 1);
  let m = 0;
  for (let k = k0; k <= k1; k++) if (Math.abs(k * df - hz) > gapHz) vals[m++] = amplitude[k];
  if (!m) return 0;
  return vals.subarray(0, m).sort()[m >> 1];
}

/** Sub-bin peak position by a parabola through the log amplitudes (near-exact for a Hann main lobe). */
function refine(a: Float64Array, k: number): number {
  if (k <= 0 || k >= a.length - 1 || a[k] <= 0 || a[k - 1] <= 0 || a[k + 1] <= 0) return k;
  const l = Math.log(a[k - 1]);
  const c = Math.log(a[k]);
  const r = Math.log(a[k + 1]);
  const d = l - 2 * c + r;
  return d < 0 ? k + (0.5 * (l - r)) / d : k;
}

export interface PeakOptions {
  count: number;
  minHz?: number;
  maxHz?: number;
  /** Peaks closer than this to a stronger one are dropped (Hz). */
  minSeparationHz?: number;
}

/** The strongest local maxima, strongest first. */
export function pickPeaks(amplitude: Float64Array, df: number, opts: PeakOptions): Peak[] {
  const k0 = Math.max(1, Math.ceil((opts.minHz ?? df) / df));
  const k1 = Math.min(amplitude.length - 2, Math.floor((opts.maxHz ?? Infinity) / df));
  const candidates: number[] = [];
  for (let k = k0; k <= k1; k++) if (amplitude[k] > amplitude[k - 1] && amplitude[k] >= amplitude[k + 1]) candidates.push(k);
  candidates.sort((a, b) => amplitude[b] - amplitude[a]);
  const sep = opts.minSeparationHz ?? 3 * df;
  const chosen: Peak[] = [];
  for (const k of candidates) {
    const hz = refine(amplitude, k) * df;
    if (chosen.some((p) => Math.abs(p.hz - hz) < sep)) continue;
    chosen.push({ hz, amplitude: amplitude[k] });
    if (chosen.length >= opts.count) break;
  }
  return chosen;
}
