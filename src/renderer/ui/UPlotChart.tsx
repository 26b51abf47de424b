import { useEffect, useRef, useState, type HTMLAttributes, type RefObject } from 'react';
import uPlot from 'uplot';
import { plotStep, type PlotInputs } from './plotStep';

/** A uPlot configuration without its size, which the chart owns. */
export type PlotOptions = Omit<uPlot.Options, 'width' | 'height'>;

export interface UPlotChartProps extends Omit<HTMLAttributes<HTMLDivElement>, 'children'> {
  /** A new object rebuilds the plot: memoise it on what it is built from (theme included). */
  options: PlotOptions;
  /** A new array is handed to setData; the plot is not rebuilt. */
  data: uPlot.AlignedData;
  height: number;
  /** A fixed width; without it the chart fills its container's width and follows it. */
  width?: number;
  /** The x range to show after each setData; without it uPlot fits the data. */
  xRange?: { min: number; max: number };
}

/**
 * The one uPlot component, in the manner of Grafana's UPlotChart: configuration changes rebuild the plot,
 * data changes call setData, size changes call setSize (see plotStep).
 */
export function UPlotChart({ options, data, height, width: fixedWidth, xRange, ...div }: UPlotChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const prev = useRef<PlotInputs | null>(null);
  const measured = useContainerWidth(el, fixedWidth === undefined);
  const width = fixedWidth ?? measured;

  useEffect(() => {
    const next: PlotInputs = { options, data, width, height, xMin: xRange?.min, xMax: xRange?.max };
    const step = plotStep(prev.current, next, plot.current !== null);
    if (step.kind === 'none') return;
    prev.current = next;
    const p = plot.current;
    if (step.kind === 'build' || !p) {
      p?.destroy();
      plot.current = new uPlot({ ...options, width, height }, data, el.current!);
      if (xRange) plot.current.setScale('x', xRange);
      return;
    }
    if (step.size) p.setSize({ width, height });
    if (step.data) {
      p.setData(data, !xRange);
      if (xRange) p.setScale('x', xRange);
    }
  });

  useEffect(
    () => () => {
      plot.current?.destroy();
      plot.current = null;
      prev.current = null;
    },
    [],
  );

  return <div ref={el} {...div} />;
}

/** The element's content width in whole pixels, followed with a ResizeObserver while `follow` is set. */
function useContainerWidth(el: RefObject<HTMLDivElement | null>, follow: boolean): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    if (!follow || !el.current) return;
    const ro = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width)));
    ro.observe(el.current);
    return () => ro.disconnect();
  }, [el, follow]);
  return width;
}
