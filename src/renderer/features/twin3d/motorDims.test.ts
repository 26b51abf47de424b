import { describe, expect, it } from 'vitest';
import { motorDims, overallLength } from './motorDims';

describe('motor proportions', () => {
  it('picks the IEC frame of a 4-pole motor from its rated power', () => {
    expect(motorDims(7.5).frame).toBe(132);
    expect(motorDims(11).frame).toBe(160);
    expect(motorDims(110).frame).toBe(315);
    expect(motorDims(1000).frame).toBe(400);
  });
  it('assumes frame 132 without a rated power, and says so', () => {
    expect(motorDims(null)).toMatchObject({ frame: 132, assumed: true });
    expect(motorDims(7.5).assumed).toBe(false);
  });
  it('grows with power and keeps the axis above the floor', () => {
    const small = motorDims(1.5);
    const big = motorDims(90);
    expect(overallLength(big)).toBeGreaterThan(overallLength(small));
    expect(big.coreRadius + big.finHeight).toBeLessThan(big.shaftHeight);
  });
});
