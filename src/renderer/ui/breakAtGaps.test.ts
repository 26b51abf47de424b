import { describe, expect, it } from 'vitest';
import { breakAtGaps } from './breakAtGaps';
import { decimate } from './decimate';

describe('breakAtGaps', () => {
  const at10Hz = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i * 100);

  it('breaks the line where the engine was stopped, and only there', () => {
    const t = [...at10Hz(0, 50), ...at10Hz(60_000, 50)];
    const v = t.map((_, i) => 40 + i / 100);
    const [xs, ys] = breakAtGaps(t, v);
    expect(xs).toHaveLength(101);
    expect(ys.filter((y) => y === null)).toHaveLength(1);
    const at = ys.indexOf(null);
    expect(xs[at]).toBeGreaterThan(4_900);
    expect(xs[at]).toBeLessThan(60_000);
    expect(ys.slice(0, at)).toEqual(v.slice(0, 50));
    expect(ys.slice(at + 1)).toEqual(v.slice(50));
  });

  it('leaves a steady series as it is, even a slow one (a board reporting every 30 s)', () => {
    const fast = at10Hz(0, 500);
    expect(breakAtGaps(fast, fast.map(() => 1))[0]).toBe(fast);
    const slow = Array.from({ length: 20 }, (_, i) => i * 30_000);
    expect(breakAtGaps(slow, slow.map(() => 1))[1]).not.toContain(null);
  });

  it('keeps the break through thinning to the pixels drawn', () => {
    const t = [...at10Hz(0, 2_000), ...at10Hz(400_000, 2_000)];
    const [xs, ys] = breakAtGaps(t, t.map(() => 2));
    const [, thinned] = decimate(xs, ys, 100);
    expect(thinned).toContain(null);
  });
});
