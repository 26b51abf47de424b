import { useTwin } from '../../engine/EngineProvider';
import { formatAge } from '../../ui/format';
import { useNow } from '../../ui/useNow';
import { ConnectionBadge, StatusBadge } from '../../ui/StatusDot';
import { TrendPanel } from '../trends/TrendPanel';
import { Twin3DSection } from '../twin3d/Twin3DSection';
import { NameplateEditor } from './NameplateEditor';
import { ReadingTiles } from './ReadingTiles';
import { SimulatorControls } from './SimulatorControls';
import { HealthGauge } from '../health/HealthGauge';
import { useHealth } from '../health/healthState';
import { AlarmTimeline } from '../alarms/AlarmTimeline';
import { VibrationPanel } from '../vibration/VibrationPanel';
import { CommandPanel } from '../commands/CommandPanel';
import { AuditTimeline } from '../commands/AuditTimeline';
import { CommandLimitsEditor } from '../commands/CommandLimitsEditor';
import { RulesPanel } from '../rules/RulesPanel';
import { MessageInspector } from './MessageInspector';
import { ImportHistory } from '../import/ImportHistory';

/** One motor: its live readings and why its status is what it is, trends, nameplate and limits. */
export function MotorPage({ id }: { id: string }) {
  const twin = useTwin(id);
  const health = useHealth(id);
  const now = useNow(2000);
  if (!twin) {
    return (
      <section>
        <h1>{id}</h1>
        <p className="empty-state">
          No motor called “{id}” is known. <a href="#/">Back to the fleet</a>
        </p>
      </section>
    );
  }
  return (
    <section data-testid={`motor-page-${id}`}>
      <div className="page-head">
        <a href="#/" className="ghost">
          ← Fleet
        </a>
        <h1>{twin.name}</h1>
        <StatusBadge status={twin.status} />
        <ConnectionBadge connection={twin.connection} />
        <span className="muted small">
          {twin.id} · {twin.simulated ? 'simulated' : `via ${twin.source}`}
          {twin.device.fw && ` · firmware ${twin.device.fw}`} · last seen {formatAge(twin.lastSeen, now)}
        </span>
      </div>
      {twin.statusReasons.length > 0 && (
        <ul className="reasons" data-testid="status-reasons">
          {twin.statusReasons.map((r) => (
            <li key={`${r.level}-${r.text}`} className={`reason-${r.level}`}>
              {r.text}
            </li>
          ))}
        </ul>
      )}
      <HealthGauge id={twin.id} health={health} />
      <ReadingTiles twin={twin} />
      <Twin3DSection twin={twin} />
      <TrendPanel twin={twin} />
      <AlarmTimeline id={twin.id} />
      <ImportHistory deviceId={twin.id} />
      <RulesPanel id={twin.id} />
      <CommandPanel deviceId={twin.id} />
      <AuditTimeline deviceId={twin.id} />
      <VibrationPanel id={twin.id} />
      {(twin.source === 'mqtt' || twin.source === 'sim') && <MessageInspector deviceId={twin.id} />}
      <div className="two-columns">
        <NameplateEditor twin={twin} />
        <CommandLimitsEditor deviceId={twin.id} />
        {twin.simulated && <SimulatorControls id={twin.id} />}
      </div>
    </section>
  );
}
