import { useMemo } from 'react';
import type uPlot from 'uplot';
import { useTheme } from '../app/theme';
import { cssVar } from './cssVar';
import { breakAtGaps } from './breakAtGaps';
import { decimate } from './decimate';
import { UPlotChart, type PlotOptions } from './UPlotChart';

/**
 * A tiny uPlot line without axes: the last minutes of one reading on a fleet card. The arrays are the
 * live buffer's own (changed in place), so `version` says when to redraw: give it one that changes a few
 * times a second (EngineState.liveTrend), not on every telemetry batch. Broken where the readings paused,
 * thinned to the pixels drawn.
 */
export function Sparkline(props: { t: number[]; values: (number | null)[]; version: number; label: string; width?: number; height?: number }) {
  const { t, values, version, label, width = 220, height = 36 } = props;
  const theme = useTheme();
  // The theme's colours are read while building.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const options = useMemo(() => sparklineOptions(), [theme]);
  // `version`: the arrays changed in place. Breaks first, so a silence stays visible however the points are thinned.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const data = useMemo<uPlot.AlignedData>(() => decimate(...breakAtGaps(t, values), width), [t, values, version, width]);
  return <UPlotChart options={options} data={data} width={width} height={height} className="sparkline" role="img" aria-label={label} />;
}

function sparklineOptions(): PlotOptions {
  return {
    cursor: { show: false },
    legend: { show: false },
    axes: [{ show: false }, { show: false }],
    scales: { x: { time: false } },
    series: [{}, { stroke: cssVar('--accent'), width: 1.5, points: { show: false } }],
  };
}
