import { describe, expect, it } from 'vitest';
import { nameplateSchema } from '../../shared/twin';
import { vibrationLevels } from './isoAlert';

describe('ISO 20816-3 alert and trip levels', () => {
  const group2Rigid = nameplateSchema.parse({ isoGroup: 2, foundation: 'rigid' });

  it('sets ALERT at baseline + 25 % of the B/C boundary and TRIP at 1.25 x the C/D boundary', () => {
    const v = vibrationLevels(0.8, group2Rigid);
    expect(v).toMatchObject({ baselineZone: 'A', limits: { ab: 1.4, bc: 2.8, cd: 4.5 }, basis: 'ISO 20816-3 group 2, rigid' });
    expect(v.alertMmS).toBeCloseTo(0.8 + 0.7, 9);
    expect(v.tripMmS).toBeCloseTo(5.625, 9);
  });

  it('caps ALERT at 1.25 x the B/C boundary for a machine with a high baseline', () => {
    const v = vibrationLevels(3.2, group2Rigid);
    expect(v.baselineZone).toBe('C');
    expect(v.alertMmS).toBeCloseTo(3.5, 9);
    expect(v.how).toMatch(/capped at 1\.25 x the B\/C boundary \(baseline \+ 25 % of B\/C would be 3\.90 mm\/s\)/);
  });

  it('uses the B/C boundary until there is a baseline, and says what it assumed', () => {
    const v = vibrationLevels(null, nameplateSchema.parse({ ratedKw: 450 }));
    expect(v).toMatchObject({ baselineMmS: null, alertMmS: 4.5, basis: 'ISO 20816-3 group 1, rigid (assumed: group 1, rigid foundation)' });
    expect(v.tripMmS).toBeCloseTo(8.875, 9);
  });
});
