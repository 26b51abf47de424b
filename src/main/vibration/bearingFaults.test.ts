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
    expect(finding(a, 'ball').evidence).toMatch(/race explanation close behind/);
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

// Other machines and load zones: the fan-end 6203 (8 balls) beside the drive-end 6205 (9 balls), other speeds, 48 kHz.
const record = (designation: string, rate: number, speed: number, faults: SynthFaults, seed: number, seconds: number) => {
  const x = synthesizeWaveform({ fs: rate, samples: rate * seconds, rpm: speed, bearing: findBearing(designation), faults, seed, noiseG: 0.03 });
  return analyzeVibration({ samples: x, fs: rate, rpm: speed, bearing: designation });
};
const RACES = ['outer_race', 'inner_race'];

describe('bearing faults: the ball pattern against its look-alikes', () => {
  it('an outer-race defect struck unequally by the balls (BPFO with cage-rate sidebands, in and off the load zone) never gets a ball finding worth reporting', () => {
    // On a 6205, BPFO + 3 x FTF is 1.4 % from 2xBSF and BPFO + 2, 4 x FTF from its FTF sidebands.
    const runs: [number, number, number[]][] = [
      [12000, 1797, [1, 2, 10]],
      [48000, 1750, [1, 2]],
    ];
    for (const [rate, speed, lengths] of runs) {
      for (const modulation of [0, 0.9]) {
        for (const seconds of lengths) {
          for (const seed of [1, 2]) {
            const a = record('6205', rate, speed, { outerRaceG: 0.3, outerRaceModulation: modulation, raceBallSpread: 1, unbalanceG: 0.02 }, seed, seconds);
            const ball = finding(a, 'ball');
            const at = `${rate} Hz, ${seconds} s, 1x modulation ${modulation}, seed ${seed}`;
            expect(a.diagnosis.fault, `${at}: ${a.diagnosis.evidence}`).not.toBe('ball');
            expect(ball.confidence, `${at}: ${ball.evidence}`).toBeLessThan(0.25);
          }
        }
      }
    }
  });

  it('an inner-race defect struck unequally by the balls (BPFI with 1x - FTF sidebands, one 2 % from 2xBSF) stays an inner-race fault, never a ball one', () => {
    for (const seconds of [1, 2]) {
      for (const seed of [1, 2]) {
        const a = record('6205', 12000, 1797, { innerRaceG: 0.4, raceBallSpread: 1, unbalanceG: 0.02 }, seed, seconds);
        const at = `${seconds} s, seed ${seed}: ${finding(a, 'ball').evidence}`;
        expect(a.diagnosis.fault, at).toBe('inner_race');
        expect(finding(a, 'ball').confidence, at).toBeLessThan(0.25);
      }
    }
  });

  it.each([
    ['6205', 12000, 1730],
    ['6203', 12000, 1797],
    ['6203', 48000, 1750],
  ])('a ball defect carried through the load zone at the cage rate is named on a %s at %i Hz, %i r/min, from the whole pattern', (designation, rate, speed) => {
    for (const seed of [1, 2]) {
      const a = record(designation, rate, speed, { ballG: 0.3 }, seed, 2);
      expect(a.diagnosis.fault, a.diagnosis.evidence).toBe('ball');
      expect(a.diagnosis.confidence).toBeGreaterThan(0.5);
      expect(a.diagnosis.evidence).toMatch(/2xBSF .*4xBSF .*2xBSF-FTF .*2xBSF\+FTF .*pattern score/);
      expect(a.diagnosis.evidence).not.toMatch(/incomplete|fits as well/);
    }
  });

  it('a ball whose defect lands on only a fifth of its passes (spin axis wandering) is at most a possible ball fault, never a race fault', () => {
    for (const [designation, rate, speed] of [['6205', 12000, 1797], ['6203', 48000, 1750]] as const) {
      for (const seconds of [1, 2]) {
        for (const seed of [1, 2]) {
          const a = record(designation, rate, speed, { ballG: 0.4, ballStrikeShare: 0.2 }, seed, seconds);
          const at = `${designation}, ${seconds} s, seed ${seed}: ${a.diagnosis.evidence}`;
          expect(['none', 'inconclusive'], at).toContain(a.diagnosis.fault);
          expect(finding(a, 'ball').confidence, at).toBeLessThan(0.5);
          for (const race of RACES) expect(finding(a, race).confidence, at).toBeLessThan(0.25);
        }
      }
    }
  });

  it('a ball finding names what holds it back: an incomplete pattern, or a comb that fits as well elsewhere', () => {
    const weak = record('6205', 12000, 1797, { ballG: 0.4, ballStrikeShare: 0.2 }, 1, 1);
    expect(finding(weak, 'ball').evidence).toMatch(/pattern is incomplete/);
    const comb = record('6205', 12000, 1797, { outerRaceG: 0.3, raceBallSpread: 1 }, 1, 10);
    expect(finding(comb, 'ball').evidence).toMatch(/nearer 1[123]xFTF/);
  });
});
