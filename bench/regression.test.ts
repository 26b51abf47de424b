import { describe, expect, it } from 'vitest';
import type { Figure } from './figure';
import { findRegressions } from './regression';

const fig = (name: string, ratio: number | null): Figure => ({ name, value: 1, unit: 'ms', baseline: 1, ratio, goal: '', pass: true });

describe('bench regressions', () => {
  const reference = { slow: { ratio: 1.5, better: 'lower' as const }, fast: { ratio: 1, better: 'higher' as const } };

  it('passes figures within 2x of the reference, either way they point', () => {
    expect(findRegressions([fig('slow', 2.9), fig('fast', 0.6)], reference)).toEqual([]);
  });

  it('names a figure more than 2x worse, one without a ratio, and one not measured', () => {
    expect(findRegressions([fig('slow', 3.1)], reference)).toEqual([expect.stringMatching(/^slow: ratio 3.1 against 1.5/), expect.stringMatching(/^fast: not measured/)]);
    expect(findRegressions([fig('slow', null), fig('fast', 0.4)], reference)).toEqual([expect.stringMatching(/^slow: no ratio/), expect.stringMatching(/^fast: ratio 0.4/)]);
  });
});
