import { describe, expect, it } from 'vitest';
import { AnomalyMonitor, learnBaseline, scoreAnomaly } from './anomaly';
import { seededRandom } from './waveformSynth';

describe('robust anomaly detection', () => {
  const rnd = seededRandom(11);
  const features = [
    { name: 'temperature_rise', direction: 'up' as const },
    { name: 'velocity_rms', direction: 'up' as const },
    { name: 'rpm', direction: 'both' as const },
  ];
  const normal = () => [40 + 2 * (rnd() - 0.5), 1.2 + 0.2 * (rnd() - 0.5), 1480 + 4 * (rnd() - 0.5)];
  const baseline = learnBaseline(features, [...Array.from({ length: 200 }, normal), [400, 90, 0]]);

  it('a wild reading inside the baseline does not spoil it; normal readings score low', () => {
    expect(baseline.median[0]).toBeCloseTo(40, 0);
    expect(scoreAnomaly(baseline, normal()).abnormal).toBe(false);
  });

  it('names the feature that drove a flag, and needs it to persist', () => {
    const monitor = new AnomalyMonitor(baseline, 3);
    const hot = [40, 3.5, 1480];
    expect(monitor.push(hot).flag).toBeNull();
    expect(monitor.push(hot).flag).toBeNull();
    const { flag } = monitor.push(hot);
    expect(flag?.drivers[0].feature).toBe('velocity_rms');
    expect(flag?.message).toMatch(/velocity_rms \+\d/);
    expect(monitor.push(hot).flag).toBeNull(); // one flag per episode
  });

  it('a drop of an "up" feature is not an anomaly; a speed change either way is', () => {
    expect(scoreAnomaly(baseline, [40, 0.2, 1480]).abnormal).toBe(false);
    expect(scoreAnomaly(baseline, [40, 1.2, 1400]).abnormal).toBe(true);
  });
});
