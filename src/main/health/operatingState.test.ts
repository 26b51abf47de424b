import { describe, expect, it } from 'vitest';
import { OperatingState, STOPPED } from './operatingState';

describe('operating state', () => {
  it('bands speed by the rated speed and load by the rated current', () => {
    const s = new OperatingState(1480, 14.5);
    expect(s.step({ rpm: 1484, current: 12.3 })).toBe('rated speed, rated load');
    expect(s.step({ rpm: 700, current: 6 })).toBe('low speed, light load');
    expect(s.step({ rpm: 1470, current: 16 })).toBe('rated speed, overload');
    expect(s.step({ rpm: 30, current: 0 })).toBe(STOPPED);
  });

  it('needs a margin past an edge to change state, so a motor on the edge does not flicker', () => {
    const s = new OperatingState(1500, 10);
    expect(s.step({ rpm: 1500, current: 6.1 })).toBe('rated speed, rated load');
    expect(s.step({ rpm: 1500, current: 5.9 })).toBe('rated speed, rated load');
    expect(s.step({ rpm: 1500, current: 5.7 })).toBe('rated speed, light load');
    expect(s.step({ rpm: 1500, current: 6.1 })).toBe('rated speed, light load');
  });

  it('without a nameplate: speed against the fastest seen, one load band; current alone tells stopped', () => {
    const s = new OperatingState();
    expect(s.step({ rpm: 1485, current: 12 })).toBe('rated speed');
    expect(s.step({ rpm: 900, current: 8 })).toBe('low speed');
    const c = new OperatingState(null, 14.5);
    expect(c.step({ rpm: null, current: 12 })).toBe('rated load');
    expect(c.step({ rpm: null, current: 0.1 })).toBe(STOPPED);
    expect(new OperatingState().step({ rpm: null, current: null })).toBe('running');
  });
});
