import { describe, expect, it } from 'vitest';
import { bearingFindings } from './bearingFaults';
import { bearingDefectFrequencies, findBearing } from './bearings';
import type { EnvelopeResult } from './envelope';
import { seededRandom } from './waveformSynth';

// The ball rule on envelope spectra built line by line, so each line is exactly where the test puts it.
const shaftHz = 1797 / 60;
const d = bearingDefectFrequencies(findBearing('6205'), shaftHz);
const df = 0.1;

/** An impulsive band's envelope spectrum: a noise floor of ~1 mg and a line of `height` times it at each frequency given. */
function envelopeWith(lines: number[], height: number, seed = 1): EnvelopeResult {
  const rnd = seededRandom(seed);
  const amplitude = new Float64Array(Math.round(1000 / df) + 1).map(() => 1e-3 * (0.5 + rnd()));
  for (const hz of lines) amplitude[Math.round(hz / df)] = height * 1e-3;
  const band = { lowHz: 2000, highHz: 5000, kurtosis: 2 };
  return { band, method: 'fixed', whitened: false, candidates: [band], spectrum: { df, fftSize: 2 * (amplitude.length - 1), amplitude, powerScale: 1 } };
}
const comb = (hz: number) => [hz, hz - d.ftf, hz + d.ftf, 2 * hz];
const ball = (env: EnvelopeResult) => bearingFindings([env], d, shaftHz).find((f) => f.fault === 'ball')!;

describe('ball pattern: complete and distinctive before a confident call', () => {
  it('2xBSF with both FTF sidebands and 4xBSF, 30x their floor, is a confident ball finding', () => {
    const f = ball(envelopeWith(comb(2 * d.bsf), 30));
    expect(f.confidence, f.evidence).toBeGreaterThan(0.9);
    expect(f.evidence).not.toMatch(/incomplete|fits as well/);
  });

  it('the same pattern beside an identical comb 20 % higher up is not distinctive: at most a possible ball fault', () => {
    const f = ball(envelopeWith([...comb(2 * d.bsf), ...comb(1.2 * 2 * d.bsf)], 30));
    expect(f.confidence).toBeLessThanOrEqual(0.45);
    expect(f.evidence).toMatch(/the same comb fits as well at 1(6[89]|70)\.\d Hz/);
  });

  it('2xBSF alone, however tall, or with one sideband, is an incomplete pattern', () => {
    for (const lines of [[2 * d.bsf], [2 * d.bsf, 2 * d.bsf + d.ftf]]) {
      const f = ball(envelopeWith(lines, 100));
      expect(f.confidence, f.evidence).toBeLessThanOrEqual(0.45);
      expect(f.evidence).toMatch(/pattern is incomplete/);
    }
  });

  it('the pattern moved onto the cage harmonics (12 x FTF and its neighbours, as BPFO + 3 x FTF puts it) is no ball evidence', () => {
    const f = ball(envelopeWith([11 * d.ftf, 12 * d.ftf, 13 * d.ftf, 24 * d.ftf], 30));
    expect(f.confidence, f.evidence).toBeLessThan(0.1);
    expect(f.evidence).toMatch(/nearer 12xFTF/);
  });
});
