import { describe, expect, it } from 'vitest';
import { decimate } from './decimate';

describe('decimate', () => {
  it('keeps short series as they are, in seconds', () => {
    expect(decimate([1000, 2000], [1, null], 100)).toEqual([[1, 2], [1, null]]);
  });

  it('thins a long series to two points a pixel and keeps a one-sample spike and a gap', () => {
    const t = Array.from({ length: 3600 }, (_, i) => i * 100);
    const v: (number | null)[] = t.map((_, i) => 50 + Math.sin(i / 100));
    v[1234] = 95;
    v[2000] = null;
    const [xs, ys] = decimate(t, v, 220);
    expect(xs.length).toBeLessThanOrEqual(3 * 220);
    expect(xs.length).toBeGreaterThan(220);
    expect(Math.max(...(ys.filter((y) => y !== null) as number[]))).toBe(95);
    expect(ys).toContain(null);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });
});
