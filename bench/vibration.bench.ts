import FFT from 'fft.js';
import { analyzeVibration } from '../src/main/vibration/analyze';
import { findBearing } from '../src/main/vibration/bearings';
import { nextPow2 } from '../src/main/vibration/spectrum';
import { synthesizeWaveform } from '../src/main/vibration/waveformSynth';
import { median, round, type Figure } from './figure';

/**
 * One second of 25.6 kHz accelerometer data (an outer-race fault on a 6205 at 1480 r/min) through the whole
 * analysis (features, spectrum, fast-kurtogram band search and envelope of the raw and of the cepstrally
 * pre-whitened record, diagnosis), against fft.js alone doing the same transforms: two real FFTs of the record,
 * per envelope one inverse FFT per candidate band and one for the chosen band, and the envelope's FFT.
 */
export async function benchVibration(opts: { quick: boolean }): Promise<Figure[]> {
  const fs = 25_600;
  const samples = synthesizeWaveform({ fs, samples: fs, rpm: 1480, bearing: findBearing('6205'), faults: { outerRaceG: 1, unbalanceG: 0.02 }, seed: 1 });
  const input = { samples, fs, rpm: 1480, bearing: '6205' };
  const first = analyzeVibration(input);
  const size = nextPow2(samples.length);
  const df = fs / size;
  const bins = (b: { lowHz: number; highHz: number }) => Math.round(b.highHz / df) - Math.round(b.lowHz / df) + 1;
  const searched = first.envelope!.candidates.map((c) => nextPow2(bins(c)));
  const inverseSizes = [...searched, ...searched, 2 * nextPow2(bins(first.envelope!.band)), 2 * nextPow2(bins(first.whitenedBand!))];
  const envSize = first.envelope!.spectrum.fftSize;
  const plans = new Map<number, { fft: FFT; input: Float64Array; out: Float64Array }>();
  const plan = (n: number, complex: boolean) => {
    const key = complex ? -n : n;
    if (!plans.has(key)) plans.set(key, { fft: new FFT(n), input: new Float64Array(complex ? 2 * n : n).map(() => Math.random()), out: new Float64Array(2 * n) });
    return plans.get(key)!;
  };
  const fftOnly = () => {
    for (const n of [size, size, envSize, envSize]) {
      const p = plan(n, false);
      p.fft.realTransform(p.out, p.input);
    }
    for (const n of inverseSizes) {
      const p = plan(n, true);
      p.fft.inverseTransform(p.out, p.input);
    }
  };
  fftOnly();
  const runs = opts.quick ? 15 : 61;
  const ours: number[] = [];
  const plain: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    analyzeVibration(input);
    ours.push(performance.now() - t);
    t = performance.now();
    fftOnly();
    plain.push(performance.now() - t);
  }
  const value = median(ours);
  const baseline = median(plain);
  process.stderr.write(`vibration: ${first.diagnosis.fault}, ${inverseSizes.length} inverse FFTs + 4 forward, band ${first.envelope!.band.lowHz}-${first.envelope!.band.highHz} Hz\n`);
  return [
    {
      name: 'vibration_analysis_1s_25k6',
      value: round(value),
      unit: 'ms',
      baseline: round(baseline),
      baselineName: `fft.js alone: the same ${inverseSizes.length + 4} transforms`,
      ratio: round(value / baseline),
      goal: '<= 20 ms, <= 3 x fft.js alone',
      pass: value <= 20 && value <= 3 * baseline,
    },
  ];
}
