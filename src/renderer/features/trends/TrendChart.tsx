import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { ReadingName } from '../../../shared/readings';
import type { Limit } from '../../../shared/twin';
import { useTheme } from '../../app/theme';
import { UPlotChart } from '../../ui/UPlotChart';
import { buildTrendOptions, type TrendOptionsInput } from './trendOptions';
import type { TrendData } from './useTrendData';

const HEIGHT = 170;

/** One reading's trend (keep `onZoom` stable: a new one rebuilds the plot): rebuilt only when its shape changes, fed new data in place, resized in place. */
export function TrendChart(props: { metric: ReadingName; data: TrendData; limit?: Limit; syncKey: string; onZoom: (from: number, to: number) => void; projection?: TrendOptionsInput['projection'] }) {
  const { metric, data, limit, syncKey, onZoom, projection } = props;
  const theme = useTheme();
  const band = data.resolution !== 'raw';
  const limitKey = JSON.stringify(limit ?? null);
  const projectionKey = JSON.stringify(projection ?? null);

  const options = useMemo(
    () => buildTrendOptions({ metric, band, limit: limit ?? undefined, syncKey, onZoom, projection }),
    // limitKey and projectionKey stand for limit and projection; the theme's colours are read while building.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [metric, band, limitKey, projectionKey, syncKey, onZoom, theme],
  );
  const series = data.series[metric];
  const aligned = useMemo((): uPlot.AlignedData => (band ? [data.t, series?.min ?? [], series?.max ?? [], series?.avg ?? []] : [data.t, series?.avg ?? []]), [data.t, series, band]);
  const max = ahead(data, projection);
  const xRange = useMemo(() => ({ min: data.from / 1000, max: max / 1000 }), [data.from, max]);

  return <UPlotChart options={options} data={aligned} xRange={xRange} height={HEIGHT} className="trend-chart" data-testid={`trend-chart-${metric}`} data-projection={projection?.status ?? 'none'} />;
}

/** A dated projection widens the time axis to show its band, by at most three times the range shown. */
function ahead(data: TrendData, projection: TrendOptionsInput['projection']): number {
  if (projection?.status !== 'estimate' || projection.latest === null) return data.to;
  return Math.max(data.to, Math.min(projection.latest, data.to + 3 * (data.to - data.from)));
}
