import type { SetpointName } from '../../../shared/commandsContract';
import { useSetpoints } from './commandsState';

const LABEL: Record<SetpointName, { label: string; unit: string; format?: (v: number) => string }> = {
  load_reduction: { label: 'Load reduction', unit: '%' },
  speed_rpm: { label: 'Speed set-point', unit: 'rpm' },
  rate_hz: { label: 'Telemetry rate', unit: 'Hz' },
  running: { label: 'Running', unit: '', format: (v) => (v ? 'running' : 'stopped') },
};

/** Desired (what was commanded) beside reported (what the device confirmed), as Eclipse Ditto keeps them. */
export function SetpointsView({ deviceId }: { deviceId: string }) {
  const s = useSetpoints(deviceId);
  const rows = Object.entries(s?.values ?? {}) as [SetpointName, { desired: number | null; reported: number | null; commandId: string | null }][];
  if (!rows.length) return null;
  const show = (name: SetpointName, v: number | null) => (v === null ? '–' : LABEL[name].format ? LABEL[name].format!(v) : `${v} ${LABEL[name].unit}`);
  return (
    <table className="table compact setpoints" data-testid="setpoints">
      <thead>
        <tr>
          <th>Set-point</th>
          <th>Desired</th>
          <th>Reported</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, v]) => (
          <tr key={name} className={v.desired !== v.reported ? 'setpoint-pending' : ''} data-testid={`setpoint-${name}`}>
            <td>{LABEL[name].label}</td>
            <td>{show(name, v.desired)}</td>
            <td>
              {show(name, v.reported)}
              {v.desired !== v.reported && <span className="muted small"> · waiting for the device to confirm</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
