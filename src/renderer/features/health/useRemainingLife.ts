import { useEffect, useState } from 'react';
import type { RemainingLifeView } from '../../../shared/healthContract';
import type { ReadingName } from '../../../shared/readings';
import { useEngineClient } from '../../engine/EngineProvider';

const REFRESH_MS = 30_000;
export const RUL_METRICS = ['vib_velocity', 'vibration'] as const;
type RulMetric = (typeof RUL_METRICS)[number];

/** Remaining-life projections of the shown vibration severities, refreshed every 30 s. */
export function useRemainingLife(id: string, shown: readonly ReadingName[]): Partial<Record<RulMetric, RemainingLifeView>> {
  const client = useEngineClient();
  const [views, setViews] = useState<Partial<Record<RulMetric, RemainingLifeView>>>({});
  const wanted = RUL_METRICS.filter((m) => shown.includes(m)).join(',');
  useEffect(() => {
    if (!client || !wanted) return;
    let cancelled = false;
    const load = async () => {
      const out: Partial<Record<RulMetric, RemainingLifeView>> = {};
      for (const metric of wanted.split(',') as RulMetric[]) {
        try {
          out[metric] = await client.call('health.remainingLife', { id, metric });
        } catch {
          // No estimate this time; the next refresh tries again.
        }
      }
      if (!cancelled) setViews(out);
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [client, id, wanted]);
  return views;
}

export function remainingLifeText(v: RemainingLifeView): string {
  const h = (t: number) => `${Math.max(0, (t - Date.now()) / 3_600_000).toFixed(1)} h`;
  if (v.status === 'estimate') return `Reaches ${v.limit} (${v.limitSource}) in about ${h(v.crossingAt!)} (between ${h(v.earliest!)} and ${h(v.latest!)}): ${v.explanation}`;
  if (v.status === 'crossed') return `Already at or above ${v.limit} (${v.limitSource}): ${v.explanation}`;
  return `Remaining life: not enough data (${v.explanation})`;
}
