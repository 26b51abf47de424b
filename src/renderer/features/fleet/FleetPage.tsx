import { useTwins } from '../../engine/EngineProvider';
import { TwinCard } from './TwinCard';
import { AddSimulatedMotor } from './AddSimulatedMotor';

const ORDER = { alarm: 0, warning: 1, unknown: 2, ok: 3 } as const;

/** Every motor at a glance; the ones that need attention first. */
export function FleetPage() {
  const twins = [...useTwins().values()].sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.name.localeCompare(b.name));
  return (
    <section>
      <div className="page-head">
        <h1>Fleet</h1>
        <span className="muted">{twins.length === 1 ? '1 motor' : `${twins.length} motors`}</span>
        <span className="spacer" />
        <AddSimulatedMotor />
      </div>
      {twins.length === 0 ? (
        <p className="empty-state">
          No motors yet. Add a simulated one, or <a href="#/connect">connect a real board</a>.
        </p>
      ) : (
        <div className="grid" data-testid="fleet-grid">
          {twins.map((t) => (
            <TwinCard key={t.id} twin={t} />
          ))}
        </div>
      )}
    </section>
  );
}
