import { describe, expect, it } from 'vitest';
import { G, isoVelocityBand, velocityRmsMmS, waveformFeatures } from './features';
import { isoZone } from './iso20816';
import { amplitudeSpectrum, pickPeaks } from './spectrum';

const sine = (fs: number, n: number, parts: [hz: number, ampG: number][]) => Float64Array.from({ length: n }, (_, i) => parts.reduce((s, [f, a]) => s + a * Math.sin((2 * Math.PI * f * i) / fs + f), 0));

describe('waveform features, spectrum and velocity', () => {
  it('a known sine gives its amplitude in the spectrum, its RMS, crest factor and kurtosis', () => {
    const x = sine(25600, 25600, [[50, 0.2], [1234.5, 0.05]]);
    const f = waveformFeatures(x);
    expect(f.rmsG).toBeCloseTo(Math.sqrt(0.2 ** 2 / 2 + 0.05 ** 2 / 2), 4);
    expect(f.kurtosis).toBeLessThan(2);
    expect(f.clipping.clipped).toBe(false);
    const s = amplitudeSpectrum(x, 25600);
    const peaks = pickPeaks(s.amplitude, s.df, { count: 2 });
    expect(peaks[0].hz).toBeCloseTo(50, 1);
    expect(peaks[0].amplitude).toBeCloseTo(0.2, 2);
    expect(peaks[1].hz).toBeCloseTo(1234.5, 0);
    expect(peaks[1].amplitude).toBeGreaterThan(0.046);
  });

  it('velocity RMS of a 0.1 g sine at 100 Hz is a / (2 pi f) / sqrt 2, and lines outside 10-1000 Hz do not count', () => {
    const x = sine(10000, 20000, [[100, 0.1], [3000, 1]]);
    const s = amplitudeSpectrum(x, 10000);
    const band = isoVelocityBand(1500, 10000, s.df);
    expect(band).toEqual({ loHz: 10, hiHz: 1000, limitedBy: null });
    const expected = (0.1 * G * 1000) / (2 * Math.PI * 100) / Math.SQRT2; // 1.1035 mm/s
    expect(velocityRmsMmS(s, band)).toBeCloseTo(expected, 2);
    expect(isoZone(expected, 2, 'rigid').zone).toBe('A');
    expect(isoZone(5, 2, 'rigid').zone).toBe('D');
    expect(isoZone(5, 1, 'flexible').zone).toBe('B');
  });

  it('says when the sensor cannot see the whole ISO band (MPU6050 at 1 kHz with its 184 Hz filter)', () => {
    const band = isoVelocityBand(1480, 1000, 1000 / 1024, 184);
    expect(band.hiHz).toBe(184);
    expect(band.limitedBy).toMatch(/184 Hz bandwidth/);
  });

  it('flags a clipped waveform', () => {
    const x = sine(5000, 5000, [[50, 3]]).map((v) => Math.max(-2, Math.min(2, v)));
    const f = waveformFeatures(x);
    expect(f.clipping.clipped).toBe(true);
    expect(f.clipping.detail).toMatch(/clipped/);
    expect(waveformFeatures(sine(5000, 5000, [[50, 1.99]]), 2).clipping.clipped).toBe(true);
  });
});
