import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { useTheme } from '../app/theme';
import { cssVar } from './cssVar';
import { decimate } from './decimate';

/** A trend of the last minutes does not need redrawing at 60 Hz: twice a second keeps ten cards cheap. */
const REDRAW_MS = 500;

/**
 * A tiny uPlot line without axes: the last minutes of one reading on a fleet card. The arrays are the
 * live buffer's own (changed in place), so `version` says when to redraw; thinned to the pixels drawn.
 */
export function Sparkline(props: { t: number[]; values: (number | null)[]; version: number; label: string; width?: number; height?: number }) {
  const { t, values, version, label, width = 220, height = 36 } = props;
  const el = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const theme = useTheme();

  useEffect(() => {
    const p = new uPlot(
      {
        width,
        height,
        cursor: { show: false },
        legend: { show: false },
        axes: [{ show: false }, { show: false }],
        scales: { x: { time: false } },
        series: [{}, { stroke: cssVar('--accent'), width: 1.5, points: { show: false } }],
      },
      [[], []],
      el.current!,
    );
    plot.current = p;
    return () => {
      p.destroy();
      plot.current = null;
    };
  }, [width, height, theme]);

  const drawnAt = useRef(0);
  useEffect(() => {
    const draw = () => {
      drawnAt.current = performance.now();
      plot.current?.setData(decimate(t, values, width));
    };
    const wait = REDRAW_MS - (performance.now() - drawnAt.current);
    if (wait <= 0) return draw();
    const timer = setTimeout(draw, wait);
    return () => clearTimeout(timer);
  }, [t, values, version, theme, width]);

  return <div ref={el} className="sparkline" role="img" aria-label={label} />;
}
