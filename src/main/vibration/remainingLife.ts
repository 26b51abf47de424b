// Remaining useful life from a severity trend. Bearing wear grows roughly exponentially once it has begun
// (a defect spalls, the spall grows, the impacts grow), so log(severity) is fitted as a straight line over the
// recent window and projected to the limit (ISO zone D or the user's). The interval comes from the slope's
// standard error (about 95 %): a slope that cannot be told from zero gives "not enough data", not a date.

export interface TrendPoint {
  /** Time, ms since epoch. */
  t: number;
  /** Severity: velocity RMS (mm/s), acceleration level, or any measure that rises with wear. */
  value: number;
}

export type RemainingLife =
  | { status: 'estimate'; crossingAt: number; earliest: number; latest: number; remainingH: number; growthPerDay: number; limit: number; explanation: string }
  | { status: 'crossed'; crossingAt: number; limit: number; explanation: string }
  | { status: 'not_enough_data'; limit: number; explanation: string };

export interface RemainingLifeOptions {
  limit: number;
  /** Trailing windows to fit, ms (default 6, 12 and 24 h); the earliest significant crossing is reported. */
  windowsMs?: number[];
  /** Fewest points in a window (default 12). */
  minPoints?: number;
  /** Beyond this horizon a projection is not trusted, ms (default 90 days). */
  horizonMs?: number;
}

const HOUR = 3_600_000;

/**
 * Fits each trailing window and keeps the earliest significant crossing: wear accelerates towards the end, so
 * the fastest credible recent growth is the one a maintenance planner must plan for.
 */
export function estimateRemainingLife(trend: TrendPoint[], o: RemainingLifeOptions): RemainingLife {
  const pts = trend.filter((p) => Number.isFinite(p.t) && p.value > 0).sort((a, b) => a.t - b.t);
  if (!pts.length) return { status: 'not_enough_data', limit: o.limit, explanation: 'no readings' };
  const fits = (o.windowsMs ?? [6 * HOUR, 12 * HOUR, 24 * HOUR]).map((w) => fitWindow(pts, w, o));
  const crossed = fits.find((f) => f.status === 'crossed');
  if (crossed) return crossed;
  const estimates = fits.filter((f) => f.status === 'estimate').sort((a, b) => a.crossingAt - b.crossingAt);
  return estimates[0] ?? fits[fits.length - 1];
}

function fitWindow(pts: TrendPoint[], windowMs: number, o: RemainingLifeOptions): RemainingLife {
  const { limit } = o;
  const now = pts[pts.length - 1].t;
  const window = pts.filter((p) => p.t >= now - windowMs);
  const minPoints = o.minPoints ?? 12;
  // Judge "crossed" on the median of the latest readings, so one spike does not end a machine's life.
  const recent = window.slice(-5).map((p) => p.value).sort((a, b) => a - b);
  if (recent.length >= 3 && recent[recent.length >> 1] >= limit) {
    return { status: 'crossed', crossingAt: window.find((p) => p.value >= limit)!.t, limit, explanation: `the latest readings are at or above the limit ${limit}` };
  }
  if (window.length < minPoints) return { status: 'not_enough_data', limit, explanation: `${window.length} readings in the window; the fit needs ${minPoints}` };
  const n = window.length;
  const xs = window.map((p) => (p.t - now) / HOUR);
  const ys = window.map((p) => Math.log(p.value));
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i] - intercept - slope * xs[i]) ** 2;
  const se = Math.sqrt(sse / (n - 2) / sxx);
  const growthPerDay = Math.exp(24 * slope) - 1;
  if (slope - 2 * se <= 0) {
    return { status: 'not_enough_data', limit, explanation: `no significant upward trend: ${(growthPerDay * 100).toFixed(1)} %/day ± ${((Math.exp(48 * se) - 1) * 100).toFixed(1)} % over the last ${n} readings` };
  }
  // Project from the fitted level now, so a noisy last reading does not move the date.
  const gap = Math.log(limit) - intercept;
  const hours = (s: number) => gap / s;
  const remainingH = hours(slope);
  const horizon = o.horizonMs ?? 90 * 24 * HOUR;
  if (remainingH * HOUR > horizon) return { status: 'not_enough_data', limit, explanation: `the trend reaches ${limit} only in ${(remainingH / 24).toFixed(0)} days, beyond the ${(horizon / 24 / HOUR).toFixed(0)}-day horizon` };
  return {
    status: 'estimate',
    crossingAt: now + remainingH * HOUR,
    earliest: now + hours(slope + 2 * se) * HOUR,
    latest: now + Math.min(hours(slope - 2 * se) * HOUR, horizon),
    remainingH,
    growthPerDay,
    limit,
    explanation: `severity grows ${(growthPerDay * 100).toFixed(0)} %/day over the last ${n} readings (${(windowMs / HOUR).toFixed(0)} h window); it reaches ${limit} in about ${remainingH.toFixed(1)} h`,
  };
}
