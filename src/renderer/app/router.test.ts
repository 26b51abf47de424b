import { describe, expect, it } from 'vitest';
import { hrefFor, parseRoute } from './router';

describe('routes', () => {
  it('round-trip, including device ids that need escaping', () => {
    for (const r of [{ page: 'fleet' }, { page: 'motor', id: 'pump-7_a' }, { page: 'rejected' }, { page: 'connect' }] as const) {
      expect(parseRoute(hrefFor(r))).toEqual(r);
    }
  });
  it('falls back to the fleet for anything unknown', () => {
    expect(parseRoute('#/nowhere')).toEqual({ page: 'fleet' });
    expect(parseRoute('')).toEqual({ page: 'fleet' });
    expect(parseRoute('#/motor/')).toEqual({ page: 'fleet' });
  });
});
