import { useCallback, useMemo, useState } from 'react';
import { PRIMARY_READINGS, READINGS, READING_NAMES, type ReadingName } from '../../../shared/readings';
import type { TwinSnapshot } from '../../../shared/twin';
import { formatDateTime } from '../../ui/format';
import { ExportButtons } from './ExportButtons';
import { RANGES, rangeByKey, resolutionLabel, type RangeKey } from './ranges';
import { TrendChart } from './TrendChart';
import { useTrendData } from './useTrendData';
import { useRemainingLife } from '../health/useRemainingLife';

/** Trends of one motor: range picker, reading toggles, stacked charts with a shared cursor, export. */
export function TrendPanel({ twin }: { twin: TwinSnapshot }) {
  const [rangeKey, setRangeKey] = useState<RangeKey>('live5m');
  const [zoomWindow, setZoomWindow] = useState<{ from: number; to: number } | null>(null);
  const [chosen, setChosen] = useState<ReadingName[]>(() => PRIMARY_READINGS.filter((m) => m in twin.readings));
  const range = rangeByKey(rangeKey);
  const available = READING_NAMES.filter((m) => m in twin.readings || PRIMARY_READINGS.includes(m));
  const metrics = useMemo(() => READING_NAMES.filter((m) => chosen.includes(m)), [chosen]);
  const { data, error, loading } = useTrendData({ id: twin.id, metrics: metrics.length ? metrics : ['temperature'], range, window: zoomWindow });
  const remaining = useRemainingLife(twin.id, metrics);
  const onZoom = useCallback((from: number, to: number) => {
    if (to - from >= 1000) setZoomWindow({ from, to });
  }, []);

  const pick = (key: RangeKey) => {
    setRangeKey(key);
    setZoomWindow(null);
  };
  const toggle = (m: ReadingName) => setChosen((c) => (c.includes(m) ? c.filter((x) => x !== m) : [...c, m]));
  const shown = data ? { from: data.from, to: data.to } : null;

  return (
    <section className="panel" data-testid="trend-panel">
      <div className="panel-head">
        <h2>Trends</h2>
        <div className="segmented" role="group" aria-label="Time range">
          {RANGES.map((r) => (
            <button key={r.key} className={r.key === rangeKey && !zoomWindow ? 'on' : ''} onClick={() => pick(r.key)} data-testid={`range-${r.key}`}>
              {r.label}
            </button>
          ))}
        </div>
        {zoomWindow && (
          <button className="ghost" onClick={() => setZoomWindow(null)} data-testid="zoom-reset">
            {range.live ? 'Back to live' : 'Reset zoom'}
          </button>
        )}
        <span className="spacer" />
        {shown && <ExportButtons id={twin.id} from={shown.from} to={shown.to} />}
      </div>
      <div className="metric-toggles">
        {available.map((m) => (
          <label key={m}>
            <input type="checkbox" checked={chosen.includes(m)} onChange={() => toggle(m)} data-testid={`metric-${m}`} /> {READINGS[m].label}
          </label>
        ))}
      </div>
      <div className="muted small" data-testid="trend-resolution">
        {data ? `${formatDateTime(data.from)} to ${formatDateTime(data.to)} · ${resolutionLabel(data.resolution, data.bucketMs)} · ${data.t.length} points` : loading ? 'loading…' : ''}
        {' · drag to zoom, wheel to zoom, shift-drag to pan'}
      </div>
      {error && <div className="error">History unavailable: {error}</div>}
      <div data-testid="trend-chart">
        {data &&
          metrics.map((m) => {
            const r = m === 'vibration' || m === 'vib_velocity' ? remaining[m] : undefined;
            return <TrendChart key={m} metric={m} data={data} limit={twin.limits[m]} syncKey={`trend-${twin.id}`} onZoom={onZoom} projection={r} />;
          })}
        {data && !metrics.length && <p className="muted">Choose a reading above.</p>}
      </div>
      {Object.values(remaining).map((r) => (
        <p key={r.metric} className="muted small" data-testid={`rul-note-${r.metric}`}>
          {READINGS[r.metric].label}: {r.text}
        </p>
      ))}
    </section>
  );
}
