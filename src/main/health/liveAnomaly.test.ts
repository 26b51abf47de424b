import { describe, expect, it } from 'vitest';
import { nameplateSchema } from '../../shared/twin';
import { seededRandom } from '../vibration/waveformSynth';
import { LiveAnomaly, settingsFrom, type FeatureVector } from './liveAnomaly';
import { savedBaselineSchema } from './stateBaseline';

// One reading every 10 s keeps these tests short while hours of running pass.
const STEP_MS = 10_000;
const TAU_S = 1200;
const STEADY = 30;
const rnd = seededRandom(5);
const noise = (a: number) => a * (rnd() - 0.5) * 2;

/** Temperature rise after a cold start at t = 0 (first order), with the other features steady. */
const reading = (rise: number, rpm = 1480 + noise(1)): FeatureVector => [rise + noise(0.1), 0.013 + noise(0.001), rpm, 0.8 + noise(0.03), null, null];
const warmRise = (tS: number) => STEADY * (1 - Math.exp(-tS / TAU_S));

function detector(hours: number, tauMin: number | null = TAU_S / 60) {
  return new LiveAnomaly(null, settingsFrom(nameplateSchema.parse({ ratedRpm: 1480, ratedCurrent: 14.5, baselineHours: hours, thermalTimeConstantMin: tauMin })));
}

/** Runs `a` from a cold start for `hours`, then returns the time reached (ms). */
function learnFromColdStart(a: LiveAnomaly, hours: number, t0 = 0): number {
  let t = t0;
  for (; t - t0 <= hours * 3600_000; t += STEP_MS) a.push(reading(warmRise((t - t0) / 1000)), t, 12.3);
  return t;
}

/** Stops the motor for an hour (it cools to ambient), then returns the time it starts again. */
function stopAndCool(a: LiveAnomaly, t: number): number {
  const end = t + 3600_000;
  for (; t < end; t += STEP_MS) a.push([STEADY * Math.exp(-(t - end + 3600_000) / 1000 / TAU_S), 0.004, 0, 0, null, null], t, 0);
  return t;
}

describe('live anomaly detection by operating state, with the warm-up modelled', () => {
  it('says "learning: … of 24 h" with no verdict until the window of running is complete', () => {
    const a = detector(24);
    learnFromColdStart(a, 3);
    const s = a.status();
    expect(s.phase).toBe('learning');
    expect(s.note).toBe('learning: 3 h of 24 h of running');
    expect(s.score).toBeNull();
    expect(s.abnormal).toBe(false);
    // Stopped time is not running time.
    stopAndCool(a, 3 * 3600_000 + STEP_MS);
    expect(a.status().note).toBe('learning: 3 h of 24 h of running');
    expect(a.status().state).toBe('stopped');
  });

  it('scores a motor warming up exponentially after a start as normal', () => {
    const a = detector(4);
    let t = learnFromColdStart(a, 4);
    expect(a.status()).toMatchObject({ phase: 'scoring', state: 'rated speed, rated load' });
    t = stopAndCool(a, t);
    for (let t0 = t; t - t0 < 3 * TAU_S * 1000; t += STEP_MS) {
      expect(a.push(reading(warmRise((t - t0) / 1000)), t, 12.3)).toBeNull();
      expect(a.status().abnormal).toBe(false);
    }
    expect(a.status().warmUp).toMatchObject({ tauS: TAU_S, tauSource: 'nameplate' });
  });

  it('learned while still warming up (a window shorter than the warm-up), it expects the rest of the warm-up', () => {
    // The case: a baseline from the first minutes after a start, then the motor goes on warming.
    const a = detector((0.75 * TAU_S) / 3600);
    let t = learnFromColdStart(a, (0.75 * TAU_S) / 3600);
    expect(a.status().phase).toBe('scoring');
    for (; t < 5 * TAU_S * 1000; t += STEP_MS) expect(a.push(reading(warmRise(t / 1000)), t, 12.3)).toBeNull();
    expect(a.status()).toMatchObject({ abnormal: false, warmUp: { expectedRise: expect.closeTo(STEADY, 0) } });
  });

  it('flags the same rise without a start, and a warm-up above the expected curve', () => {
    const a = detector(4);
    let t = learnFromColdStart(a, 4);
    // Running steadily at 30 K, the rise climbs again by 30 K along the same curve: no start explains it.
    const flags: string[] = [];
    for (let t0 = t; t - t0 < 3 * TAU_S * 1000; t += STEP_MS) {
      const f = a.push(reading(STEADY + warmRise((t - t0) / 1000)), t, 12.3);
      if (f?.raised) flags.push(f.message);
    }
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatch(/"rated speed, rated load" baseline .*temperature rise over its warm-up curve \+\d/);

    const b = detector(4);
    t = stopAndCool(b, learnFromColdStart(b, 4));
    let raised = false;
    // A start whose rise heads for 45 K, not 30 K: it leaves the expected curve as it goes.
    for (let t0 = t; t - t0 < 3 * TAU_S * 1000; t += STEP_MS) raised ||= !!b.push(reading(1.5 * warmRise((t - t0) / 1000)), t, 12.3)?.raised;
    expect(raised).toBe(true);
  });

  it('learns tau from the warm-up when the nameplate has none', () => {
    const a = detector(4, null);
    expect(a.status().warmUp).toMatchObject({ tauSource: 'typical' });
    learnFromColdStart(a, 4);
    const w = a.status().warmUp!;
    expect(w.tauSource).toBe('learned');
    expect(w.tauS).toBeGreaterThan(0.85 * TAU_S);
    expect(w.tauS).toBeLessThan(1.15 * TAU_S);
  });

  it('keeps operating states apart: a state not seen enough is "learning", a learned one is scored against its own', () => {
    const a = detector(4);
    let t = learnFromColdStart(a, 4);
    // Turned down to 700 rpm on its drive: vibration and speed unlike rated running, yet a state of its own.
    const slow = (): FeatureVector => [STEADY + noise(0.1), 0.006 + noise(0.0005), 700 + noise(1), 0.3 + noise(0.02), null, null];
    for (let i = 0; i < 20; i++, t += STEP_MS) expect(a.push(slow(), t, 7)).toBeNull();
    let s = a.status();
    expect(s).toMatchObject({ phase: 'learning', state: 'low speed, light load', score: null });
    expect(s.note).toMatch(/^learning the "low speed, light load" state: 3 min of 30 min of running in it$/);
    // After half an hour (1/8 of the 4 h window) at low speed it has a baseline of its own and scores normal.
    for (let i = 0; i < 200; i++, t += STEP_MS) expect(a.push(slow(), t, 7)).toBeNull();
    s = a.status();
    expect(s).toMatchObject({ phase: 'scoring', state: 'low speed, light load', abnormal: false });
    expect(s.states.map((x) => x.name).sort()).toEqual(['low speed, light load', 'rated speed, rated load']);
    // Back at rated speed, rated running is judged by its own baseline, still normal.
    for (let i = 0; i < 30; i++, t += STEP_MS) expect(a.push(reading(STEADY), t, 12.3)).toBeNull();
    expect(a.status()).toMatchObject({ phase: 'scoring', state: 'rated speed, rated load', abnormal: false });
  });

  it('a stored baseline, read back as the store reads it, scores from the first reading', () => {
    const a = detector(1);
    const t = learnFromColdStart(a, 1.1);
    const { learnedAt, ...stored } = a.baseline!;
    const back = { ...savedBaselineSchema.omit({ learnedAt: true }).parse(JSON.parse(JSON.stringify(stored))), learnedAt };
    const b = new LiveAnomaly(back, settingsFrom(nameplateSchema.parse({ ratedRpm: 1480, ratedCurrent: 14.5, baselineHours: 1, thermalTimeConstantMin: TAU_S / 60 })));
    b.push(reading(STEADY), t, 12.3);
    expect(b.status()).toMatchObject({ phase: 'scoring', state: 'rated speed, rated load', abnormal: false, learnedAt });
  });

  it('"learn baseline now" starts the window again', () => {
    const a = detector(1);
    const t = learnFromColdStart(a, 1.1);
    expect(a.status().phase).toBe('scoring');
    a.relearn();
    a.push(reading(STEADY), t, 12.3);
    expect(a.status()).toMatchObject({ phase: 'learning', learnedAt: null, note: 'learning: 10 s of 1 h of running' });
  });

  it('gives ISO 20816 alert and trip levels from the learned velocity baseline', () => {
    const a = detector(1);
    expect(a.status().vibrationLevels).toMatchObject({ baselineMmS: null, alertMmS: 2.8, tripMmS: 5.625 });
    learnFromColdStart(a, 1.1);
    const v = a.status().vibrationLevels!;
    expect(v.baselineMmS).toBeCloseTo(0.8, 1);
    expect(v.alertMmS).toBeCloseTo(v.baselineMmS! + 0.7, 5);
  });
});
