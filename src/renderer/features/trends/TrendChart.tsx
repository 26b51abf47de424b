import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import type { ReadingName } from '../../../shared/readings';
import type { Limit } from '../../../shared/twin';
import { useTheme } from '../../app/theme';
import { buildTrendOptions, type TrendOptionsInput } from './trendOptions';
import type { TrendData } from './useTrendData';

const HEIGHT = 170;

/** One reading's trend in uPlot; rebuilt only when its shape changes, fed new data in place. */
export function TrendChart(props: { metric: ReadingName; data: TrendData; limit?: Limit; syncKey: string; onZoom: (from: number, to: number) => void; projection?: TrendOptionsInput['projection'] }) {
  const { metric, data, limit, syncKey, onZoom, projection } = props;
  const el = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const zoom = useRef(onZoom);
  const theme = useTheme();
  const [width, setWidth] = useState(0);
  const band = data.resolution !== 'raw';
  const limitKey = JSON.stringify(limit ?? null);
  const projectionKey = JSON.stringify(projection ?? null);

  useEffect(() => {
    zoom.current = onZoom;
  }, [onZoom]);

  useEffect(() => {
    const ro = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width)));
    ro.observe(el.current!);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (!width) return;
    const opts = buildTrendOptions({ metric, width, height: HEIGHT, band, limit: limit ?? undefined, syncKey, onZoom: (f, t) => zoom.current(f, t), projection });
    const p = new uPlot(opts, band ? [[], [], [], []] : [[], []], el.current!);
    plot.current = p;
    return () => {
      p.destroy();
      plot.current = null;
    };
    // limitKey and projectionKey stand for limit and projection.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [metric, width, band, limitKey, projectionKey, syncKey, theme]);

  useEffect(() => {
    const p = plot.current;
    if (!p) return;
    const s = data.series[metric];
    p.setData(band ? [data.t, s?.min ?? [], s?.max ?? [], s?.avg ?? []] : [data.t, s?.avg ?? []], false);
    p.setScale('x', { min: data.from / 1000, max: ahead(data, projection) / 1000 });
    // projectionKey stands for projection.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, metric, width, band, limitKey, projectionKey, theme]);

  return <div ref={el} className="trend-chart" data-testid={`trend-chart-${metric}`} data-projection={projection?.status ?? 'none'} />;
}

/** A dated projection widens the time axis to show its band, by at most three times the range shown. */
function ahead(data: TrendData, projection: TrendOptionsInput['projection']): number {
  if (projection?.status !== 'estimate' || projection.latest === null) return data.to;
  return Math.max(data.to, Math.min(projection.latest, data.to + 3 * (data.to - data.from)));
}
