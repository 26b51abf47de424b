import { useEffect, useMemo, useState } from 'react';
import type { HistoryResult } from '../../../shared/contract';
import type { ReadingName } from '../../../shared/readings';
import { useEngineClient, useEngineState, useLiveVersion } from '../../engine/EngineProvider';
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
  const client = useEngineClient();
  const state = useEngineState();
  const liveVersion = useLiveVersion();
  const [result, setResult] = useState<HistoryResult | null>(null);
  const [span, setSpan] = useState<{ from: number; to: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const metricsKey = req.metrics.join(',');

  useEffect(() => {
    if (!client) return;
    let cancelled = false;
    const load = async () => {
      const to = req.window?.to ?? Date.now();
      const from = req.window?.from ?? to - req.range.ms;
      setLoading(true);
      try {
        const r = await client.call('history.query', { id: req.id, metrics: req.metrics, from: Math.floor(from), to: Math.ceil(to), maxPoints: 2000 });
        if (cancelled) return;
        setResult(r);
        setSpan({ from, to });
        setError(null);
      } catch (e) {
        if (!cancelled) setError((e as Error).message);
      } finally {
        if (!cancelled) setLoading(false);
      }
    };
    void load();
    const every = req.window ? 0 : req.range.refreshMs;
    const timer = every ? setInterval(() => void load(), every) : undefined;
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
    // metricsKey stands for req.metrics, whose identity changes on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, req.id, metricsKey, req.range, req.window]);

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
