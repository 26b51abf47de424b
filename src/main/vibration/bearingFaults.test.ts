import { describe, expect, it } from 'vitest';
import { analyzeVibration } from './analyze';
import { findBearing } from './bearings';
import { seededRandom, synthesizeWaveform, type SynthFaults } from './waveformSynth';

// CWRU-like conditions (6205, 1797 r/min, 12 kHz) on synthesized records, where the truth is known exactly.
const fs = 12000;
const rpm = 1797;
const shaftHz = rpm / 60;
const bearing = findBearing('6205');
const synth = (faults: SynthFaults, seed: number, seconds = 2) => synthesizeWaveform({ fs, samples: fs * seconds, rpm, bearing, faults, seed, noiseG: 0.03 });
const analyze = (x: Float64Array) => analyzeVibration({ samples: x, fs, rpm, bearing: '6205' });
const finding = (a: ReturnType<typeof analyze>, fault: string) => a.diagnosis.findings.find((f) => f.fault === fault)!;

/** Discrete lines at every shaft harmonic from 20x up (gear-mesh sidebands, electrical lines): they fill every band. */
function addLineComb(x: Float64Array, amplitudeG: number, seed: number): Float64Array {
  const rnd = seededRandom(seed);
  for (let k = 20; k * shaftHz < 0.47 * fs; k++) {
    const phase = 2 * Math.PI * rnd();
    const w = (2 * Math.PI * k * shaftHz) / fs;
    for (let i = 0; i < x.length; i++) x[i] += amplitudeG * Math.sin(w * i + phase);
  }
  return x;
}

describe('bearing faults: ball against race', () => {
  it.each([1, 2, 3])('a ball defect hidden under discrete lines is found after cepstral pre-whitening, at 2xBSF with FTF sidebands (seed %i)', (seed) => {
    const a = analyze(addLineComb(synth({ ballG: 0.4 }, seed), 0.05, seed + 100));
    expect(a.diagnosis.fault, a.diagnosis.evidence).toBe('ball');
    expect(a.diagnosis.confidence).toBeGreaterThan(0.5);
    expect(a.diagnosis.evidence).toMatch(/2xBSF .*2xBSF-FTF .*2xBSF\+FTF .*pre-whitened envelope/);
  });

  it('an outer-race defect off the load zone (1x-modulated strikes) is never read as a ball fault, in 1 s and 2 s records', () => {
    for (const seconds of [1, 2]) {
      for (const seed of [1, 2, 3, 4]) {
        const a = analyze(synth({ outerRaceG: 0.6, outerRaceModulation: 0.5, unbalanceG: 0.02 }, seed, seconds));
        expect(a.diagnosis.fault, `${seconds} s, seed ${seed}: ${a.diagnosis.evidence}`).toBe('outer_race');
        expect(finding(a, 'ball').confidence).toBeLessThan(0.1);
      }
    }
  });

  it('race evidence dominates: a ball pattern beside an outer-race series stays unconfirmed, even when its lines are taller', () => {
    const a = analyze(synth({ outerRaceG: 0.2, ballG: 0.4 }, 5));
    expect(a.diagnosis.fault).toBe('outer_race');
    expect(finding(a, 'ball').confidence).toBeLessThanOrEqual(0.45);
    expect(finding(a, 'ball').evidence).toMatch(/race line as strong/);
    const weakRace = analyze(synth({ outerRaceG: 0.1, ballG: 0.4 }, 5));
    expect(weakRace.diagnosis.fault).toBe('inconclusive');
    expect(finding(weakRace, 'ball').confidence).toBeLessThanOrEqual(0.45);
  });

  it('a healthy record with the same discrete lines stays free of bearing faults', () => {
    const a = analyze(addLineComb(synth({}, 7), 0.05, 107));
    expect(['none', 'inconclusive']).toContain(a.diagnosis.fault);
    for (const f of ['outer_race', 'inner_race', 'ball', 'cage']) expect(finding(a, f).confidence).toBeLessThan(0.5);
  });
});
