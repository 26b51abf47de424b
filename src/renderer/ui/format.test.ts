import { describe, expect, it } from 'vitest';
import { formatAge, formatReading, formatValue } from './format';

describe('format', () => {
  it('shows readings with the digits their sensor deserves', () => {
    expect(formatReading('temperature', 72.44)).toBe('72.4 °C');
    expect(formatReading('vibration', 0.0123)).toBe('0.012 g');
    expect(formatReading('rpm', 1479.6)).toBe('1480 rpm');
  });
  it('shows a dash for a missing or non-finite value, never 0', () => {
    expect(formatValue('temperature', null)).toBe('–');
    expect(formatValue('temperature', undefined)).toBe('–');
    expect(formatValue('temperature', Number.NaN)).toBe('–');
  });
  it('says how old a reading is', () => {
    expect(formatAge(null)).toBe('never');
    expect(formatAge(1000, 4000)).toBe('3 s ago');
    expect(formatAge(0, 5 * 60_000)).toBe('5 min ago');
  });
});
