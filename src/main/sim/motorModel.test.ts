import { describe, expect, it } from 'vitest';
import { MotorModel } from './motorModel';

const settle = (m: MotorModel, seconds: number) => {
  let r = m.step(0);
  for (let t = 0; t < seconds; t++) r = m.step(1);
  return r;
};
const quiet = () => 0.5; // no noise

describe('MotorModel', () => {
  it('slips below synchronous speed in proportion to load', () => {
    const m = new MotorModel(undefined, quiet);
    m.baseLoad = 1;
    expect(settle(m, 10).rpm).toBeCloseTo(1480, 0);
    m.baseLoad = 0.5;
    expect(settle(m, 10).rpm).toBeCloseTo(1490, 0);
  });

  it('heats towards a load-dependent steady state with its time constant', () => {
    const m = new MotorModel(undefined, quiet);
    const start = m.temperature;
    m.setFault('overheating');
    const target = m.steadyTemperature();
    const afterTau = settle(m, m.spec.thermalTauS).temperature!;
    // One time constant covers 63 % of the way.
    expect((afterTau - start) / (target - start)).toBeCloseTo(0.632, 1);
    expect(settle(m, 1200).temperature!).toBeGreaterThan(80);
  });

  it('cools when REDUCE_LOAD takes load off', () => {
    const m = new MotorModel(undefined, quiet);
    m.setFault('overheating');
    const hot = settle(m, 1200).temperature!;
    m.loadReduction = 40;
    expect(settle(m, 1200).temperature!).toBeLessThan(hot - 10);
  });

  it('vibrates more with unbalance, and bearing faults grow with time', () => {
    const healthy = settle(new MotorModel(undefined, quiet), 5).vibration;
    const unbalanced = new MotorModel(undefined, quiet);
    unbalanced.setFault('unbalance');
    expect(settle(unbalanced, 5).vibration).toBeGreaterThan(healthy * 2.5);
    const bearing = new MotorModel(undefined, quiet);
    bearing.setFault('bearing_outer');
    const early = settle(bearing, 10).vibration;
    const late = settle(bearing, 900).vibration;
    expect(late).toBeGreaterThan(early * 2);
    expect(late).toBeGreaterThan(0.05);
  });

  it('reports a dropped-out sensor as null and a stuck one as constant', () => {
    const dropout = new MotorModel(undefined, () => 0.1);
    dropout.setFault('sensor_dropout');
    expect(dropout.step(1).temperature).toBeNull();
    const stuck = new MotorModel(undefined, quiet);
    stuck.setFault('stuck_sensor');
    const first = stuck.step(1).temperature;
    stuck.loadReduction = 50;
    expect(settle(stuck, 600).temperature).toBe(first);
  });

  it('coasts down when switched off, then stands still', () => {
    const m = new MotorModel(undefined, quiet);
    const running = settle(m, 5).rpm;
    m.running = false;
    const coasting = settle(m, 20).rpm;
    expect(coasting).toBeLessThan(running * 0.6);
    expect(coasting).toBeGreaterThan(running * 0.3);
    expect(settle(m, 300).rpm).toBe(0);
  });

  it('vibrates most at 1x while a run-down passes the mounts\' resonance, and no more than at rated speed elsewhere', () => {
    const m = new MotorModel(undefined, quiet);
    // 1x velocity is its acceleration over the shaft frequency.
    const velocity1x = (rpm: number) => {
      m.rpm = rpm;
      return m.vibrationComponents().oneX / (rpm / 60);
    };
    const rated = velocity1x(1480);
    expect(velocity1x(9 * 60)).toBeGreaterThan(rated * 3);
    expect(velocity1x(0.6 * 1480)).toBeLessThan(rated);
    expect(velocity1x(0.8 * 1480)).toBeLessThan(rated);
    expect(velocity1x(100)).toBeLessThan(rated);
  });
});
