import { bandPower, type Spectrum } from './spectrum';

export const G = 9.80665; // m/s² per g

export interface WaveformFeatures {
  /** Mean of the record (sensor offset; removed before everything else). */
  offsetG: number;
  rmsG: number;
  /** Largest excursion from the mean. */
  peakG: number;
  crestFactor: number;
  /** Normal (Pearson) kurtosis: 3 for Gaussian vibration, higher when impacts are present. */
  kurtosis: number;
  clipping: ClippingReport;
}

export interface ClippingReport {
  clipped: boolean;
  /** Share of samples sitting on a rail. */
  fraction: number;
  detail: string;
}

export function waveformFeatures(x: ArrayLike<number>, rangeG?: number): WaveformFeatures {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let m2 = 0;
  let m4 = 0;
  let peak = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m4 += d2 * d2;
    if (Math.abs(d) > peak) peak = Math.abs(d);
  }
  m2 /= n;
  m4 /= n;
  const rms = Math.sqrt(m2);
  return { offsetG: mean, rmsG: rms, peakG: peak, crestFactor: rms > 0 ? peak / rms : 0, kurtosis: m2 > 0 ? m4 / (m2 * m2) : 0, clipping: detectClipping(x, rangeG) };
}

/**
 * A clipped sensor flattens the waveform on its rails: runs of 3 or more samples sit on the record's maximum
 * or minimum (or on the stated range). Real vibration almost never repeats its extreme value three times.
 */
export function detectClipping(x: ArrayLike<number>, rangeG?: number): ClippingReport {
  const n = x.length;
  let max = -Infinity;
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    if (x[i] > max) max = x[i];
    if (x[i] < min) min = x[i];
  }
  const eps = (max - min) * 1e-6;
  const hi = rangeG !== undefined ? Math.min(max, 0.99 * rangeG) : max;
  const lo = rangeG !== undefined ? Math.max(min, -0.99 * rangeG) : min;
  let onRail = 0;
  let runs = 0;
  let run = 0;
  for (let i = 0; i < n; i++) {
    const rail = x[i] >= hi - eps || x[i] <= lo + eps;
    if (rail) {
      onRail++;
      run++;
      if (run === 3) runs++;
    } else run = 0;
  }
  const atRange = rangeG !== undefined && (max >= 0.99 * rangeG || min <= -0.99 * rangeG);
  const clipped = runs > 0 || (atRange && onRail > 1);
  const fraction = onRail / n;
  const detail = clipped
    ? `signal clipped: ${onRail} samples (${(fraction * 100).toFixed(2)} %) sit on the rails at ${min.toPrecision(4)} / ${max.toPrecision(4)} g${atRange ? ` (sensor range ±${rangeG} g)` : ''}: peaks, crest factor and kurtosis are understated and the spectrum has false harmonics`
    : 'no clipping';
  return { clipped, fraction: clipped ? fraction : 0, detail };
}

export interface VelocityBand {
  loHz: number;
  hiHz: number;
  /** Why the band is narrower than ISO 20816's, or null when it is the full band. */
  limitedBy: string | null;
}

/**
 * The ISO 10816-3 / 20816-3 measurement band (10-1000 Hz above 600 r/min, 2-1000 Hz from 120 to 600 r/min),
 * cut to what the record can show: below the sensor's or anti-alias filter's corner (default 0.45 fs) and
 * above three bins of the spectrum's resolution.
 */
export function isoVelocityBand(rpm: number, fs: number, df: number, sensorBandwidthHz?: number): VelocityBand {
  const isoLo = rpm >= 600 ? 10 : 2;
  const isoHi = 1000;
  const reasons: string[] = [];
  let hi = isoHi;
  const top = Math.min(0.45 * fs, sensorBandwidthHz ?? Infinity);
  if (top < hi) {
    hi = top;
    reasons.push(sensorBandwidthHz !== undefined && sensorBandwidthHz <= 0.45 * fs ? `the sensor's ${sensorBandwidthHz} Hz bandwidth` : `the ${fs} Hz sample rate`);
  }
  let lo = isoLo;
  if (3 * df > lo) {
    lo = 3 * df;
    reasons.push(`the record's ${df.toFixed(2)} Hz resolution`);
  }
  return { loHz: lo, hiHz: hi, limitedBy: reasons.length ? `band ${lo.toFixed(1)}-${hi.toFixed(0)} Hz instead of ISO ${isoLo}-${isoHi} Hz, limited by ${reasons.join(' and ')}` : null };
}

/** Velocity RMS in mm/s, integrating the acceleration spectrum (g) in the frequency domain: v = a / ω. */
export function velocityRmsMmS(accel: Spectrum, band: VelocityBand): number {
  const toMmS = G * 1000;
  return Math.sqrt(bandPower(accel, band.loHz, band.hiHz, (hz) => (toMmS / (2 * Math.PI * hz)) ** 2));
}
