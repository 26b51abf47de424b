import { PRIMARY_READINGS, READINGS, READING_NAMES } from '../../../shared/readings';
import type { TwinSnapshot } from '../../../shared/twin';
import { formatTime, formatValue } from '../../ui/format';

/**
 * Every reading the motor reports, primary ones first, coloured by the limit it is past; then the readings its
 * drive or relay declares (thermal capacity used, phase currents…).
 */
export function ReadingTiles({ twin }: { twin: TwinSnapshot }) {
  const names = READING_NAMES.filter((n) => PRIMARY_READINGS.includes(n) || twin.readings[n]);
  return (
    <div className="tiles">
      {names.map((name) => {
        const r = twin.readings[name];
        const level = twin.statusReasons.find((s) => s.reading === name)?.level;
        return (
          <div key={name} className={`tile ${level ? `tile-${level}` : ''}`} data-testid={`tile-${name}`}>
            <div className="muted small">{READINGS[name].label}</div>
            <div className="tile-value">
              {formatValue(name, r?.value)} <span className="unit">{READINGS[name].unit}</span>
            </div>
            <div className="muted small">{r ? (r.value === null ? `no value at ${formatTime(r.ts)}` : formatTime(r.ts)) : 'not reported'}</div>
          </div>
        );
      })}
      {Object.entries(twin.declared ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, r]) => (
          // Declared by a drive's or relay's profile: its own label and unit; not judged by the motor's limits.
          <div key={name} className="tile" data-testid={`tile-${name}`}>
            <div className="muted small">{r.label}</div>
            <div className="tile-value">
              {r.value === null ? '–' : Number(r.value.toPrecision(6))} <span className="unit">{r.unit}</span>
            </div>
            <div className="muted small">{r.text ?? (r.value === null ? `no value at ${formatTime(r.ts)}` : formatTime(r.ts))}</div>
          </div>
        ))}
    </div>
  );
}
