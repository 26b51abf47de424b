import type uPlot from 'uplot';
import { cssVar } from '../../ui/cssVar';
import type { PlotOptions } from '../../ui/UPlotChart';

export interface Marker {
  label: string;
  hz: number;
}

/** Shaft lines in one colour, bearing defect lines in another, each labelled at the top of the plot. */
export function markersPlugin(markers: Marker[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const { ctx, bbox } = u;
        ctx.save();
        ctx.font = `${10 * devicePixelRatio}px system-ui, sans-serif`;
        ctx.lineWidth = devicePixelRatio;
        ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
        for (const m of markers) {
          const x = Math.round(u.valToPos(m.hz, 'x', true));
          if (x < bbox.left || x > bbox.left + bbox.width) continue;
          const colour = /x$/.test(m.label) ? cssVar('--accent') : cssVar('--warn');
          ctx.strokeStyle = colour;
          ctx.fillStyle = colour;
          ctx.beginPath();
          ctx.moveTo(x, bbox.top);
          ctx.lineTo(x, bbox.top + bbox.height);
          ctx.stroke();
          ctx.fillText(m.label, x + 3 * devicePixelRatio, bbox.top + 12 * devicePixelRatio);
        }
        ctx.restore();
      },
    },
  };
}

/** A spectrum in uPlot: frequency on x, amplitude on y; drag to zoom a frequency band, double-click to reset. */
export function buildSpectrumOptions(o: { unit: string; markers: Marker[] }): PlotOptions {
  const text = cssVar('--text-muted');
  const grid = cssVar('--grid');
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  return {
    cursor: { drag: { x: true, y: false, setScale: true } },
    legend: { live: true },
    scales: { x: { time: false } },
    axes: [
      { ...axis, label: 'Hz', labelSize: 14 },
      { ...axis, label: o.unit, labelSize: 18, size: 60 },
    ],
    series: [
      { label: 'Hz', value: (_u, v) => (v === null ? '–' : `${v.toFixed(1)} Hz`) },
      { label: 'amplitude', stroke: cssVar('--accent'), width: 1, points: { show: false }, value: (_u, v) => (v === null ? '–' : v.toPrecision(3)) },
    ],
    plugins: [markersPlugin(o.markers)],
  };
}
