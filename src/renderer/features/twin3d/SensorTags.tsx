import type { RefObject } from 'react';
import { READINGS, type ReadingName } from '../../../shared/readings';
import { formatValue } from '../../ui/format';
import { PLAUSIBLE_C } from './colormap';
import { slowdownFactor, type ZoneReading } from './vibration';

interface Props {
  readings: ReadingName[];
  values: Partial<Record<ReadingName, number | null>>;
  zone: ZoneReading | null;
  /** Filled with each tag's element; MotorCanvas moves them over their sensors every frame. */
  tags: RefObject<Map<ReadingName, HTMLElement>>;
}

/** Beyond these a sensor is broken or misread: the value is shown, flagged, and the model clamps it. */
const PLAUSIBLE: Partial<Record<ReadingName, { min: number; max: number }>> = {
  temperature: PLAUSIBLE_C,
  vib_velocity: { min: 0, max: 100 },
  rpm: { min: 0, max: 20_000 },
  current: { min: 0, max: 10_000 },
};

function text(r: ReadingName, v: number | null | undefined, zone: ZoneReading | null): { value: string; note: string | null; flagged: boolean } {
  if (v === null || v === undefined || !Number.isFinite(v)) return { value: 'no data', note: null, flagged: false };
  const range = PLAUSIBLE[r];
  const flagged = range !== undefined && (v < range.min || v > range.max);
  const value = `${formatValue(r, v)} ${READINGS[r].unit}`;
  if (flagged) return { value, note: 'implausible: drawn clamped', flagged };
  if (r === 'vib_velocity' && zone) return { value, note: `zone ${zone.zone}`, flagged };
  if (r === 'rpm' && v > 0) {
    const f = slowdownFactor(v);
    return { value, note: f > 1 ? `drawn ${f}× slower` : null, flagged };
  }
  return { value, note: null, flagged };
}

/** Floating labels with each sensor's live value; they never take clicks, so the part under them can be picked. */
export function SensorTags({ readings, values, zone, tags }: Props) {
  const bind = (r: ReadingName) => (el: HTMLElement | null) => {
    if (el) tags.current.set(r, el);
    else tags.current.delete(r);
  };
  return (
    <div className="twin3d-tags" aria-live="off">
      {readings.map((r) => {
        const t = text(r, values[r], zone);
        return (
          <div key={r} ref={bind(r)} className="twin3d-tag" data-testid={`tag-${r}`}>
            <div className={`twin3d-tag-box${t.flagged ? ' flagged' : ''}${t.value === 'no data' ? ' nodata' : ''}`}>
              <span className="muted">{READINGS[r].label}</span> <strong data-testid={`tag-value-${r}`}>{t.value}</strong>
              {t.note && <span className="twin3d-tag-note"> · {t.note}</span>}
            </div>
          </div>
        );
      })}
    </div>
  );
}
