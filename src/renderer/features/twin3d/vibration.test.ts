import { describe, expect, it } from 'vitest';
import { dominantFrequency, shakeAmplitude, shownAngularSpeed, slowdownFactor, zoneFor, SHAKE_MAX_MM_S } from './vibration';

const plate = { isoGroup: 2 as const, foundation: 'rigid' as const, ratedKw: 55 };

describe('zone colouring', () => {
  it('follows ISO 20816-3 for the nameplate group and foundation', () => {
    expect(zoneFor(1.0, plate)?.zone).toBe('A');
    expect(zoneFor(2.0, plate)?.zone).toBe('B');
    expect(zoneFor(3.0, plate)?.zone).toBe('C');
    expect(zoneFor(4.5, plate)?.zone).toBe('D');
    expect(zoneFor(3.0, { ...plate, foundation: 'flexible' })?.zone).toBe('B');
    expect(zoneFor(3.0, { ...plate, isoGroup: 1 })?.zone).toBe('B');
    expect(zoneFor(3.0, plate)?.assumed).toEqual([]);
  });
  it('assumes the group from rated power and a rigid foundation when the nameplate is silent, and says so', () => {
    const z = zoneFor(3.0, { isoGroup: null, foundation: null, ratedKw: 500 });
    expect(z).toMatchObject({ zone: 'B', group: 1, foundation: 'rigid', assumed: ['group 1', 'rigid foundation'] });
    expect(zoneFor(3.0, { isoGroup: null, foundation: null, ratedKw: null })).toMatchObject({ group: 2, zone: 'C' });
  });
  it('has no zone without a valid reading', () => {
    expect(zoneFor(null, plate)).toBeNull();
    expect(zoneFor(undefined, plate)).toBeNull();
    expect(zoneFor(Number.NaN, plate)).toBeNull();
    expect(zoneFor(-1, plate)).toBeNull();
  });
});

describe('shake and rotation', () => {
  it('shakes in proportion to velocity, capped for absurd readings', () => {
    expect(shakeAmplitude(null)).toBe(0);
    expect(shakeAmplitude(4)).toBeCloseTo(2 * shakeAmplitude(2));
    expect(shakeAmplitude(1e6)).toBe(shakeAmplitude(SHAKE_MAX_MM_S));
  });
  it('slows a fast shaft down by a round factor so it turns about once a second', () => {
    expect(slowdownFactor(30)).toBe(1);
    expect(slowdownFactor(1480)).toBe(25);
    expect(slowdownFactor(2960)).toBe(50);
    expect(shownAngularSpeed(1480)).toBeCloseTo(((1480 / 60) * 2 * Math.PI) / 25);
    expect(shownAngularSpeed(null)).toBe(0);
  });
});

describe('dominant frequency', () => {
  it('takes the strongest diagnosis peak with its label and order', () => {
    const d = dominantFrequency({
      rpm: 1500,
      waterfall: null,
      diagnosis: { fault: 'outer_race', confidence: 0.9, evidence: '', peaks: [{ hz: 89.6, amplitude: 0.2, label: 'BPFO', snr: 8 }, { hz: 25, amplitude: 0.1, label: '1x', snr: 3 }] },
    });
    expect(d).toMatchObject({ hz: 89.6, label: 'BPFO' });
    expect(d!.order).toBeCloseTo(3.584, 2);
  });
  it('falls back to the waterfall top bin, ignoring DC', () => {
    const d = dominantFrequency({ rpm: null, diagnosis: null, waterfall: { maxHz: 100, db: [0, -40, -10, -30, -50] } });
    expect(d).toEqual({ hz: 50, order: null, label: null });
    expect(dominantFrequency(null)).toBeNull();
  });
});
