// Remaining life from a severity trend, given only where the data carries it. Bearing wear grows roughly
// exponentially once it has begun, so log(severity) is fitted as a straight line over trailing windows and
// projected to the limit. A date needs all of: enough history for the source (hours for a real board; a
// simulator that compresses time declares by how much), growth that is significant, large enough to matter
// and present in both halves of the window at rates that agree, and a crossing no further ahead than three
// times the span fitted. Three times: the prediction error of a straight-line fit grows as
// sqrt(1 + 12 (d / span)^2) with the distance d from the window's middle, about twelve times the level's own
// error at three spans ahead; wear also changes regime (a spall grows faster in its last day), so a longer
// reach is a guess, not a date.

import { duration, sig } from '../../shared/readable';

export interface TrendPoint {
  /** Time, ms since epoch. */
  t: number;
  /** Severity: velocity RMS (mm/s), acceleration level, or any measure that rises with wear. */
  value: number;
}

/** The straight line in log(severity) a projection rests on: value(t) = level * exp(slopePerH * (t - to) / 1 h). */
export interface TrendFit {
  from: number;
  to: number;
  points: number;
  level: number;
  slopePerH: number;
  /** The slope's standard error: the interval uses slope ± 2 of them (about 95 %). */
  slopeSePerH: number;
}

export type LifeProjection =
  | { status: 'estimate'; limit: number; fit: TrendFit; crossingAt: number; earliest: number; latest: number; horizonAt: number; explanation: string }
  | { status: 'crossed'; limit: number; crossingAt: number; explanation: string }
  | { status: 'learning'; limit: number; spanMs: number; neededMs: number; explanation: string }
  | { status: 'no_trend'; limit: number; fit: TrendFit | null; explanation: string }
  | { status: 'too_far'; limit: number; fit: TrendFit; horizonAt: number; explanation: string };

export interface ProjectionOptions {
  limit: number;
  /** Plant seconds one second of this source stands for (a simulator compressing wear); 1 for a real board. */
  timeScale?: number;
  /** The least history a fit needs, in plant time (default 6 h). */
  minSpanMs?: number;
  /** Trailing windows fitted, in plant time (default 6, 12 and 24 h); the earliest credible crossing wins. */
  windowsMs?: number[];
  /** Fewest points in a window (default 12). */
  minPoints?: number;
}

const HOUR = 3_600_000;
/** The farthest a date may lie ahead, in spans fitted (see the head of this file). */
export const AHEAD_FACTOR = 3;
/** Growth across the window below this is "no upward trend" however significant: sensor drift, not wear. */
const MIN_RISE = 0.1;
/** How much faster the later half may grow than the earlier (wear accelerates as a spall spreads) and how
 * much slower (beyond that it is levelling off: a warm-up, a step, not wear) for the two to be one trend. */
const LATER_FASTER = 8;
const LATER_SLOWER = 4;

export function projectRemainingLife(trend: TrendPoint[], o: ProjectionOptions): LifeProjection {
  const { limit } = o;
  const scale = o.timeScale && o.timeScale > 0 ? o.timeScale : 1;
  const pts = trend.filter((p) => Number.isFinite(p.t) && Number.isFinite(p.value) && p.value > 0).sort((a, b) => a.t - b.t);
  const minSpan = (o.minSpanMs ?? 6 * HOUR) / scale;
  if (!pts.length) return { status: 'learning', limit, spanMs: 0, neededMs: minSpan, explanation: `learning: no readings yet (the trend needs ${duration(minSpan)})` };
  const now = pts[pts.length - 1].t;
  // Judge "crossed" on the median of the latest readings, so one spike does not end a machine's life.
  const recent = pts.slice(-5).map((p) => p.value).sort((a, b) => a - b);
  if (recent.length >= 3 && recent[recent.length >> 1] >= limit) {
    return { status: 'crossed', limit, crossingAt: pts.find((p) => p.value >= limit)!.t, explanation: `the latest readings are at or above the limit ${sig(limit)}` };
  }
  const span = now - pts[0].t;
  if (span < minSpan) return { status: 'learning', limit, spanMs: span, neededMs: minSpan, explanation: `learning: not enough history (${duration(span)} of ${duration(minSpan)})` };

  const windows = (o.windowsMs ?? [6 * HOUR, 12 * HOUR, 24 * HOUR]).map((w) => w / scale).filter((w) => w <= span * 1.05);
  const judged = (windows.length ? windows : [span]).flatMap((w) => {
    const inWindow = pts.filter((p) => p.t >= now - w);
    return inWindow.length >= (o.minPoints ?? 12) ? [judge(inWindow, limit)] : [];
  });
  if (!judged.length) return { status: 'learning', limit, spanMs: span, neededMs: minSpan, explanation: `learning: too few readings in ${duration(span)} (the fit needs ${o.minPoints ?? 12})` };
  const estimates = judged.flatMap((j) => (j.status === 'estimate' ? [j] : [])).sort((a, b) => a.crossingAt - b.crossingAt);
  if (estimates.length) return estimates[0];
  const tooFar = judged.find((j) => j.status === 'too_far');
  if (tooFar) return tooFar;
  return judged[judged.length - 1];
}

function judge(window: TrendPoint[], limit: number): LifeProjection {
  const fit = fitLog(window);
  const spanMs = fit.to - fit.from;
  const rise = Math.exp((fit.slopePerH * spanMs) / HOUR) - 1;
  const over = `over the last ${duration(spanMs)} (${fit.points} readings)`;
  if (fit.slopePerH - 2 * fit.slopeSePerH <= 0 || rise < MIN_RISE) {
    return { status: 'no_trend', limit, fit, explanation: `no upward trend: ${signedPct(rise)} ${over}, within its noise` };
  }
  const half = window.findIndex((p) => p.t >= (fit.from + fit.to) / 2);
  const [a, b] = [fitLog(window.slice(0, half)), fitLog(window.slice(half))];
  const ratio = b.slopePerH / a.slopePerH;
  if (half < 6 || window.length - half < 6 || a.slopePerH <= 0 || b.slopePerH <= 0 || ratio > LATER_FASTER || ratio < 1 / LATER_SLOWER) {
    return { status: 'no_trend', limit, fit, explanation: `no upward trend that holds: ${signedPct(rise)} ${over}, but its two halves disagree (doubling every ${doubling(a.slopePerH)} then ${doubling(b.slopePerH)})` };
  }
  const gap = Math.log(limit / fit.level);
  const aheadMs = (s: number) => (gap / s) * HOUR;
  const horizonAt = fit.to + AHEAD_FACTOR * spanMs;
  const grows = `severity doubles every ${doubling(fit.slopePerH)} ${over}, both halves growing`;
  const crossingAt = fit.to + aheadMs(fit.slopePerH);
  if (crossingAt > horizonAt) {
    return { status: 'too_far', limit, fit, horizonAt, explanation: `no date: ${grows}; at this rate it reaches ${sig(limit)} in about ${duration(crossingAt - fit.to)}, beyond ${AHEAD_FACTOR}x the span fitted` };
  }
  const latest = fit.slopePerH - 2 * fit.slopeSePerH > 0 ? Math.min(fit.to + aheadMs(fit.slopePerH - 2 * fit.slopeSePerH), horizonAt) : horizonAt;
  return {
    status: 'estimate',
    limit,
    fit,
    crossingAt,
    earliest: fit.to + aheadMs(fit.slopePerH + 2 * fit.slopeSePerH),
    latest,
    horizonAt,
    explanation: grows,
  };
}

/** Least squares of log(value) against hours; the level is the fitted value at the window's last time. */
function fitLog(pts: TrendPoint[]): TrendFit {
  const n = pts.length;
  const to = pts[n - 1].t;
  const xs = pts.map((p) => (p.t - to) / HOUR);
  const ys = pts.map((p) => Math.log(p.value));
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i] - intercept - slope * xs[i]) ** 2;
  const se = n > 2 && sxx > 0 ? Math.sqrt(sse / (n - 2) / sxx) : Infinity;
  return { from: pts[0].t, to, points: n, level: Math.exp(intercept), slopePerH: slope, slopeSePerH: se };
}

const doubling = (slopePerH: number) => (slopePerH > 0 ? duration((Math.LN2 / slopePerH) * HOUR) : 'never');

/** A change in per cent, capped where a percentage stops meaning anything. */
function signedPct(rise: number): string {
  if (rise > 999) return 'more than a thousandfold';
  if (rise > 9) return `x${sig(rise + 1)}`;
  return `${rise >= 0 ? '+' : ''}${sig(rise * 100)} %`;
}
