import { describe, expect, it } from 'vitest';
import { LiveBuffer, LIVE_WINDOW_MS } from './liveBuffer';

describe('LiveBuffer', () => {
  it('keeps each motor in time order, aligning readings that come and go', () => {
    const b = new LiveBuffer();
    b.append([
      { id: 'm1', ts: 1000, values: { temperature: 40 } },
      { id: 'm1', ts: 3000, values: { temperature: 42, rpm: 1480 } },
      { id: 'm1', ts: 2000, values: { temperature: 41 } },
      { id: 'm2', ts: 1500, values: { vibration: 0.01 } },
    ]);
    const s = b.get('m1')!;
    expect(s.t).toEqual([1000, 2000, 3000]);
    expect(s.values.temperature).toEqual([40, 41, 42]);
    expect(s.values.rpm).toEqual([null, null, 1480]);
    expect(b.get('m2')!.values.vibration).toEqual([0.01]);
  });

  it('drops points older than the live window', () => {
    const b = new LiveBuffer();
    b.append([
      { id: 'm1', ts: 0, values: { temperature: 1 } },
      { id: 'm1', ts: LIVE_WINDOW_MS + 10, values: { temperature: 2 } },
    ]);
    expect(b.get('m1')!.t).toEqual([LIVE_WINDOW_MS + 10]);
    expect(b.get('m1')!.values.temperature).toEqual([2]);
  });
});
