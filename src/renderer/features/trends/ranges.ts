// The range picker's choices, from the live five minutes to a month.
export const RANGES = [
  { key: 'live5m', label: 'Live 5 min', ms: 5 * 60_000, live: true, refreshMs: 0 },
  { key: '1h', label: '1 hour', ms: 3_600_000, live: false, refreshMs: 10_000 },
  { key: '24h', label: '24 hours', ms: 86_400_000, live: false, refreshMs: 60_000 },
  { key: '7d', label: '7 days', ms: 7 * 86_400_000, live: false, refreshMs: 5 * 60_000 },
  { key: '30d', label: '30 days', ms: 30 * 86_400_000, live: false, refreshMs: 5 * 60_000 },
] as const;

export type RangeKey = (typeof RANGES)[number]['key'];
export type TrendRange = (typeof RANGES)[number];

export function rangeByKey(key: RangeKey): TrendRange {
  return RANGES.find((r) => r.key === key)!;
}

/** Explains what the chart is drawing, so nobody mistakes a 1-hour average for a raw reading. */
export function resolutionLabel(resolution: 'raw' | '1m' | '1h', bucketMs: number): string {
  const bucket = bucketMs >= 3_600_000 ? `${bucketMs / 3_600_000} h` : bucketMs >= 60_000 ? `${bucketMs / 60_000} min` : bucketMs >= 1000 ? `${bucketMs / 1000} s` : `${bucketMs} ms`;
  if (resolution === 'raw') return `raw readings, ${bucket} buckets`;
  return `${resolution === '1m' ? '1-minute' : '1-hour'} rollups, ${bucket} buckets (band: min to max)`;
}
