import { useMemo } from 'react';
import type { HistoryResult } from '../../../shared/contract';
import type { ReadingName } from '../../../shared/readings';
import { useEngineState, useLiveVersion } from '../../engine/EngineProvider';
import { useLiveQuery } from '../../engine/useEngineQuery';
import type { TrendRange } from './ranges';
import { useNow } from '../../ui/useNow';

export interface TrendData {
  /** Seconds, as uPlot wants them. */
  t: number[];
  series: Partial<Record<ReadingName, { min: (number | null)[]; max: (number | null)[]; avg: (number | null)[] }>>;
  resolution: HistoryResult['resolution'];
  bucketMs: number;
  from: number;
  to: number;
}

export interface TrendRequest {
  id: string;
  metrics: ReadingName[];
  range: TrendRange;
  /** A zoomed window (ms) that replaces the range's own; the engine picks the resolution for it. */
  window: { from: number; to: number } | null;
}

/**
 * History from the engine's rollups for the chosen range, refreshed on the range's cadence; in the live
 * range, points arriving after the query are appended from the live buffer.
 */
export function useTrendData(req: TrendRequest): { data: TrendData | null; error: string | null; loading: boolean } {
  const state = useEngineState();
  const liveVersion = useLiveVersion();
  const metricsKey = req.metrics.join(',');
  const windowKey = req.window ? `${req.window.from}-${req.window.to}` : 'now';
  const q = useLiveQuery<{ result: HistoryResult; span: { from: number; to: number } }>(`history ${req.id} ${metricsKey} ${req.range.key} ${windowKey}`, {
    load: async (c) => {
      const to = req.window?.to ?? Date.now();
      const from = req.window?.from ?? to - req.range.ms;
      const result = await c.call('history.query', { id: req.id, metrics: req.metrics, from: Math.floor(from), to: Math.ceil(to), maxPoints: 2000 });
      return { result, span: { from, to } };
    },
    refreshMs: req.window ? undefined : req.range.refreshMs,
  }, { keepPrevious: true });
  const result = q.data?.result ?? null;
  const span = q.data?.span ?? null;
  const { error, loading } = q;

  const following = req.range.live && !req.window;
  const now = useNow(following ? 1000 : 0);
  const data = useMemo((): TrendData | null => {
    if (!result || !span) return null;
    const t = result.t.map((x) => x / 1000);
    const series: TrendData['series'] = {};
    for (const m of req.metrics) {
      const s = result.series[m];
      series[m] = { min: s ? [...s.min] : t.map(() => null), max: s ? [...s.max] : t.map(() => null), avg: s ? [...s.avg] : t.map(() => null) };
    }
    let to = span.to;
    if (following) {
      const live = state.live.get(req.id);
      const after = result.t.length ? result.t[result.t.length - 1] + result.bucketMs : span.to;
      if (live) {
        for (let i = 0; i < live.t.length; i++) {
          if (live.t[i] < after) continue;
          t.push(live.t[i] / 1000);
          for (const m of req.metrics) {
            const v = live.values[m]?.[i] ?? null;
            series[m]!.min.push(v);
            series[m]!.max.push(v);
            series[m]!.avg.push(v);
          }
        }
      }
      to = Math.max(now, to, t.length ? t[t.length - 1] * 1000 : 0);
    }
    return { t, series, resolution: result.resolution, bucketMs: result.bucketMs, from: following ? to - req.range.ms : span.from, to };
    // liveVersion: the live buffer changed in place.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [result, span, following, now, liveVersion, metricsKey, req.id, req.range.ms, state]);

  return { data, error, loading };
}
