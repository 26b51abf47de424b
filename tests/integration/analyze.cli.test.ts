import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';

// `motortwin analyze` as a user runs it, on CWRU record 105 (inner-race fault, 12 kHz) from ../shared/data.
describe('motortwin analyze', () => {
  it('prints the JSON the issue lists and diagnoses the inner-race fault', async () => {
    const res = await runCli(['analyze', '../shared/data/cwru/IR007_0.mat', '--fs', '12000', '--rpm', '1797', '--bearing', '6205', '--json']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(Object.keys(out)).toEqual(['rms_g', 'velocity_rms_mm_s', 'kurtosis', 'crest_factor', 'shaft_hz', 'bearing_hz', 'spectrum_peaks', 'envelope_peaks', 'diagnosis', 'warnings']);
    expect(out.shaft_hz).toBeCloseTo(29.95, 2);
    expect(out.bearing_hz.bpfi).toBeCloseTo(5.4152 * 29.95, 0);
    expect(out.rms_g).toBeGreaterThan(0.2);
    for (const list of [out.spectrum_peaks, out.envelope_peaks]) {
      expect(list.length).toBeGreaterThan(0);
      list.forEach((p: { hz: number; amplitude: number }, i: number) => i > 0 && expect(p.amplitude).toBeLessThanOrEqual(list[i - 1].amplitude));
    }
    expect(Math.abs(out.envelope_peaks[0].hz - out.bearing_hz.bpfi) / out.bearing_hz.bpfi).toBeLessThan(0.02);
    expect(out.diagnosis.fault).toBe('inner_race');
    expect(out.diagnosis.confidence).toBeGreaterThan(0.7);
    expect(out.diagnosis.evidence).toMatch(/BPFI/);
    expect(out.warnings).toEqual([]);
  });

  it('reads the fan-end accelerometer for the fan-end 6203 (--channel FE --bearing 6203): its bearing lines, and no fault it does not have', async () => {
    const res = await runCli(['analyze', '../shared/data/cwru/OR007@6_0.mat', '--fs', '12000', '--channel', 'FE', '--bearing', '6203', '--json']);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    // CWRU fan-end 6203-2RS JEM: BPFO 3.0530, BPFI 4.9469 x shaft speed (1796 r/min in the file).
    expect(out.bearing_hz.bpfo).toBeCloseTo((3.053 * 1796) / 60, 0);
    expect(out.bearing_hz.bpfi).toBeCloseTo((4.9469 * 1796) / 60, 0);
    // The fault of record 130 is in the drive-end bearing: the 6203 must not get a confident fault.
    expect(['none', 'inconclusive']).toContain(out.diagnosis.fault);
    const text = await runCli(['analyze', '../shared/data/cwru/OR007@6_0.mat', '--fs', '12000', '--channel', 'FE', '--bearing', '6205']);
    expect(text.stdout).toMatch(/^X130_FE_time: /);
    expect(text.stdout).toMatch(/diagnosis\s+outer_race/);
  }, 60_000);

  it('explains bad input: an unknown bearing, a missing channel, a missing file, no FILE', async () => {
    const bearing = await runCli(['analyze', '../shared/data/cwru/IR007_0.mat', '--fs', '12000', '--rpm', '1797', '--bearing', '6999']);
    expect(bearing.code).toBe(1);
    expect(bearing.stderr).toMatch(/unknown bearing "6999"/);
    const channel = await runCli(['analyze', '../shared/data/cwru/IR007_0.mat', '--fs', '12000', '--bearing', '6205', '--channel', 'X1']);
    expect(channel.stderr).toMatch(/no vector "X1"/);
    const missing = await runCli(['analyze', '../shared/data/cwru/no-such-record.mat', '--fs', '12000', '--bearing', '6205']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no-such-record\.mat: no such file$/m);
    const usage = await runCli(['analyze', '--fs', '12000', '--bearing', '6205']);
    expect(usage.code).toBe(2);
  }, 120_000);
});
