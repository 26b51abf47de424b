import { describe, expect, it } from 'vitest';
import { nextPollDelay } from './device';

describe('the next poll of a device', () => {
  it('falls on the clock multiple of its interval, so devices with the same interval are polled together', () => {
    // Polls that started a little after 10 s and 10.3 s both go next at 11 s.
    expect(nextPollDelay(10_004, 1000, 10_040)).toBe(960);
    expect(nextPollDelay(10_300, 1000, 10_350)).toBe(650);
    // A device added just before a multiple waits for the one after, not a few milliseconds.
    expect(nextPollDelay(10_900, 1000, 10_920)).toBe(1080);
  });

  it('starts at once after a poll that overran its interval', () => {
    expect(nextPollDelay(10_000, 1000, 11_200)).toBe(0);
  });

  it('keeps other intervals on their own multiples', () => {
    expect(nextPollDelay(2_510, 250, 2_520)).toBe(230);
  });
});
