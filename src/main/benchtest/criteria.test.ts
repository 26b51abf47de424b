import { describe, expect, it } from 'vitest';
import { procedureSchema } from '../../shared/benchtestProcedure';
import { nameplateSchema } from '../../shared/twin';
import { evaluate, slope, type BenchBlock, type BenchSample } from './criteria';

const procedure = procedureSchema.parse({
  name: 'p',
  version: '1.0.0',
  title: 'P',
  steps: [{ id: 'run', kind: 'run', title: 'Run', durationS: 100 }],
  criteria: [
    { id: 'iso_zone', kind: 'iso_zone', step: 'run', acceptZones: ['A', 'B'], source: 'ISO' },
    { id: 'temperature_rise', kind: 'temperature_rise', step: 'run', frameMarginK: 20, source: 'IEC' },
    { id: 'speed', kind: 'speed', step: 'run', tolerancePct: 2, source: 'IEC' },
    { id: 'sensor_sanity', kind: 'sensor_sanity', step: 'run', maxMissingPct: 5, source: 'own' },
  ],
});
const nameplate = nameplateSchema.parse({ ratedRpm: 1480, insulationClass: 'B', isoGroup: 2, foundation: 'rigid' });
const samples = (temp: number, rpm: number | null = 1485): BenchSample[] =>
  Array.from({ length: 20 }, (_, i) => ({ t: i * 5, step: 'run', attempt: 1, temperature: temp, rpm, vibVelocity: 1, ambient: 24 }));
const block = (v: number): BenchBlock => ({ t: 50, step: 'run', attempt: 1, velocityRmsMmS: v, oneXMmS: 0.5, twoXMmS: 0.1, bearingFault: null, bearingConfidence: 0 });
const steps = [{ id: 'run', attempt: 1, valid: true, done: true, note: null }];
const calibration = { state: 'ok' as const, detail: 'fine' };

describe('acceptance criteria', () => {
  it('passes values inside every limit', () => {
    const r = evaluate({ procedure, nameplate, samples: samples(70), blocks: [block(1.0)], steps, calibration, aborted: false });
    expect(r.verdict).toBe('pass');
    expect(r.criteria.find((c) => c.id === 'temperature_rise')).toMatchObject({ value: 46, limit: 60, unit: 'K' });
    expect(r.criteria.find((c) => c.id === 'iso_zone')).toMatchObject({ value: 1, limit: 2.8, result: 'pass' });
  });

  it('fails zone C for group 2 rigid, and a rise over class B less the margin', () => {
    const r = evaluate({ procedure, nameplate, samples: samples(90), blocks: [block(3.0)], steps, calibration, aborted: false });
    expect(r.verdict).toBe('fail');
    expect(r.criteria.filter((c) => c.result === 'fail').map((c) => c.id)).toEqual(['iso_zone', 'temperature_rise']);
  });

  it('warns about a missing certificate without failing, and fails on missing readings', () => {
    const missing = { state: 'missing' as const, detail: 'no certificate' };
    expect(evaluate({ procedure, nameplate, samples: samples(70), blocks: [block(1)], steps, calibration: missing, aborted: false }).verdict).toBe('pass');
    const r = evaluate({ procedure, nameplate, samples: samples(70, null), blocks: [block(1)], steps, calibration, aborted: false });
    expect(r.criteria.find((c) => c.id === 'sensor_sanity')?.result).toBe('fail');
  });

  it('is incomplete without data, on an invalid step, and when aborted', () => {
    expect(evaluate({ procedure, nameplate, samples: [], blocks: [], steps, calibration, aborted: false }).verdict).toBe('incomplete');
    const invalid = evaluate({ procedure, nameplate, samples: samples(70), blocks: [block(1)], steps: [{ ...steps[0], valid: false, note: 'dropout' }], calibration, aborted: false });
    expect(invalid.criteria.find((c) => c.id === 'speed')?.result).toBe('incomplete');
    expect(evaluate({ procedure, nameplate, samples: samples(70), blocks: [block(1)], steps, calibration, aborted: true }).verdict).toBe('incomplete');
  });

  it('fits a slope', () => {
    expect(slope([{ t: 0, y: 1 }, { t: 1, y: 3 }, { t: 2, y: 5 }])).toBeCloseTo(2);
  });
});
