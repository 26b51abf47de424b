// The arithmetic of the three calibrations, kept apart from ports and databases so it can be checked by
// hand. Each takes what the board currently applies and returns what it should apply instead; every
// result is checked against the protocol's ranges and refused with a reason a person can act on.

import { DomainError } from '../platform/domainError';

export interface TemperatureCal {
  offset: number;
  gain: number;
}
export const IDENTITY_TEMPERATURE: TemperatureCal = { offset: 0, gain: 1 };

/**
 * One point corrects the offset; two points (at least 5 °C apart) correct offset and gain. The board
 * reports gain·raw + offset, so the readings are first taken back to raw with the current calibration.
 */
export function temperatureCalibration(points: Array<{ reference: number; measured: number }>, current: TemperatureCal): TemperatureCal {
  const raw = points.map((p) => ({ ref: p.reference, raw: (p.measured - current.offset) / current.gain }));
  let next: TemperatureCal;
  if (raw.length === 1) {
    next = { gain: current.gain, offset: raw[0].ref - current.gain * raw[0].raw };
  } else {
    const [a, b] = raw;
    if (Math.abs(b.raw - a.raw) < 5) throw new DomainError('invalid', 'the two points are less than 5 °C apart: take the second reading at a clearly different temperature');
    const gain = (b.ref - a.ref) / (b.raw - a.raw);
    next = { gain, offset: a.ref - gain * a.raw };
  }
  next = { offset: round(next.offset, 3), gain: round(next.gain, 5) };
  if (Math.abs(next.offset) > 20) throw new DomainError('invalid', `the offset would be ${next.offset} °C, beyond ±20 °C: check the reference reading and that the probe touches the frame`);
  if (next.gain < 0.5 || next.gain > 2) throw new DomainError('invalid', `the gain would be ${next.gain}, outside 0.5-2.0: check both reference readings`);
  return next;
}

const AXES = ['x', 'y', 'z'] as const;
export type Axis = (typeof AXES)[number];

/**
 * Zero offsets from the board at rest: the mean of each axis is its offset, except on the vertical axis,
 * where gravity (±1 g) is expected and removed first. Offsets add to those already applied.
 */
export function accelZero(mean: number[], vertical: Axis, current: [number, number, number]): [number, number, number] {
  const v = AXES.indexOf(vertical);
  if (Math.abs(Math.abs(mean[v]) - 1) > 0.3) {
    throw new DomainError('invalid', `the ${vertical} axis reads ${mean[v].toFixed(3)} g, not about ±1 g: lay the board flat and still with ${vertical} vertical, or choose the axis that points up`);
  }
  const zero = AXES.map((_, i) => round(current[i] + mean[i] - (i === v ? Math.sign(mean[v]) : 0), 5)) as [number, number, number];
  const worst = Math.max(...zero.map(Math.abs));
  if (worst > 0.5) throw new DomainError('invalid', `a zero offset of ${worst.toFixed(3)} g is beyond ±0.5 g: the board is moving or the sensor is faulty`);
  return zero;
}

/** Pulses per revolution from the board's reading and a reference tachometer's, at a steady speed. */
export function pulsesPerRev(measuredRpm: number, referenceRpm: number, currentPulses: number): number {
  if (!(referenceRpm > 0)) throw new DomainError('invalid', 'the tachometer reading must be above 0 rpm');
  if (!(measuredRpm > 0)) throw new DomainError('invalid', 'the board reads no speed: run the motor at a steady speed first');
  const exact = (measuredRpm * currentPulses) / referenceRpm;
  const ppr = Math.round(exact);
  if (ppr < 1 || ppr > 64) throw new DomainError('invalid', `that would be ${exact.toFixed(2)} pulses per revolution, outside 1-64: check the tachometer reading`);
  if (Math.abs(exact - ppr) / ppr > 0.05) {
    throw new DomainError('invalid', `the readings give ${exact.toFixed(2)} pulses per revolution, not a whole number: check the tachometer reading and that the speed is steady`);
  }
  return ppr;
}

/** Mean and standard deviation of each series. */
export function stats(series: number[][]): { mean: number[]; std: number[] } {
  const mean = series.map((s) => (s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN));
  const std = series.map((s, i) => (s.length > 1 ? Math.sqrt(s.reduce((a, b) => a + (b - mean[i]) ** 2, 0) / (s.length - 1)) : 0));
  return { mean: mean.map((m) => round(m, 5)), std: std.map((d) => round(d, 5)) };
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
