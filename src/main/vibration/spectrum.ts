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

/**
 * Largest transform whose tables and buffers are kept for the next record: 2^16 points (2.6 s at 25.6 kHz,
 * more than a board's block). A longer record (an import, a CWRU file) gets its own, freed with it, so one long
 * analysis does not leave tens of MB held for the rest of the day.
 */
export const KEPT_FFT_SIZE = 65536;

/** `cache`'s entry for `key`, made once, when the transform is `size` points or fewer; else a new one, not kept. */
export function reused<T>(cache: Map<number, T>, key: number, size: number, make: () => T): T {
  if (size > KEPT_FFT_SIZE) return make();
  let v = cache.get(key);
  if (v === undefined) {
    v = make();
    cache.set(key, v);
  }
  return v;
}

const ffts = new Map<number, FFT>();
/** fft.js instances keep their twiddle tables: one per size, reused. */
export const fftOf = (size: number): FFT => reused(ffts, size, size, () => new FFT(size));

export const nextPow2 = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(2, n)));

/** A periodic Hann window with the sums the amplitude and power corrections need. */
interface Window {
  w: Float64Array;
  sum: number;
  sumSquares: number;
}

/** Windows by length; records come in any length (imports, recordings), so only the last few short ones are kept. */
const hanns = new Map<number, Window>();
const HANN_CACHE = 8;

function hannWindow(n: number): Window {
  let win = hanns.get(n);
  if (win) return win;
  const w = new Float64Array(n);
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < n; i++) {
    w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
    sum += w[i];
    sumSquares += w[i] * w[i];
  }
  win = { w, sum, sumSquares };
  if (n > KEPT_FFT_SIZE) return win;
  if (hanns.size >= HANN_CACHE) hanns.delete(hanns.keys().next().value!);
  hanns.set(n, win);
  return win;
}

/** Periodic Hann window of length n. */
export const hann = (n: number): Float64Array => hannWindow(n).w;

/** How many windows are cached (bounded: a test checks it). */
export const hannCacheSize = () => hanns.size;

// Scratch arrays for what never leaves this module (a transform's input, a spectrum read at once), by FFT size.
const inputs = new Map<number, Float64Array>();
const outputs = new Map<number, Float64Array>();

/**
 * Forward real FFT of `x` (times `window` when given), zero-padded to `size`; returns interleaved re/im,
 * bins 0 to size/2 (into `out` when given: the bins above are left as they were).
 */
export function realFft(x: ArrayLike<number>, size: number, window?: Float64Array, mean = 0, out: Float64Array = new Float64Array(2 * size)): Float64Array {
  return transformInto(out, x, size, window, mean);
}

/** fft.js fills only the left half of `out` (bins 0 to size/2), which is all that is read here. */
function transformInto(out: Float64Array, x: ArrayLike<number>, size: number, window: Float64Array | undefined, mean: number): Float64Array {
  const input = reused(inputs, size, size, () => new Float64Array(size));
  const n = Math.min(x.length, size);
  if (window) for (let i = 0; i < n; i++) input[i] = (x[i] - mean) * window[i];
  else for (let i = 0; i < n; i++) input[i] = x[i] - mean;
  input.fill(0, n);
  fftOf(size).realTransform(out, input);
  return out;
}

/** Hann-windowed, amplitude-corrected single-sided spectrum of `samples` (mean removed). */
export function amplitudeSpectrum(samples: ArrayLike<number>, fs: number, mean = 0): Spectrum {
  const n = samples.length;
  const size = nextPow2(n);
  const { w, sum: sumW, sumSquares: sumW2 } = hannWindow(n);
  const X = transformInto(reused(outputs, size, size, () => new Float64Array(2 * size)), samples, size, w, mean);
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

/** Local maxima ranked before the separation rule; all are ranked only when these run out. */
const RANKED_FIRST = 64;

/** The strongest local maxima, strongest first. */
export function pickPeaks(amplitude: Float64Array, df: number, opts: PeakOptions): Peak[] {
  const k0 = Math.max(1, Math.ceil((opts.minHz ?? df) / df));
  const k1 = Math.min(amplitude.length - 2, Math.floor((opts.maxHz ?? Infinity) / df));
  // A spectrum has thousands of local maxima and a handful are wanted: rank the strongest few (equal
  // amplitudes in bin order, as a stable sort would) and rank them all only if the separation rule needs more.
  const top = strongestMaxima(amplitude, k0, k1, Math.max(RANKED_FIRST, 4 * opts.count));
  const chosen = choosePeaks(amplitude, df, top.ranked, opts);
  if (chosen.length >= opts.count || !top.more) return chosen;
  const all: number[] = [];
  for (let k = k0; k <= k1; k++) if (isMaximum(amplitude, k)) all.push(k);
  return choosePeaks(amplitude, df, all.sort((a, b) => amplitude[b] - amplitude[a]), opts);
}

const isMaximum = (a: Float64Array, k: number) => a[k] > a[k - 1] && a[k] >= a[k + 1];

function strongestMaxima(amplitude: Float64Array, k0: number, k1: number, limit: number): { ranked: number[]; more: boolean } {
  const ranked: number[] = [];
  let more = false;
  for (let k = k0; k <= k1; k++) {
    if (!isMaximum(amplitude, k)) continue;
    const a = amplitude[k];
    if (ranked.length >= limit) {
      more = true;
      if (a <= amplitude[ranked[ranked.length - 1]]) continue;
      ranked.pop();
    }
    let i = ranked.length;
    while (i > 0 && amplitude[ranked[i - 1]] < a) i--;
    ranked.splice(i, 0, k);
  }
  return { ranked, more };
}

function choosePeaks(amplitude: Float64Array, df: number, ranked: number[], opts: PeakOptions): Peak[] {
  const sep = opts.minSeparationHz ?? 3 * df;
  const chosen: Peak[] = [];
  for (const k of ranked) {
    const hz = refine(amplitude, k) * df;
    if (chosen.some((p) => Math.abs(p.hz - hz) < sep)) continue;
    chosen.push({ hz, amplitude: amplitude[k] });
    if (chosen.length >= opts.count) break;
  }
  return chosen;
}
