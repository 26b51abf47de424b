import type { RemainingLifeView } from '../../shared/healthContract';
import type { Nameplate, TwinSnapshot } from '../../shared/twin';
import type { Historian } from '../store/historian';
import { zoneLimits } from '../vibration/iso20816';
import { projectRemainingLife } from './lifeProjection';

const HOUR = 3_600_000;
/** The longest window fitted, in plant time (lifeProjection's default windows end there). */
const LONGEST_MS = 24 * HOUR;
/** Enough points for a 24 h window at a few minutes a point, or a simulator's minutes at a few seconds. */
const MAX_POINTS = 720;

/**
 * When the motor's vibration severity will cross its limit: ISO 20816-3 zone C/D for velocity (group and
 * foundation from the nameplate), or the MECHANICAL_FAULT level for acceleration; fitted on the stored history
 * over windows scaled by the time scale its source declares.
 */
export async function remainingLifeOf(
  historian: Pick<Historian, 'history'>,
  id: string,
  metric: 'vib_velocity' | 'vibration',
  twin: { nameplate: Nameplate; device: Pick<TwinSnapshot['device'], 'timeScale'> },
  vibrationLimitG: number,
  now = Date.now(),
): Promise<RemainingLifeView> {
  const group = twin.nameplate.isoGroup ?? 2;
  const foundation = twin.nameplate.foundation ?? 'rigid';
  const limit = metric === 'vib_velocity' ? zoneLimits(group, foundation).cd : vibrationLimitG;
  const limitSource = metric === 'vib_velocity' ? `ISO 20816-3 zone C/D, group ${group}, ${foundation}` : 'the mechanical-fault rule';
  const timeScale = twin.device.timeScale ?? 1;
  const h = await historian.history({ id, metrics: [metric], from: now - LONGEST_MS / timeScale, to: now + 1, maxPoints: MAX_POINTS });
  const avg = h.series[metric]?.avg ?? [];
  const trend = h.t.map((t, i) => ({ t, value: avg[i] ?? NaN })).filter((p) => Number.isFinite(p.value) && p.value > 0);
  const r = projectRemainingLife(trend, { limit, timeScale });
  const last = trend[trend.length - 1] ?? null;
  const fit = 'fit' in r ? r.fit : null;
  return {
    id,
    metric,
    limit,
    limitSource,
    status: r.status,
    crossingAt: r.status === 'estimate' || r.status === 'crossed' ? r.crossingAt : null,
    earliest: r.status === 'estimate' ? r.earliest : null,
    latest: r.status === 'estimate' ? r.latest : null,
    horizonAt: r.status === 'estimate' || r.status === 'too_far' ? r.horizonAt : null,
    fit,
    timeScale,
    from: fit ? { t: fit.to, value: fit.level } : last && { t: last.t, value: last.value },
    explanation: r.explanation,
  };
}
