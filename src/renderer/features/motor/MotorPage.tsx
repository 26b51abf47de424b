import { useTwin } from '../../engine/EngineProvider';
import { formatAge } from '../../ui/format';
import { useNow } from '../../ui/useNow';
import { ConnectionBadge, StatusBadge } from '../../ui/StatusDot';
import { TrendPanel } from '../trends/TrendPanel';
import { NameplateEditor } from './NameplateEditor';
import { ReadingTiles } from './ReadingTiles';
import { SimulatorControls } from './SimulatorControls';

/** One motor: its live readings and why its status is what it is, trends, nameplate and limits. */
export function MotorPage({ id }: { id: string }) {
  const twin = useTwin(id);
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
            <li key={`${r.reading}-${r.level}`} className={`reason-${r.level}`}>
              {r.text}
            </li>
          ))}
        </ul>
      )}
      <ReadingTiles twin={twin} />
      <TrendPanel twin={twin} />
      <div className="two-columns">
        <NameplateEditor twin={twin} />
        {twin.simulated && <SimulatorControls id={twin.id} />}
      </div>
    </section>
  );
}
