import type { RemainingLifeView } from '../../../shared/healthContract';
import type { ReadingName } from '../../../shared/readings';
import { duration, sig } from '../../../shared/readable';
import { useLiveQuery } from '../../engine/useEngineQuery';

const REFRESH_MS = 30_000;
export const RUL_METRICS = ['vib_velocity', 'vibration'] as const;
type RulMetric = (typeof RUL_METRICS)[number];

export type RemainingLifeShown = RemainingLifeView & { text: string };

const EMPTY: Partial<Record<RulMetric, RemainingLifeShown>> = {};

/**
 * Remaining-life projections of the shown vibration severities, refreshed every 30 s, each with its text
 * written once per refresh (a text made at every render would rebuild the chart at every render).
 */
export function useRemainingLife(id: string, shown: readonly ReadingName[]): Partial<Record<RulMetric, RemainingLifeShown>> {
  const wanted = RUL_METRICS.filter((m) => shown.includes(m)).join(',');
  const q = useLiveQuery<Partial<Record<RulMetric, RemainingLifeShown>>>(wanted ? `health.remainingLife ${id} ${wanted}` : null, {
    load: async (c) => {
      const out: Partial<Record<RulMetric, RemainingLifeShown>> = {};
      for (const metric of wanted.split(',') as RulMetric[]) {
        try {
          const view = await c.call('health.remainingLife', { id, metric });
          out[metric] = { ...view, text: remainingLifeText(view) };
        } catch {
          // No estimate this time; the next refresh tries again.
        }
      }
      return out;
    },
    refreshMs: REFRESH_MS,
  });
  const views = q.data ?? EMPTY;
  return views;
}

/** One line for the trend note and the chart's corner: a date only when the engine gave one, else why not. */
export function remainingLifeText(v: RemainingLifeView, now = Date.now()): string {
  const ahead = (t: number) => duration(Math.max(0, t - now));
  if (v.status === 'estimate') {
    const capped = v.latest !== null && v.horizonAt !== null && v.latest >= v.horizonAt;
    return `Reaches ${sig(v.limit)} (${v.limitSource}) in about ${ahead(v.crossingAt!)} (between ${ahead(v.earliest!)} and ${ahead(v.latest!)}${capped ? ' or later' : ''}): ${v.explanation}`;
  }
  if (v.status === 'crossed') return `Already at or above ${sig(v.limit)} (${v.limitSource}): ${v.explanation}`;
  return `Remaining life: ${v.explanation}`;
}
