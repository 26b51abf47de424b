import { describe, expect, it } from 'vitest';
import { seededRandom } from '../vibration/waveformSynth';
import { LiveAnomaly, type FeatureVector } from './liveAnomaly';

describe('live anomaly detection', () => {
  const rnd = seededRandom(5);
  const normal = (): FeatureVector => [30 + rnd(), 0.013 + 0.002 * rnd(), 1480 + rnd(), 0.8 + 0.05 * rnd(), null, null];

  it('learns a baseline from the features a motor reports, then flags a persisting departure naming the feature', () => {
    const a = new LiveAnomaly(null, 60);
    for (let i = 0; i < 60; i++) a.push(normal(), i);
    const s = a.status();
    expect(s.phase).toBe('scoring');
    expect(s.features).toEqual(['temperature_rise', 'vibration', 'rpm', 'vib_velocity']);
    for (let i = 0; i < 50; i++) expect(a.push(normal(), 100 + i)).toBeNull();
    const hot: FeatureVector = [30.5, 0.05, 1480.5, 0.82, null, null];
    const flags = Array.from({ length: 6 }, (_, i) => a.push(hot, 200 + i)).filter(Boolean);
    expect(flags).toHaveLength(1);
    expect(flags[0]!.message).toMatch(/vibration \+\d/);
    expect(a.push(normal(), 300)).toMatchObject({ raised: false });
  });

  it('"learn baseline now" uses the recent readings when there are enough', () => {
    const a = new LiveAnomaly(null, 30);
    for (let i = 0; i < 40; i++) a.push(normal(), i);
    expect(a.relearn(50)).toBe(true);
    expect(a.status()).toMatchObject({ phase: 'scoring', learnedAt: 50 });
  });
});
