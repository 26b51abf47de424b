import { describe, expect, it } from 'vitest';
import { nameplateSchema } from '../../shared/twin';
import { computeHealth, type HealthInput } from './healthIndex';

const healthy: HealthInput = {
  nameplate: nameplateSchema.parse({ insulationClass: 'F', isoGroup: 2, foundation: 'rigid', ratedRpm: 1480 }),
  temperature: 55,
  ambient: 25,
  velocityMmS: 0.9,
  velocitySource: 'from the board',
  rpmCv: 0.0005,
  rpmMean: 1478,
  bearing: { fault: 'none', confidence: 0, evidence: '', ageS: 5 },
  anomaly: { score: 1.5, threshold: 6, drivers: [] },
};

describe('health index', () => {
  it('is 100 for a healthy motor, with every sub-score and its weight', () => {
    const h = computeHealth(healthy);
    expect(h.index).toBe(100);
    expect(h.subScores.map((s) => s.name)).toEqual(['thermal', 'vibration', 'speed', 'bearing', 'anomaly']);
    expect(h.subScores.reduce((a, s) => a + s.weight, 0)).toBeCloseTo(1);
    expect(h.pulledDownBy).toEqual([]);
  });

  it('drops with zone D vibration, names the cause, and one failing part is not averaged away', () => {
    const h = computeHealth({ ...healthy, velocityMmS: 6.5 });
    expect(h.index).toBeLessThanOrEqual(35);
    expect(h.pulledDownBy[0]).toMatch(/capped/);
    expect(h.pulledDownBy.join('\n')).toMatch(/vibration \d+\/100: 6.50 mm\/s RMS .* zone D/);
  });

  it('judges temperature rise against the insulation class', () => {
    const hot = computeHealth({ ...healthy, temperature: 25 + 100 });
    expect(hot.subScores[0].score).toBeLessThan(50);
    expect(hot.subScores[0].reason).toMatch(/of the 105 K allowed for class F/);
  });

  it('recovers when the cause goes away (it is not a running deduction)', () => {
    const bad = computeHealth({ ...healthy, bearing: { fault: 'outer_race', confidence: 0.9, evidence: 'BPFO line', ageS: 1 } });
    expect(bad.index).toBeLessThan(90);
    expect(computeHealth(healthy).index).toBe(100);
  });

  it('leaves out what it cannot judge and says why', () => {
    const h = computeHealth({ ...healthy, velocityMmS: null, bearing: null, anomaly: { learning: 'learning its baseline: 3 of 120 readings' } });
    expect(h.index).toBe(100);
    expect(h.subScores.find((s) => s.name === 'anomaly')).toMatchObject({ score: null, reason: /learning/ });
  });
});
