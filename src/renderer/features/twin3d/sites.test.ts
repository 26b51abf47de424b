import { describe, expect, it } from 'vitest';
import { partLabel, readingsOn, siteOf } from './sites';

const sites = { temperature: { node: 'frame', point: null }, vib_velocity: { node: 'bearing_de', point: null } };

describe('sensor sites', () => {
  it('puts accelerometer readings with the vibration sensor and ambient with the temperature sensor', () => {
    expect(siteOf(sites, 'vib_peak')?.node).toBe('bearing_de');
    expect(siteOf(sites, 'ambient')?.node).toBe('frame');
    expect(siteOf(sites, 'rssi')).toBeUndefined();
    expect(readingsOn(sites, 'bearing_de')).toEqual(['vibration', 'vib_velocity', 'vib_peak', 'vib_x', 'vib_y', 'vib_z']);
    expect(readingsOn(sites, 'bearing_nde')).toEqual([]);
  });
  it('names built-in parts and keeps custom node names', () => {
    expect(partLabel('bearing_de')).toBe('Drive-end bearing');
    expect(partLabel('Housing_002')).toBe('Housing_002');
  });
});
