import { describe, expect, it } from 'vitest';
import { imsTest2Running } from '../vibration/testData';
import { seededRandom } from '../vibration/waveformSynth';
import { duration, sig } from '../../shared/readable';
import { AHEAD_FACTOR, projectRemainingLife, type TrendPoint } from './lifeProjection';

const HOUR = 3_600_000;
const MIN = 60_000;
/** A reading every `stepMs` for `spanMs`, ending at t = 0, valued by `f(hoursBeforeEnd)`. */
const series = (spanMs: number, stepMs: number, f: (h: number) => number): TrendPoint[] =>
  Array.from({ length: Math.floor(spanMs / stepMs) + 1 }, (_, i) => {
    const t = i * stepMs - spanMs;
    return { t, value: f(t / HOUR) };
  });

describe('remaining life: a date only where the data carries it', () => {
  it('says "no upward trend", never a date, for a steady motor', () => {
    const rnd = seededRandom(1);
    const r = projectRemainingLife(series(24 * HOUR, 10 * MIN, () => 0.014 * (1 + 0.03 * (rnd() - 0.5))), { limit: 0.05 });
    expect(r.status).toBe('no_trend');
    expect(r.explanation).toMatch(/^no upward trend/);
  });

  it('is learning while the history is shorter than the source needs, and says how far it is', () => {
    const r = projectRemainingLife(series(2 * HOUR, MIN, (h) => 0.014 * Math.exp(h)), { limit: 0.05 });
    expect(r).toMatchObject({ status: 'learning', explanation: 'learning: not enough history (2 h of 6 h)' });
    // A simulator that declares 120 plant seconds per second of its own needs 3 minutes, not 6 hours.
    const sim = projectRemainingLife(series(2 * MIN, 1000, (h) => 0.014 * Math.exp(60 * h)), { limit: 0.05, timeScale: 120 });
    expect(sim).toMatchObject({ status: 'learning', explanation: 'learning: not enough history (2 min of 3 min)' });
  });

  it('gives no date for a noisy flat trend, even with a few lucky high readings at the end', () => {
    const rnd = seededRandom(7);
    const trend = series(12 * HOUR, 5 * MIN, () => 1.2 * (1 + 0.4 * (rnd() - 0.5)));
    for (const p of trend.slice(-4)) p.value *= 1.5;
    const r = projectRemainingLife(trend, { limit: 4.5 });
    expect(['no_trend', 'too_far']).toContain(r.status);
  });

  it('dates real growth over enough span within the interval and within three spans ahead', () => {
    const rnd = seededRandom(5);
    // 2 mm/s growing 10 %/h for 12 h with 3 % noise: reaches 7.1 mm/s 13.3 h after t = 0.
    const r = projectRemainingLife(series(12 * HOUR, 10 * MIN, (h) => 2 * 1.1 ** h * (1 + 0.03 * (rnd() - 0.5))), { limit: 7.1 });
    expect(r.status).toBe('estimate');
    if (r.status !== 'estimate') return;
    const truth = (Math.log(7.1 / 2) / Math.log(1.1)) * HOUR;
    expect(r.earliest).toBeLessThan(truth);
    expect(r.latest).toBeGreaterThan(truth);
    expect(r.latest).toBeLessThanOrEqual(r.fit.to + AHEAD_FACTOR * (r.fit.to - r.fit.from));
    expect(r.explanation).toMatch(/^severity doubles every 7\.\d h over the last \d+ h \(\d+ readings\), both halves growing$/);
  });

  it('gives no date when the crossing lies beyond three spans of the fit', () => {
    // 6 h of 5 %/h growth, 1 to 10: the crossing is 47 h away, the horizon 18 h.
    const r = projectRemainingLife(series(6 * HOUR, 5 * MIN, (h) => 1.05 ** h), { limit: 10 });
    expect(r.status).toBe('too_far');
    expect(r.explanation).toMatch(/^no date: .* reaches 10 in about 47 h, beyond 3x the span fitted$/);
  });

  it('gives no date for growth that does not hold across the window (it levelled off: a warm-up, not wear)', () => {
    const rnd = seededRandom(11);
    // 10 %/h for six hours, then 1 %/h for six: the whole window's fit alone would date it.
    const r = projectRemainingLife(series(12 * HOUR, 10 * MIN, (h) => 2 * 1.1 ** (Math.min(h, -6) + 12) * 1.01 ** Math.max(0, h + 6) * (1 + 0.01 * (rnd() - 0.5))), { limit: 4 });
    expect(r).toMatchObject({ status: 'no_trend', explanation: expect.stringMatching(/^no upward trend that holds: .* its two halves disagree/) });
  });

  it('writes absurd rates as words a person can read', () => {
    // What the four-minute trial met: 12 readings a few seconds apart, a rate of 10^19 %/day.
    const rnd = seededRandom(3);
    const r = projectRemainingLife(series(40_000, 3000, (h) => 0.014 * Math.exp(2000 * h) * (1 + 0.02 * (rnd() - 0.5))), { limit: 0.05, timeScale: 1e4 });
    expect(r.explanation).not.toMatch(/\d{7,}|e\+/);
    expect(sig(2.1393524189245960192e19)).toBe('over a billion');
    expect(sig(3_400_000)).toBe('3.4 million');
    expect(sig(0.000123456)).toBe('0.00012');
    expect(duration(0.4 * HOUR)).toBe('24 min');
    expect(duration(400 * 24 * HOUR)).toBe('over a year');
  });

  it('reports "crossed" once the latest readings are above the limit', () => {
    const r = projectRemainingLife(series(8 * HOUR, 10 * MIN, () => 5), { limit: 4.5 });
    expect(r.status).toBe('crossed');
  });
});

// NASA IMS test 2: one 10-minute snapshot per row (mean absolute acceleration, g); bearing 1 failed with an
// outer-race defect at the end. The last rows are the stopped rig, not vibration: the series ends at the last
// running snapshot. The limit is 5x bearing 1's level over the first two days.
describe('remaining life on NASA IMS test 2', () => {
  const running = imsTest2Running();
  const end = running[running.length - 1].t;
  const trend = running.map((r) => ({ t: r.t, value: r.levels[0] }));
  const BASELINE = 288;
  const limit = 5 * trend.slice(0, BASELINE).map((p) => p.value).sort((a, b) => a - b)[BASELINE >> 1];

  it('dates the end of bearing 1 within 40 h from a day and a half before it, and gives no date in its healthy days', () => {
    const lines: string[] = [];
    let dated = 0;
    for (const before of [36, 24, 18, 12, 8, 6, 4, 2]) {
      const r = projectRemainingLife(trend.filter((p) => p.t <= end - before * HOUR), { limit });
      if (r.status === 'estimate') {
        dated++;
        const errorH = (r.crossingAt - end) / HOUR;
        lines.push(`${before} h before: ${errorH >= 0 ? '+' : ''}${errorH.toFixed(1)} h [${((r.earliest - end) / HOUR).toFixed(1)}, ${((r.latest - end) / HOUR).toFixed(1)}]`);
        expect(Math.abs(errorH)).toBeLessThanOrEqual(40);
      } else lines.push(`${before} h before: ${r.status}`);
    }
    console.log(`IMS bearing 1 end-of-life estimate vs actual end (limit ${limit.toFixed(3)} g): ${lines.join('; ')}`);
    expect(dated).toBeGreaterThanOrEqual(5);
    // Every day of its first four (before the defect shows) says no date.
    for (let day = 1; day <= 4; day++) {
      const r = projectRemainingLife(trend.filter((p) => p.t <= trend[0].t + day * 24 * HOUR), { limit });
      expect(r.status, `day ${day}: ${r.explanation}`).not.toBe('estimate');
    }
  });
});
