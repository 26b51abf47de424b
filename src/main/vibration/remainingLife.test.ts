import { describe, expect, it } from 'vitest';
import { estimateRemainingLife } from './remainingLife';
import { seededRandom } from './waveformSynth';

const HOUR = 3_600_000;

describe('remaining useful life', () => {
  it('projects an exponential rise to the limit, with an interval around the truth', () => {
    const rnd = seededRandom(5);
    // 2 mm/s growing 10 %/h with 3 % noise: reaches 7.1 mm/s (zone D, group 1 rigid) 13.3 h after t = 0.
    const trend = Array.from({ length: 36 }, (_, i) => ({ t: i * 600_000 - 6 * HOUR, value: 2 * 1.1 ** (i / 6 - 6) * (1 + 0.03 * (rnd() - 0.5)) }));
    const r = estimateRemainingLife(trend, { limit: 7.1 });
    expect(r.status).toBe('estimate');
    if (r.status !== 'estimate') return;
    const truthH = Math.log(7.1 / 2) / Math.log(1.1);
    expect(r.earliest).toBeLessThan(truthH * HOUR);
    expect(r.latest).toBeGreaterThan(truthH * HOUR);
  });

  it('says "not enough data" for a flat or short trend, and "crossed" once above the limit', () => {
    const flat = Array.from({ length: 50 }, (_, i) => ({ t: i * 600_000, value: 1 + 0.05 * Math.sin(i) }));
    expect(estimateRemainingLife(flat, { limit: 4.5 }).status).toBe('not_enough_data');
    expect(estimateRemainingLife(flat.slice(0, 5), { limit: 4.5 })).toMatchObject({ status: 'not_enough_data', explanation: expect.stringMatching(/needs 12/) });
    expect(estimateRemainingLife(flat.map((p) => ({ ...p, value: p.value * 5 })), { limit: 4.5 }).status).toBe('crossed');
  });
});
