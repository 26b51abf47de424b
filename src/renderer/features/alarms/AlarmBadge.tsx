import { useAlarms, isShelved, isUnacked } from '../health/healthState';

/** The header's count of unacknowledged alarms (shelved ones left out), red when any is critical. */
export function AlarmBadge() {
  const alarms = [...useAlarms().values()].filter((a) => isUnacked(a) && !isShelved(a));
  const critical = alarms.some((a) => a.severity === 'critical');
  return (
    <a href="#/alarms" className={`alarm-badge ${alarms.length ? (critical ? 'alarm-badge-critical' : 'alarm-badge-on') : ''}`} data-testid="alarm-badge" title="Unacknowledged alarms">
      Alarms <span data-testid="alarm-badge-count">{alarms.length}</span>
    </a>
  );
}
