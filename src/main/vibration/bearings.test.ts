import { describe, expect, it } from 'vitest';
import { BEARING_CATALOGUE, bearingDefectFrequencies, findBearing, parseBearingGeometry, UnknownBearingError } from './bearings';

describe('bearing catalogue and defect frequencies', () => {
  it('reproduces the CWRU 6205 multiples of shaft speed (standards-facts.md)', () => {
    const f = bearingDefectFrequencies(findBearing('6205'), 1);
    expect(f.bpfo).toBeCloseTo(3.5848, 3);
    expect(f.bpfi).toBeCloseTo(5.4152, 3);
    expect(f.ftf).toBeCloseTo(0.39828, 4);
    expect(f.bsf).toBeCloseTo(2.3568, 3);
  });

  it('has the 6205 family, the CWRU fan-end 6203 and the IMS ZA-2115', () => {
    for (const d of ['6205-2RS JEM SKF', '6203', '6206', '6305', '6306', '6309', 'za-2115']) expect(findBearing(d)).toBeDefined();
    const fe = bearingDefectFrequencies(findBearing('6203'), 1);
    expect(fe.bpfo).toBeCloseTo(3.053, 2);
    expect(fe.bpfi).toBeCloseTo(4.9469, 2);
    // IMS: 2000 rpm, BPFO of the ZA-2115 is the widely quoted 236.4 Hz.
    expect(bearingDefectFrequencies(findBearing('ZA-2115'), 2000 / 60).bpfo).toBeCloseTo(236.4, 0);
    expect(BEARING_CATALOGUE.every((b) => b.ballDiameterMm < b.pitchDiameterMm)).toBe(true);
  });

  it('names the catalogue for an unknown bearing and validates user geometry', () => {
    expect(() => findBearing('6999')).toThrow(UnknownBearingError);
    expect(() => findBearing('6999')).toThrow(/6205-2RS JEM SKF/);
    expect(parseBearingGeometry({ balls: 8, ballDiameterMm: 10, pitchDiameterMm: 50 })).toMatchObject({ designation: 'user bearing', contactAngleDeg: 0 });
    expect(() => parseBearingGeometry({ balls: 8.5, ballDiameterMm: 6, pitchDiameterMm: 50 })).toThrow(/balls must be a whole number/);
    expect(() => parseBearingGeometry({ balls: 8, ballDiameterMm: 60, pitchDiameterMm: 50 })).toThrow(/smaller than pitchDiameterMm/);
  });
});
