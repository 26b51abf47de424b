import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import { useTheme } from '../../app/theme';
import { buildSpectrumOptions, type Marker } from './spectrumOptions';

/** One spectrum (acceleration or envelope) with its marker lines; zoom by dragging, reset by double-click. */
export function SpectrumPlot(props: { df: number; amplitude: number[]; markers: Marker[]; unit: string; testId: string; maxHz?: number }) {
  const { df, amplitude, markers, unit, testId, maxHz } = props;
  const el = useRef<HTMLDivElement>(null);
  const theme = useTheme();
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const ro = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width)));
    ro.observe(el.current!);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (!width) return;
    const n = maxHz ? Math.min(amplitude.length, Math.ceil(maxHz / df) + 1) : amplitude.length;
    const x = Array.from({ length: n }, (_, i) => i * df);
    const plot = new uPlot(buildSpectrumOptions({ width, height: 200, unit, markers }), [x, amplitude.slice(0, n)], el.current!);
    return () => plot.destroy();
  }, [width, df, amplitude, markers, unit, theme, maxHz]);

  return <div ref={el} className="spectrum-plot" data-testid={testId} />;
}
