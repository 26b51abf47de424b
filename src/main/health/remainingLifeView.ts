import type { RemainingLifeView } from '../../shared/healthContract';
import type { Nameplate } from '../../shared/twin';
import type { MotorDatabase } from '../store/database';
import { queryHistory } from '../store/history';
import { zoneLimits } from '../vibration/iso20816';
import { estimateRemainingLife } from '../vibration/remainingLife';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Short windows first: a fault growing over minutes (the simulator's) is seen as well as one over days. */
const WINDOWS_MS = [15 * MINUTE, HOUR, 6 * HOUR, 24 * HOUR];

/**
 * When the motor's vibration severity will cross its limit: ISO 20816-3 zone D for velocity (group and
 * foundation from the nameplate), or the MECHANICAL_FAULT level for acceleration; fitted on the stored history.
 */
export async function remainingLifeOf(db: MotorDatabase, id: string, metric: 'vib_velocity' | 'vibration', nameplate: Nameplate, vibrationLimitG: number, now = Date.now()): Promise<RemainingLifeView> {
  const group = nameplate.isoGroup ?? 2;
  const foundation = nameplate.foundation ?? 'rigid';
  const limit = metric === 'vib_velocity' ? zoneLimits(group, foundation).cd : vibrationLimitG;
  const limitSource = metric === 'vib_velocity' ? `ISO 20816-3 zone C/D, group ${group}, ${foundation}` : 'the mechanical-fault rule';
  // The last hour at a few seconds a point (short windows need points), the day before it from the rollups.
  const points = async (from: number, to: number, maxPoints: number) => {
    const h = await queryHistory(db, { id, metrics: [metric], from, to, maxPoints });
    const avg = h.series[metric]?.avg ?? [];
    return h.t.map((t, i) => ({ t, value: avg[i] ?? NaN })).filter((p) => Number.isFinite(p.value) && p.value > 0);
  };
  const recentFrom = now - HOUR;
  const trend = [...(await points(now - 24 * HOUR, recentFrom, 500)).filter((p) => p.t < recentFrom), ...(await points(recentFrom, now + 1, 720))];
  const r = estimateRemainingLife(trend, { limit, windowsMs: WINDOWS_MS });
  const last = trend[trend.length - 1] ?? null;
  return {
    id,
    metric,
    limit,
    limitSource,
    status: r.status,
    crossingAt: r.status === 'not_enough_data' ? null : r.crossingAt,
    earliest: r.status === 'estimate' ? r.earliest : null,
    latest: r.status === 'estimate' ? r.latest : null,
    from: last ? { t: last.t, value: last.value } : null,
    explanation: r.explanation,
  };
}
