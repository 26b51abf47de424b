import { useMemo } from 'react';
import type uPlot from 'uplot';
import { useTheme } from '../../app/theme';
import { UPlotChart } from '../../ui/UPlotChart';
import { buildSpectrumOptions, type Marker } from './spectrumOptions';

/** One spectrum (acceleration or envelope) with its marker lines; zoom by dragging, reset by double-click. */
export function SpectrumPlot(props: { df: number; amplitude: number[]; markers: Marker[]; unit: string; testId: string; maxHz?: number }) {
  const { df, amplitude, markers, unit, testId, maxHz } = props;
  const theme = useTheme();
  // The theme's colours are read while building.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const options = useMemo(() => buildSpectrumOptions({ unit, markers }), [unit, markers, theme]);
  const data = useMemo((): uPlot.AlignedData => {
    const n = maxHz ? Math.min(amplitude.length, Math.ceil(maxHz / df) + 1) : amplitude.length;
    return [Array.from({ length: n }, (_, i) => i * df), amplitude.slice(0, n)];
  }, [df, amplitude, maxHz]);
  return <UPlotChart options={options} data={data} height={200} className="spectrum-plot" data-testid={testId} />;
}
