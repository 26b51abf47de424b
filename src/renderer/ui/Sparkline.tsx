import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { useTheme } from '../app/theme';
import { cssVar } from './cssVar';

/**
 * A tiny uPlot line without axes: the last minutes of one reading on a fleet card. The arrays are the
 * live buffer's own (changed in place), so `version` says when to redraw.
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

  useEffect(() => {
    plot.current?.setData([t.map((x) => x / 1000), values.slice()]);
  }, [t, values, version, theme]);

  return <div ref={el} className="sparkline" role="img" aria-label={label} />;
}
