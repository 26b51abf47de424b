import { describe, expect, it } from 'vitest';
import { isDeviceId } from '../../shared/protocol/schemas';
import { defaultReadingFor, readingFor, twinIdFor } from './naming';

describe('Sparkplug names', () => {
  it('makes twin ids that keep the device id rule, and keeps different names apart', () => {
    expect(twinIdFor('edge1', 'pump3')).toBe('edge1.pump3');
    expect(twinIdFor('edge1', null)).toBe('edge1');
    const odd = ['Line 1', 'Line_1', 'ÄÖ', '_x', 'a'.repeat(70), 'x+#/'];
    const ids = odd.map((n) => twinIdFor(n, 'Motor 7'));
    for (const id of ids) expect(isDeviceId(id), id).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(twinIdFor('Line 1', 'Motor 7')).toMatch(/^Line_1\.Motor_7-[0-9a-f]{8}$/);
  });

  it('maps metric names to readings by default, without case and by the last path segment', () => {
    expect(defaultReadingFor('Motor/Temperature')).toBe('temperature');
    expect(defaultReadingFor('temperature')).toBe('temperature');
    expect(defaultReadingFor('Ambient/Temperature')).toBe('ambient');
    expect(defaultReadingFor('Current')).toBe('current');
    expect(defaultReadingFor('Drive/Speed')).toBe('rpm');
    expect(defaultReadingFor('RPM')).toBe('rpm');
    expect(defaultReadingFor('vib_velocity')).toBe('vib_velocity');
    expect(defaultReadingFor('Node Control/Rebirth')).toBeNull();
    expect(defaultReadingFor('bdSeq')).toBeNull();
  });

  it("lets the user's mapping win, including 'not stored', and ignores inherited keys", () => {
    const mapping = { twinId: null, readings: { 'Drive/Speed': null, 'Winding/T1': 'temperature' as const } };
    expect(readingFor('Drive/Speed', mapping)).toEqual({ reading: null, mappedBy: 'user' });
    expect(readingFor('Winding/T1', mapping)).toEqual({ reading: 'temperature', mappedBy: 'user' });
    expect(readingFor('Current', mapping)).toEqual({ reading: 'current', mappedBy: 'default' });
    expect(readingFor('constructor', mapping)).toEqual({ reading: null, mappedBy: 'default' });
  });
});
