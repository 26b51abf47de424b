/** What a plot is drawn from: its configuration, its data, its size and, optionally, a fixed x range. */
export interface PlotInputs {
  options: object;
  data: unknown;
  width: number;
  height: number;
  xMin?: number;
  xMax?: number;
}

/** What to do to the plot after a render: nothing, (re)build it, or update its size and/or data in place. */
export type PlotStep = { kind: 'none' } | { kind: 'build' } | { kind: 'update'; size: boolean; data: boolean };

/**
 * The lifecycle rule of Grafana's UPlotChart: a new configuration rebuilds the plot (with the current size
 * and data), new data calls setData, a new size calls setSize; nothing else does anything. While the
 * container has no size (hidden, not laid out yet) the plot is left as it is.
 */
export function plotStep(prev: PlotInputs | null, next: PlotInputs, built: boolean): PlotStep {
  if (next.width <= 0 || next.height <= 0) return { kind: 'none' };
  if (!built || !prev || prev.options !== next.options) return { kind: 'build' };
  const size = prev.width !== next.width || prev.height !== next.height;
  const data = prev.data !== next.data || prev.xMin !== next.xMin || prev.xMax !== next.xMax;
  return size || data ? { kind: 'update', size, data } : { kind: 'none' };
}
