import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { analyzeVibration } from './analyze';
import { readRecording } from './recordings';
import { SHARED_DATA } from './testData';

// Truth on real data nobody here wrote: CWRU drive-end records, 6205 bearing, whole records.
const run = (file: string, fs: number) => {
  const r = readRecording(join(SHARED_DATA, 'cwru', file));
  return analyzeVibration({ samples: r.samples, fs, rpm: r.fileRpm!, bearing: '6205' });
};
const near = (peaks: { hz: number }[], hz: number) => peaks.find((p) => Math.abs(p.hz - hz) / hz <= 0.02);
const log = (name: string, a: ReturnType<typeof run>, line: number) => {
  const p = near(a.envelope!.peaks, line);
  console.log(
    `${name}: ${a.diagnosis.fault} ${a.diagnosis.confidence.toFixed(2)}; band ${a.envelope!.band.lowHz}-${a.envelope!.band.highHz} Hz; ` +
      `strongest envelope peak ${a.envelope!.peaks[0].hz.toFixed(2)} Hz; defect ${line.toFixed(2)} Hz; match ${p ? `${p.hz.toFixed(2)} Hz (${(((p.hz - line) / line) * 100).toFixed(2)} %)` : 'none'}`,
  );
  return p;
};

describe('CWRU bearing data (drive end, 0 hp)', () => {
  it('105 (IR007, 12 kHz) is an inner-race fault: strongest envelope line within 2 % of BPFI, with shaft-rate sidebands', () => {
    const a = run('IR007_0.mat', 12000);
    const p = log('CWRU 105', a, a.bearingHz.bpfi);
    expect(a.diagnosis.fault).toBe('inner_race');
    expect(a.diagnosis.confidence).toBeGreaterThan(0.7);
    expect(p).toBeDefined();
    expect(a.envelope!.peaks[0]).toBe(p);
    expect(a.diagnosis.evidence).toMatch(/BPFI-1x .* BPFI\+1x/);
    expect(a.warnings).toEqual([]);
  });

  it('130 (OR007@6, 12 kHz) is an outer-race fault: envelope lines at 1x, 2x and 3x BPFO', () => {
    const a = run('OR007@6_0.mat', 12000);
    const p = log('CWRU 130', a, a.bearingHz.bpfo);
    expect(a.diagnosis.fault).toBe('outer_race');
    expect(a.diagnosis.confidence).toBeGreaterThan(0.7);
    expect(p).toBeDefined();
    expect(a.envelope!.peaks[0]).toBe(p);
    expect(near(a.envelope!.peaks, 2 * a.bearingHz.bpfo)).toBeDefined();
    expect(near(a.envelope!.peaks, 3 * a.bearingHz.bpfo)).toBeDefined();
  });

  it('118 (B007, rated not diagnosable by Smith & Randall) gets no race-fault verdict, and no clean bill of health either', () => {
    const a = run('B007_0.mat', 12000);
    log('CWRU 118', a, 2 * a.bearingHz.bsf);
    expect(['ball', 'inconclusive']).toContain(a.diagnosis.fault);
  });

  it.each([
    ['B014_0_48k.mat', 189],
    ['B021_0_48k.mat', 226],
  ])('%s (CWRU %i, ball fault at 48 kHz) gets no confident wrong fault, and its ball finding says what the pattern lacks', (file, record) => {
    const a = run(file, 48000);
    const ball = a.diagnosis.findings.find((f) => f.fault === 'ball')!;
    console.log(`CWRU ${record}: ${a.diagnosis.fault} ${a.diagnosis.confidence.toFixed(2)}; ball ${ball.confidence.toFixed(2)}: ${ball.evidence}`);
    expect(['ball', 'inconclusive']).toContain(a.diagnosis.fault);
    for (const f of a.diagnosis.findings) if (f.fault !== 'ball') expect(f.confidence, `${f.fault}: ${f.evidence}`).toBeLessThanOrEqual(0.5);
    if (ball.confidence <= 0.5) expect(ball.evidence).toMatch(/incomplete|fits as well|race explanation close behind/);
  });

  it('97 (normal, 48 kHz) is healthy; read as 12 kHz it is inconclusive with a sample-rate warning', () => {
    const a = run('Normal_0.mat', 48000);
    console.log(`CWRU 97: ${a.diagnosis.fault} ${a.diagnosis.confidence.toFixed(2)}, ${a.velocityRmsMmS.toFixed(2)} mm/s zone ${a.iso.zone}`);
    expect(a.diagnosis.fault).toBe('none');
    const wrong = run('Normal_0.mat', 12000);
    expect(wrong.diagnosis.fault).toBe('inconclusive');
    expect(wrong.diagnosis.confidence).toBeLessThanOrEqual(0.3);
    expect(wrong.warnings.join(' ')).toMatch(/sample rate/);
  });

  it('105 read as 48 kHz: no 1x where the rpm says, no confident verdict', () => {
    const a = run('IR007_0.mat', 48000);
    expect(a.diagnosis.fault).toBe('inconclusive');
    expect(a.warnings.join(' ')).toMatch(/no 1x line/);
  });
});
