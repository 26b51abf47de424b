import type { AlarmState } from '../../../shared/healthContract';

export const STATE_TEXT: Record<AlarmState, string> = {
  active_unacked: 'Active, unacknowledged',
  active_acked: 'Active, acknowledged',
  cleared_unacked: 'Cleared, unacknowledged',
  cleared_acked: 'Cleared, acknowledged',
};
