import type { Decoded } from './decode';
import { ABSURD_FUTURE_MS, EARLIEST_PLAUSIBLE_MS, SUSPECT_FUTURE_MS, SUSPECT_PAST_MS } from './limits';

// A device message's time, read from its "timestamp": the board's clock when it is plausible, else the arrival time.

/**
 * An ISO 8601 date-time with a zone: `2026-01-15T10:15:00Z`, `…10:15:00.250+01:00`, `…10:15+0100`. Date.parse
 * alone takes "1" (as 2001) and "12/05/2026 10:00" (month or day first?); a time without a zone is the board's
 * local time in a zone nobody knows, so it is refused rather than read in this computer's zone.
 */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|z|[+-]\d{2}:?\d{2})?$/;

/** A timestamp as a rejection's reason shows it; quoted only when one is refused, not for every message. */
const quoted = (timestamp: string) => JSON.stringify(timestamp.slice(0, 40));

/** Date.UTC reads years 0-99 as 1900-1999; the calendar repeats every 400 years, so those are read 400 years on and moved back. */
const MS_PER_400_YEARS = 146_097 * 86_400_000;

const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const daysInMonth = (year: number, month: number) => (month === 2 ? (isLeapYear(year) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31);

/** The number written by `count` ASCII digits at `at` (the pattern has checked they are digits). */
function digits(s: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) n = n * 10 + s.charCodeAt(i) - 48;
  return n;
}

/**
 * The instant a date-time that matched ISO_DATE_TIME names: undefined when it names no zone, NaN when its
 * fields name no real time (30 February, 24:00, a 60th second, an offset beyond 23:59). The same instant
 * Date.parse reads (a fraction truncated to milliseconds), read from the fields at the places the pattern
 * fixes: this runs for every message, and Date.parse, a Date to check the fields and the pattern's captured
 * strings were most of its cost.
 */
function instantOf(s: string): number | undefined {
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  let at = 16;
  let second = 0;
  let ms = 0;
  if (s[at] === ':') {
    second = digits(s, at + 1, 2);
    at += 3;
    if (s[at] === '.') {
      let end = at + 1;
      while (end < s.length && s.charCodeAt(end) >= 48 && s.charCodeAt(end) <= 57) end++;
      const kept = Math.min(end - at - 1, 3);
      ms = digits(s, at + 1, kept) * 10 ** (3 - kept);
      at = end;
    }
  }
  if (at === s.length) return undefined;
  let offsetMs = 0;
  if (s[at] === '+' || s[at] === '-') {
    const offsetHours = digits(s, at + 1, 2);
    const offsetMinutes = digits(s, s[at + 3] === ':' ? at + 4 : at + 3, 2);
    if (offsetHours > 23 || offsetMinutes > 59) return NaN;
    offsetMs = (s[at] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  }
  const real = month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour < 24 && minute < 60 && second < 60;
  if (!real) return NaN;
  const utc = year < 100 ? Date.UTC(year + 400, month - 1, day, hour, minute, second, ms) - MS_PER_400_YEARS : Date.UTC(year, month - 1, day, hour, minute, second, ms);
  return utc - offsetMs;
}

/** Resolves the message time: device clock when plausible, else arrival time (flagged). */
export function resolveTimestamp(timestamp: string | undefined, now: number): Decoded<{ ts: number; suspect: boolean }> {
  if (timestamp === undefined) return { ok: true, value: { ts: now, suspect: false } };
  if (!ISO_DATE_TIME.test(timestamp)) return refuse(`timestamp: ${quoted(timestamp)} is not an ISO 8601 date-time (like 2026-01-15T10:15:00Z)`);
  const ts = instantOf(timestamp);
  if (ts === undefined) return refuse(`timestamp: ${quoted(timestamp)} has no time zone: add Z for UTC or an offset like +01:00`);
  if (Number.isNaN(ts)) return refuse(`timestamp: ${quoted(timestamp)} is not a real time`);
  if (ts < EARLIEST_PLAUSIBLE_MS || ts > now + ABSURD_FUTURE_MS) {
    return refuse(`timestamp: ${timestamp.slice(0, 40)} is absurd (before 2000 or over a year ahead of this computer's clock)`);
  }
  if (ts > now + SUSPECT_FUTURE_MS) return { ok: true, value: { ts: now, suspect: true } };
  return { ok: true, value: { ts, suspect: ts < now - SUSPECT_PAST_MS } };
}

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
