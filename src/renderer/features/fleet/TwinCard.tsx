import { memo } from 'react';
import { PRIMARY_READINGS, READINGS } from '../../../shared/readings';
import type { TwinSnapshot } from '../../../shared/twin';
import { hrefFor } from '../../app/router';
import { useEngineState, useLiveTrendVersion } from '../../engine/EngineProvider';
import { formatAge, formatValue } from '../../ui/format';
import { Sparkline } from '../../ui/Sparkline';
import { useNow } from '../../ui/useNow';
import { ConnectionBadge, StatusBadge } from '../../ui/StatusDot';
import { MotorGlyph } from '../twin3d/MotorGlyph';
import { useHealth } from '../health/healthState';

/**
 * One motor in the fleet: status colour, online state, last values, a sparkline of its temperature. It renders
 * again when its own twin or health changes (a telemetry batch changes a few motors of the fleet).
 */
export const TwinCard = memo(function TwinCard({ twin }: { twin: TwinSnapshot }) {
  const now = useNow(2000);
  // The motor's one story in one line: the assessment's verdict once it has found something.
  const assessment = useHealth(twin.id)?.assessment;
  const why = assessment && assessment.level !== 'normal' ? `${assessment.level.charAt(0).toUpperCase()}${assessment.level.slice(1)}: ${assessment.verdict}` : (twin.statusReasons[0]?.text ?? 'Within limits');
  return (
    <a className={`card twin-card status-edge-${twin.status}`} href={hrefFor({ page: 'motor', id: twin.id })} data-testid={`twin-card-${twin.id}`}>
      <div className="card-head">
        <div>
          <div className="card-title">{twin.name}</div>
          <div className="muted small">
            {twin.id !== twin.name && `${twin.id} · `}
            {twin.simulated ? 'simulated' : twin.source}
          </div>
        </div>
        <MotorGlyph twin={twin} />
        <div className="card-badges">
          <StatusBadge status={twin.status} />
          <ConnectionBadge connection={twin.connection} />
        </div>
      </div>
      <dl className="card-readings">
        {PRIMARY_READINGS.map((name) => (
          <div key={name}>
            <dt>{READINGS[name].label}</dt>
            <dd data-testid={`reading-${twin.id}-${name}`}>
              {formatValue(name, twin.readings[name]?.value)}
              <span className="unit">{READINGS[name].unit}</span>
            </dd>
          </div>
        ))}
      </dl>
      <TemperatureTrend id={twin.id} name={twin.name} />
      <div className="muted small" data-testid={`twin-card-why-${twin.id}`}>
        {why} · last seen {formatAge(twin.lastSeen, now)}
      </div>
    </a>
  );
});

/** The card's sparkline: redrawn with the live trend's version, a few times a second, without the card. */
function TemperatureTrend({ id, name }: { id: string; name: string }) {
  const state = useEngineState();
  const version = useLiveTrendVersion();
  const live = state.live.get(id);
  return live?.values.temperature ? (
    <Sparkline t={live.t} values={live.values.temperature} version={version} label={`${name} temperature, last minutes`} />
  ) : (
    <div className="sparkline empty muted small">no live data yet</div>
  );
}
