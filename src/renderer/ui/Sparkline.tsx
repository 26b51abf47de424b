import { useEffect, useMemo, useRef, useState } from 'react';
import type uPlot from 'uplot';
import { useTheme } from '../app/theme';
import { cssVar } from './cssVar';
import { breakAtGaps } from './breakAtGaps';
import { decimate } from './decimate';
import { UPlotChart, type PlotOptions } from './UPlotChart';

/** A trend of the last minutes does not need redrawing at 60 Hz: twice a second keeps ten cards cheap. */
const REDRAW_MS = 500;

/**
 * A tiny uPlot line without axes: the last minutes of one reading on a fleet card. The arrays are the
 * live buffer's own (changed in place), so `version` says when to redraw; broken where the readings paused,
 * thinned to the pixels drawn.
 */
export function Sparkline(props: { t: number[]; values: (number | null)[]; version: number; label: string; width?: number; height?: number }) {
  const { t, values, version, label, width = 220, height = 36 } = props;
  const theme = useTheme();
  // The theme's colours are read while building.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const options = useMemo(() => sparklineOptions(), [theme]);
  const [data, setData] = useState<uPlot.AlignedData>(() => thin(t, values, width));

  const drawnAt = useRef(0);
  useEffect(() => {
    const draw = () => {
      drawnAt.current = performance.now();
      setData(thin(t, values, width));
    };
    const wait = REDRAW_MS - (performance.now() - drawnAt.current);
    if (wait <= 0) return draw();
    const timer = setTimeout(draw, wait);
    return () => clearTimeout(timer);
  }, [t, values, version, width]);

  return <UPlotChart options={options} data={data} width={width} height={height} className="sparkline" role="img" aria-label={label} />;
}

/** Breaks first, so a silence stays visible however the points are thinned. */
function thin(t: number[], values: (number | null)[], width: number): uPlot.AlignedData {
  return decimate(...breakAtGaps(t, values), width);
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
