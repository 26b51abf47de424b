import { describe, expect, it } from 'vitest';
import { analyzeVibration, VibrationInputError } from './analyze';
import { findBearing } from './bearings';
import { decodeWaveformBlock, synthesizeWaveform, waveformBlock, type SynthFaults } from './waveformSynth';
import { waveformSchema } from '../../shared/protocol/schemas';
import { checkWaveformSamples } from '../../shared/protocol/decode';

const bearing = findBearing('6205');
const fs = 25600;
const synth = (faults: SynthFaults, seed = 7, samples = fs) => synthesizeWaveform({ fs, samples, rpm: 1480, bearing, faults, seed });
const analyze = (x: Float64Array) => analyzeVibration({ samples: x, fs, rpm: 1480, bearing: '6205' });

describe('analyzeVibration on synthesized faults', () => {
  it.each([
    ['outer_race', { outerRaceG: 1.5 }],
    ['inner_race', { innerRaceG: 1.5 }],
    ['unbalance', { unbalanceG: 0.08 }],
    ['misalignment', { unbalanceG: 0.03, misalignmentG: 0.09 }],
    ['looseness', { loosenessG: 0.04 }],
  ] as const)('diagnoses %s', (fault, faults) => {
    const a = analyze(synth(faults));
    expect(a.diagnosis.fault, a.diagnosis.evidence).toBe(fault);
    expect(a.diagnosis.confidence).toBeGreaterThanOrEqual(0.5);
    expect(a.diagnosis.peaks.length).toBeGreaterThan(0);
    expect(a.warnings).toEqual([]);
  });

  it('a healthy machine is "none", and the synthesizer is deterministic', () => {
    expect(synth({}, 3)).toEqual(synth({}, 3));
    const a = analyze(synth({}));
    expect(a.diagnosis.fault).toBe('none');
    expect(a.iso.zone).toBe('A');
  });

  it('round-trips a PROTOCOL.md waveform block', () => {
    const block = waveformBlock('motor_01', { fs, samples: 16384, rpm: 1480, bearing, faults: { outerRaceG: 1.5 } }, 16, '2026-01-15T10:15:00Z');
    expect(waveformSchema.safeParse(block).success).toBe(true);
    expect(checkWaveformSamples(block.samples)).toEqual({ ok: true, value: 16384 });
    const x = decodeWaveformBlock(block);
    expect(x.length).toBe(16384);
    expect(analyze(x).diagnosis.fault).toBe('outer_race');
  });
});

describe('bad input never gives a confident verdict', () => {
  it('NaN samples, too short a record, a bad rate or rpm, an unknown bearing: clear errors', () => {
    const x = synth({ outerRaceG: 1 });
    x[100] = NaN;
    expect(() => analyze(x)).toThrow(/1 of 25600 samples are not numbers .*index 100/);
    expect(() => analyzeVibration({ samples: synth({}).subarray(0, 4096), fs, rpm: 1480, bearing: '6205', resolutionHz: 1 })).toThrow(/too short.*25600 samples/);
    expect(() => analyzeVibration({ samples: synth({}), fs: 0, rpm: 1480, bearing: '6205' })).toThrow(VibrationInputError);
    expect(() => analyzeVibration({ samples: synth({}), fs, rpm: NaN, bearing: '6205' })).toThrow(/rpm/);
    expect(() => analyzeVibration({ samples: synth({}), fs, rpm: 1480, bearing: '6999' })).toThrow(/unknown bearing "6999"/);
    expect(() => analyzeVibration({ samples: new Float64Array(fs).fill(0.3), fs, rpm: 1480, bearing: '6205' })).toThrow(/constant/);
  });

  it('a clipped fault signal is inconclusive, with the clipping named', () => {
    const x = synth({ outerRaceG: 3 }).map((v) => Math.max(-1, Math.min(1, v)));
    const a = analyze(x);
    expect(a.clipping.clipped).toBe(true);
    expect(a.diagnosis.fault).toBe('inconclusive');
    expect(a.diagnosis.confidence).toBeLessThanOrEqual(0.3);
    expect(a.warnings.join(' ')).toMatch(/clipped/);
  });

  it('a wrongly stated sample rate moves the 1x line: warning and inconclusive', () => {
    const x = synth({ outerRaceG: 1.5, unbalanceG: 0.03 });
    const a = analyzeVibration({ samples: x, fs: fs / 2, rpm: 1480, bearing: '6205' });
    expect(a.shaftCheck.ok).toBe(false);
    expect(a.warnings.join(' ')).toMatch(/sample rate/);
    expect(a.diagnosis.fault).toBe('inconclusive');
  });

  it('a user geometry is validated; a low-rate sensor gets no envelope and says so', () => {
    expect(() => analyzeVibration({ samples: synth({}), fs, rpm: 1480, bearing: { balls: 2, ballDiameterMm: 8, pitchDiameterMm: 40 } })).toThrow(/at least 3/);
    const slow = synthesizeWaveform({ fs: 1000, samples: 4096, rpm: 1480, bearing, faults: { unbalanceG: 0.05 }, seed: 2 });
    const a = analyzeVibration({ samples: slow, fs: 1000, rpm: 1480, bearing: '6205', sensorBandwidthHz: 184 });
    expect(a.envelope).toBeNull();
    expect(a.warnings.join(' ')).toMatch(/no envelope analysis/);
    expect(a.warnings.join(' ')).toMatch(/184 Hz bandwidth/);
    expect(a.velocityBand.hiHz).toBe(184);
  });
});
