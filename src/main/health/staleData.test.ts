import { describe, expect, it } from 'vitest';
import type { ReadingName } from '../../shared/readings';
import type { ReadingValue } from '../../shared/twin';
import { StaleWatch, type StaleEvent } from './staleData';

/** The twin's latest readings, each with the time it last came, per watch (as the twin keeps them). */
const twins = new WeakMap<StaleWatch, Partial<Record<ReadingName, ReadingValue>>>();

// A board sending once a second; `values` gives the readings it sends at second i.
function feed(w: StaleWatch, seconds: number, values: (i: number) => Partial<Record<ReadingName, number>>, from = 0): StaleEvent[] {
  const out: StaleEvent[] = [];
  const readings = twins.get(w) ?? {};
  twins.set(w, readings);
  for (let i = from; i < from + seconds; i++) {
    const ts = i * 1000;
    for (const [k, v] of Object.entries(values(i))) readings[k as ReadingName] = { value: v, ts };
    out.push(...w.step(readings, ts));
  }
  return out;
}

const noisy = (i: number) => 40 + 0.1 * Math.sin(i * 1.7);

describe('per-channel stale data', () => {
  it('calls a temperature that holds one exact value for 10 min stuck, and clears when it moves', () => {
    const w = new StaleWatch();
    expect(feed(w, 600, (i) => ({ temperature: noisy(i) }))).toEqual([]);
    expect(feed(w, 599, () => ({ temperature: 41.2 }), 600)).toEqual([]);
    const [e] = feed(w, 2, () => ({ temperature: 41.2 }), 1199);
    expect(e).toEqual({ reading: 'temperature', condition: 'STALE_TEMPERATURE', raised: true, message: 'temperature has read 41.20 °C exactly for 10 min while the board is online: sensor stuck?' });
    expect(feed(w, 1, () => ({ temperature: 41.3 }), 1201)).toEqual([expect.objectContaining({ raised: false, message: 'temperature is changing again (41.30 °C)' })]);
  });

  it('calls a reading that stops coming while the others still come silent', () => {
    const w = new StaleWatch();
    feed(w, 60, (i) => ({ temperature: noisy(i), vibration: 0.013 + 0.001 * Math.sin(i) }));
    const events = feed(w, 400, (i) => ({ temperature: noisy(i) }), 60);
    expect(events).toEqual([expect.objectContaining({ condition: 'STALE_VIBRATION', raised: true, message: expect.stringMatching(/^vibration has not updated for 5 min while the board is online \(last 0\.\d+ g\): sensor disconnected\?$/) })]);
  });

  it('does not call silent a reading kept from before the watch that the board no longer sends', () => {
    const w = new StaleWatch();
    // The twin restored vib_x from history three hours back; the board now sends other channels.
    twins.set(w, { vib_x: { value: 0.02, ts: -3 * 3600_000 } });
    expect(feed(w, 900, (i) => ({ temperature: noisy(i), vibration: 0.013 + 0.001 * Math.sin(i) }))).toEqual([]);
    // Once it comes again it is watched like any other, and its stopping is told.
    const vibration = (i: number) => 0.013 + 0.001 * Math.sin(i);
    feed(w, 10, (i) => ({ temperature: noisy(i), vibration: vibration(i), vib_x: 0.02 + 0.001 * Math.sin(i) }), 900);
    const events = feed(w, 400, (i) => ({ temperature: noisy(i), vibration: vibration(i) }), 910);
    expect(events).toEqual([expect.objectContaining({ condition: 'STALE_VIB_X', raised: true, message: expect.stringMatching(/^vib_x has not updated for 5 min/) })]);
  });

  it("leaves alone a drive's constant speed, a constant ambient, a stopped motor's zeros and a channel that rarely moves", () => {
    const w = new StaleWatch();
    // A drive's speed jitters while it ramps, then holds 1200.0 rpm exactly for an hour; the velocity moves
    // only when the operating point does.
    const events = feed(w, 4200, (i) => ({ rpm: i < 600 ? 1200 + Math.sin(i) : 1200, ambient: 24, temperature: noisy(i), vib_velocity: i < 100 ? 0.7 + 0.01 * (i % 3) : 0.75 }));
    expect(events).toEqual([]);
    // A stopped motor's current: exactly 0 for an hour.
    const stopped = new StaleWatch();
    expect(feed(stopped, 3600, (i) => ({ current: i < 60 ? 10 + Math.sin(i) : 0, temperature: noisy(i) }))).toEqual([]);
  });

  it('still calls a noisy vibration channel frozen after 5 min', () => {
    const w = new StaleWatch();
    feed(w, 1200, (i) => ({ vibration: 0.013 + 0.001 * Math.sin(i * 2.1) }));
    const events = feed(w, 400, () => ({ vibration: 0.0131 }), 1200);
    expect(events).toEqual([expect.objectContaining({ condition: 'STALE_VIBRATION', message: 'vibration has read 0.013 g exactly for 5 min while the board is online: sensor stuck?' })]);
  });
});
