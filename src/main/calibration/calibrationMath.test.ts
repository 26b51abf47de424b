import { describe, expect, it } from 'vitest';
import { accelZero, IDENTITY_TEMPERATURE, pulsesPerRev, stats, temperatureCalibration } from './calibrationMath';

describe('temperatureCalibration', () => {
  it('one point corrects the offset only', () => {
    expect(temperatureCalibration([{ reference: 50, measured: 51.2 }], IDENTITY_TEMPERATURE)).toEqual({ offset: -1.2, gain: 1 });
  });
  it('two points correct gain and offset, on top of the calibration already applied', () => {
    // raw = true*1.01 + 1.2 ; currently applied: offset -1.2, gain 1
    const current = { offset: -1.2, gain: 1 };
    const measured = (t: number) => (t * 1.01 + 1.2) * current.gain + current.offset;
    const c = temperatureCalibration(
      [
        { reference: 20, measured: measured(20) },
        { reference: 80, measured: measured(80) },
      ],
      current,
    );
    const corrected = (t: number) => c.gain * (t * 1.01 + 1.2) + c.offset;
    expect(corrected(20)).toBeCloseTo(20, 2);
    expect(corrected(80)).toBeCloseTo(80, 2);
  });
  it('refuses points too close together and results outside the protocol ranges', () => {
    expect(() => temperatureCalibration([{ reference: 20, measured: 20 }, { reference: 22, measured: 22 }], IDENTITY_TEMPERATURE)).toThrow(/5 °C apart/);
    expect(() => temperatureCalibration([{ reference: 70, measured: 20 }], IDENTITY_TEMPERATURE)).toThrow(/beyond ±20/);
    // The person's readings are at fault, not the board: answered as invalid (400, invalid_params).
    expect(() => temperatureCalibration([{ reference: 70, measured: 20 }], IDENTITY_TEMPERATURE)).toThrow(expect.objectContaining({ code: 'invalid' }));
    expect(() => temperatureCalibration([{ reference: 0, measured: 0 }, { reference: 30, measured: 10 }], IDENTITY_TEMPERATURE)).toThrow(/gain/);
  });
});

describe('accelZero', () => {
  it('removes gravity on the vertical axis and keeps the rest as offsets', () => {
    expect(accelZero([0.02, -0.01, 1.005], 'z', [0, 0, 0])).toEqual([0.02, -0.01, 0.005]);
    expect(accelZero([0.0, -0.98, 0.01], 'y', [0.01, 0, 0])).toEqual([0.01, 0.02, 0.01]);
  });
  it('refuses a board that is not lying still with the chosen axis vertical', () => {
    expect(() => accelZero([1, 0, 0], 'z', [0, 0, 0])).toThrow(/not about ±1 g/);
  });
});

describe('pulsesPerRev', () => {
  it('finds the whole number of pulses that matches the tachometer', () => {
    expect(pulsesPerRev(2960, 1480, 1)).toBe(2);
    expect(pulsesPerRev(1480, 1480, 2)).toBe(2);
  });
  it('refuses readings that match no whole number or a missing speed', () => {
    expect(() => pulsesPerRev(2200, 1480, 1)).toThrow(/not a whole number/);
    expect(() => pulsesPerRev(0, 1480, 1)).toThrow(/no speed/);
    expect(() => pulsesPerRev(1480 * 100, 1480, 1)).toThrow(/outside 1-64/);
  });
});

describe('stats', () => {
  it('gives mean and sample standard deviation per series', () => {
    expect(stats([[1, 2, 3], [5]])).toEqual({ mean: [2, 5], std: [1, 0] });
  });
});
