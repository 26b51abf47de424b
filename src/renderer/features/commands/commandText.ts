import type { CommandRecord, CommandStatus, OperatorAction } from '../../../shared/commandsContract';

export const STATUS_TEXT: Record<CommandStatus, string> = {
  pending_approval: 'waiting for approval',
  approved: 'approved, sending',
  sent: 'sent',
  received: 'received by the device',
  applied: 'applied',
  rejected: 'rejected by the device',
  expired: 'expired',
  failed: 'failed',
  refused: 'refused by the limits',
  cancelled: 'rejected by a person',
};

export const ACTION_TEXT: Record<OperatorAction, { label: string; unit: string | null; hint: string }> = {
  REDUCE_LOAD: { label: 'Reduce load', unit: '%', hint: 'take this much off the load (0-50 %)' },
  SET_SPEED: { label: 'Set speed', unit: 'rpm', hint: 'within the nameplate speed' },
  STOP: { label: 'Stop', unit: null, hint: 'always allowed; confirm first' },
  START: { label: 'Start', unit: null, hint: 'blocked while a critical alarm is active unless overridden' },
  IDENTIFY: { label: 'Identify', unit: null, hint: 'blink the board LED' },
  SET_RATE: { label: 'Telemetry rate', unit: 'Hz', hint: '1-10 Hz' },
  REBOOT: { label: 'Reboot board', unit: null, hint: 'restart the sensor board' },
};

export function describeCommand(c: Pick<CommandRecord, 'action' | 'value'>): string {
  const unit = ACTION_TEXT[c.action as OperatorAction]?.unit;
  return `${c.action}${c.value === null ? '' : ` ${c.value}${unit ? ` ${unit}` : ''}`}`;
}
