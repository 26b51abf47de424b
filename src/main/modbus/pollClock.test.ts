import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PollClock } from './pollClock';

describe('the poll clock', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(10_300);
  });
  afterEach(() => vi.useRealTimers());

  it('tells every device at one interval it is due on the same clock multiple, with one timer for all', () => {
    const clock = new PollClock();
    const turns: string[] = [];
    clock.join(1000, () => turns.push(`a@${Date.now()}`));
    vi.advanceTimersByTime(400);
    clock.join(1000, () => turns.push(`b@${Date.now()}`));
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(300);
    expect(turns).toEqual(['a@11000', 'b@11000']);
    vi.advanceTimersByTime(1000);
    expect(turns.slice(2)).toEqual(['a@12000', 'b@12000']);
    clock.close();
  });

  it('keeps other intervals on their own multiples, and stops its timer when the last device leaves', () => {
    const clock = new PollClock();
    const turns: number[] = [];
    const leave = clock.join(250, () => turns.push(Date.now()));
    const leaveSlow = clock.join(1000, () => undefined);
    expect(vi.getTimerCount()).toBe(2);
    vi.advanceTimersByTime(700);
    expect(turns).toEqual([10_500, 10_750, 11_000]);
    leave();
    leaveSlow();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(turns).toHaveLength(3);
  });

  it('goes on from the next multiple after a stall instead of making up the turns it missed', () => {
    const clock = new PollClock();
    const turns: number[] = [];
    clock.join(1000, () => turns.push(Date.now()));
    vi.advanceTimersByTime(700);
    // The machine slept for 5.5 s: the wall clock jumped, and the timer fires late, once.
    vi.setSystemTime(16_500);
    vi.advanceTimersByTime(1000);
    vi.advanceTimersByTime(500);
    expect(turns).toEqual([11_000, 17_500, 18_000]);
    clock.close();
  });
});
