import { READINGS, type ReadingName } from '../../../shared/readings';
import { useEngineState, useLiveTrendVersion } from '../../engine/EngineProvider';
import { formatValue } from '../../ui/format';
import { Sparkline } from '../../ui/Sparkline';
import type { AlarmLike } from './alarmParts';
import { partLabel } from './sites';
import type { ZoneReading } from './vibration';

interface Props {
  motorId: string;
  node: string;
  readings: ReadingName[];
  values: Partial<Record<ReadingName, number | null>>;
  zone: ZoneReading | null;
  alarms: AlarmLike[];
  fault: string | null;
  replaying: boolean;
  onClose(): void;
}

/** A picked part: the readings of the sensors on it with their last minutes, its alarms and any diagnosed fault. */
export function PartPanel({ motorId, node, readings, values, zone, alarms, fault, replaying, onClose }: Props) {
  const state = useEngineState();
  const version = useLiveTrendVersion();
  const live = state.live.get(motorId);
  return (
    <aside className="twin3d-panel panel" data-testid={`part-panel-${node}`}>
      <div className="panel-head">
        <h2>{partLabel(node)}</h2>
        <span className="spacer" />
        <button className="ghost" onClick={onClose} aria-label="Close" data-testid="part-panel-close">
          ✕
        </button>
      </div>
      {fault && (
        <div className="twin3d-fault" data-testid="part-fault">
          Diagnosis: {fault}
        </div>
      )}
      {alarms.map((a) => (
        <div key={a.id} className={`reason-alarm small`} data-testid="part-alarm">
          {a.severity} alarm: {a.message || a.condition}
        </div>
      ))}
      {readings.length === 0 && <p className="muted small">No sensor on this part. Place one with “Place sensors”.</p>}
      {readings.map((r) => {
        const column = live?.values[r];
        return (
          <div key={r} className="twin3d-panel-reading">
            <div className="small muted">{READINGS[r].label}</div>
            <div className="tile-value" data-testid={`part-value-${r}`}>
              {values[r] === null || values[r] === undefined ? 'no data' : formatValue(r, values[r])} <span className="unit">{READINGS[r].unit}</span>
              {r === 'vib_velocity' && zone && <span className="small"> · ISO zone {zone.zone}</span>}
            </div>
            {!replaying && column && column.some((v) => v !== null) ? (
              <Sparkline t={live.t} values={column} version={version} label={`${READINGS[r].label}, last minutes`} width={240} height={32} />
            ) : null}
          </div>
        );
      })}
      {replaying && readings.length > 0 && <p className="muted small">Values at the replayed moment (5-minute averages).</p>}
    </aside>
  );
}
