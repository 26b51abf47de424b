import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveTimestamp } from './timestamps';
import { EARLIEST_PLAUSIBLE_MS } from './limits';

// resolveTimestamp computes a message's instant from the digits itself, for every message. Date.parse is the
// reference it must agree with, on every date-time the pattern admits: real or not, any offset, any fraction.

/** Date.parse's instant, or NaN when the fields as written name no real time (checked by a Date, as it was). */
function referenceInstant(t: string): number {
  const [, year, month, day, hour, minute, second = '0', zone] = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?.*?(Z|z|[+-]\d{2}:?\d{2})$/.exec(t)!;
  const ts = Date.parse(zone.length === 5 ? `${t.slice(0, -5)}${zone.slice(0, 3)}:${zone.slice(3)}` : t);
  const fields = new Date(0);
  fields.setUTCFullYear(+year, +month - 1, +day);
  const real = fields.getUTCMonth() === +month - 1 && fields.getUTCDate() === +day && +hour < 24 && +minute < 60 && +second < 60;
  return real ? ts : NaN;
}

const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
const year = fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1996, max: 2030 }), fc.constantFrom(0, 4, 99, 100, 1900, 2000, 2400)).map((n) => String(n).padStart(4, '0'));
const zone = fc.oneof(
  fc.constantFrom('Z', 'z'),
  fc.tuple(fc.constantFrom('+', '-'), fc.oneof(two(99), two(23)), fc.constantFrom(':', ''), fc.oneof(two(99), two(59))).map((p) => p.join('')),
);
const dateTime = fc
  .tuple(
    year,
    fc.oneof(two(13), two(99)),
    fc.oneof(two(32), two(99)),
    fc.oneof(two(25), two(99)),
    fc.oneof(two(60), two(99)),
    fc.option(fc.tuple(fc.oneof(two(60), two(99)), fc.option(fc.stringMatching(/^\d{1,9}$/)))),
  )
  .map(([y, mo, d, h, mi, s]) => `${y}-${mo}-${d}T${h}:${mi}${s ? `:${s[0]}${s[1] === null ? '' : `.${s[1]}`}` : ''}`);

describe('resolveTimestamp agrees with Date.parse', () => {
  it('reads the same instant, refuses the same unreal times and every time without a zone', () => {
    fc.assert(
      fc.property(dateTime, zone, (local, z) => {
        expect(resolveTimestamp(local, Date.now())).toEqual({ ok: false, reason: expect.stringMatching(/has no time zone/) });
        const t = local + z;
        const ts = referenceInstant(t);
        // Judged at its own instant, a real time is neither suspect nor shifted: the instant itself is compared.
        const r = resolveTimestamp(t, Number.isNaN(ts) ? Date.now() : ts);
        if (Number.isNaN(ts)) expect(r).toEqual({ ok: false, reason: `timestamp: ${JSON.stringify(t)} is not a real time` });
        else if (ts < EARLIEST_PLAUSIBLE_MS) expect(r).toEqual({ ok: false, reason: expect.stringMatching(/is absurd/) });
        else expect(r).toEqual({ ok: true, value: { ts, suspect: false } });
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    ['2026-11-24T11:59:00.1239Z', Date.UTC(2026, 10, 24, 11, 59, 0, 123)],
    ['2026-11-24T11:59:00.5Z', Date.UTC(2026, 10, 24, 11, 59, 0, 500)],
    ['2026-11-24T11:59:00.123456789-01:30', Date.UTC(2026, 10, 24, 13, 29, 0, 123)],
    ['2024-02-29T23:59:59z', Date.UTC(2024, 1, 29, 23, 59, 59)],
    ['2026-11-24T00:00+2359', Date.UTC(2026, 10, 23, 0, 1)],
  ])('reads %s', (t, ts) => expect(resolveTimestamp(t, ts)).toEqual({ ok: true, value: { ts, suspect: false } }));

  it.each(['2026-02-29T10:00:00Z', '2026-11-24T24:00:00Z', '2026-11-24T11:59:60Z', '2026-11-24T11:59+24:00', '2026-11-24T11:59-00:60', '2026-00-24T11:59Z'])(
    'refuses %s as no real time',
    (t) => expect(resolveTimestamp(t, Date.now())).toEqual({ ok: false, reason: `timestamp: ${JSON.stringify(t)} is not a real time` }),
  );

  it('keeps a date-time of the first century out of the plausible range (Date.UTC would read year 99 as 1999)', () => {
    const r = resolveTimestamp('0099-12-31T23:59:00-23:59', Date.UTC(2026, 0, 1));
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/is absurd/) });
  });
});
