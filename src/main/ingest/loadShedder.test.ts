import { describe, expect, it } from 'vitest';
import { LoadShedder } from './loadShedder';

describe('LoadShedder', () => {
  it('lets a burst through, then the device rate, and counts the rest per device', () => {
    const s = new LoadShedder({ ratePerS: 100, burst: 50 });
    let admitted = 0;
    for (let i = 0; i < 1000; i++) if (s.admit('flood', 0)) admitted++;
    expect(admitted).toBe(50);
    expect(s.shedFor('flood')).toBe(950);
    // One second later the bucket holds 100 more, never more than the burst.
    admitted = 0;
    for (let i = 0; i < 1000; i++) if (s.admit('flood', 1000)) admitted++;
    expect(admitted).toBe(50);
    expect(s.total).toBe(1900);
    expect(s.shedding(1000)).toEqual([{ id: 'flood', shed: 1900 }]);
    expect(s.shedding(7000)).toEqual([]);
  });

  it('never sheds a device at a normal rate beside one that floods', () => {
    const s = new LoadShedder({ ratePerS: 100, burst: 50 });
    for (let t = 0; t < 10_000; t += 10) {
      for (let i = 0; i < 20; i++) s.admit('flood', t);
      if (t % 100 === 0) expect(s.admit('steady', t)).toBe(true);
    }
    expect(s.shedFor('steady')).toBe(0);
    expect(s.shedFor('flood')).toBeGreaterThan(15_000);
  });

  it('keeps at most 10,000 devices however many ids arrive', () => {
    const s = new LoadShedder();
    for (let i = 0; i < 25_000; i++) s.admit(`made_up_${i}`, i);
    expect(s.devices).toBe(10_000);
  });
});
