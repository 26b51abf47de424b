import { READINGS, type ReadingName } from '../../../shared/readings';
import type { Limit } from '../../../shared/twin';
import { cssVar } from '../../ui/cssVar';
import type { PlotOptions } from '../../ui/UPlotChart';
import { limitLinesPlugin, projectionPlugin, wheelZoomPlugin } from './uplotPlugins';

export interface TrendOptionsInput {
  metric: ReadingName;
  /** Draw the min-max band (rollups); raw readings need only the line. */
  band: boolean;
  limit?: Limit;
  /** Charts with the same key share a cursor. */
  syncKey: string;
  onZoom: (fromMs: number, toMs: number) => void;
  /** Remaining-life projection to draw, with its text. */
  projection?: Parameters<typeof projectionPlugin>[0];
}

/** The uPlot configuration of one reading's trend: a config builder in the manner of Grafana's. */
export function buildTrendOptions(o: TrendOptionsInput): PlotOptions {
  const info = READINGS[o.metric];
  const accent = cssVar('--accent');
  const text = cssVar('--text-muted');
  const grid = cssVar('--grid');
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  const fmt = (v: number | null) => (v === null ? '–' : v.toFixed(info.digits));
  const grows = o.projection?.status === 'estimate' || o.projection?.status === 'too_far';
  return {
    cursor: { sync: { key: o.syncKey }, drag: { x: true, y: false, setScale: false } },
    legend: { live: true },
    scales: {
      x: { time: true },
      // Growth towards a limit shows the limit (the band ends there), with room above it for the projection's text.
      y: grows ? { range: (_u, min, max) => [Math.min(min ?? 0, o.projection!.limit), Math.max(max ?? 0, o.projection!.limit) * 1.3] } : {},
    },
    axes: [
      { ...axis, space: 90 },
      { ...axis, label: info.unit, labelSize: 18, size: 60, space: 30 },
    ],
    series: o.band
      ? [
          {},
          { label: 'min', stroke: cssVar('--band-edge'), width: 1, points: { show: false }, value: (_u, v) => fmt(v) },
          { label: 'max', stroke: cssVar('--band-edge'), width: 1, points: { show: false }, value: (_u, v) => fmt(v) },
          { label: `${info.label} (avg)`, stroke: accent, width: 1.5, points: { show: false }, value: (_u, v) => fmt(v) },
        ]
      : [{}, { label: info.label, stroke: accent, width: 1.5, points: { show: false }, value: (_u, v) => fmt(v) }],
    bands: o.band ? [{ series: [2, 1], fill: cssVar('--band') }] : [],
    hooks: {
      // Drag-select zooms by asking the engine for the window at the resolution it deserves.
      setSelect: [
        (u) => {
          if (u.select.width < 4) return;
          const from = u.posToVal(u.select.left, 'x') * 1000;
          const to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          o.onZoom(from, to);
        },
      ],
    },
    plugins: [wheelZoomPlugin(o.onZoom), ...(o.limit ? [limitLinesPlugin(o.limit, cssVar('--warn'), cssVar('--alarm'))] : []), ...(o.projection ? [projectionPlugin(o.projection, { line: cssVar('--warn'), limit: cssVar('--alarm') })] : [])],
  };
}
