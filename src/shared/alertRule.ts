import type { CommandRecord } from './commandsContract';
import type { Alarm, AlarmTransition } from './healthContract';

// The one rule for what reaches a person unasked, used by every UI (toasts) and the desktop shell
// (notifications):
// - a toast for what someone at the screen may act on: a proposal waiting for approval, a command's outcome
//   (applied, rejected, expired, failed), and an alarm raised, or grown, to major or critical severity;
// - a desktop notification only for what needs a person even with the app in the background: a proposal
//   waiting for approval, a command that did not apply (rejected, expired, failed), an alarm raised, or grown,
//   to critical.
// Nothing else: alarms replayed from imported history, minor alarms and warnings, repeats, acknowledgements and clears stay in their lists; commands
// on their way (approved, sent, received) show on the motor page; a refusal or a cancellation is answered
// where it was asked.

export interface UserAlert {
  /** The same alert seen twice (a reload, a repeat of the event) has the same id. */
  id: string;
  motorId: string;
  /** One line, for a toast. */
  text: string;
  /** Title and body, for a desktop notification. */
  title: string;
  body: string;
  level: 'ok' | 'info' | 'warn' | 'alarm';
  /** Where in the UI to act on it. */
  href: string;
  toast: boolean;
  desktop: boolean;
}

const motorHref = (id: string) => `#/motor/${encodeURIComponent(id)}`;

/** What an alarm event tells a person, by the rule above; null when it is not an alert at all. */
export function alarmAlert({ alarm, transition, historical }: { alarm: Alarm; transition: AlarmTransition; historical?: boolean }): UserAlert | null {
  if (historical) return null;
  const news = transition.action === 'raise' || transition.action === 'severity';
  if (!news || (alarm.severity !== 'critical' && alarm.severity !== 'major')) return null;
  const critical = alarm.severity === 'critical';
  const title = `${alarm.motorId}: ${alarm.condition}`;
  return {
    id: `alarm:${alarm.id}:${alarm.severity}`,
    motorId: alarm.motorId,
    text: `${title}: ${alarm.message}`,
    title,
    body: alarm.message,
    level: critical ? 'alarm' : 'warn',
    href: motorHref(alarm.motorId),
    toast: true,
    desktop: critical,
  };
}

/** What a command's change tells a person, by the rule above; null when it is not an alert at all. */
export function commandAlert(c: CommandRecord): UserAlert | null {
  const what = `${c.action}${c.value === null ? '' : ` ${c.value}`}`;
  const base = { id: `command:${c.id}:${c.status}`, motorId: c.deviceId, toast: true };
  if (c.status === 'pending_approval') {
    const proposal = `${c.issuer.kind} ${c.issuer.name} proposes ${what}`;
    return { ...base, text: `${c.deviceId}: ${proposal}, waiting for approval`, title: `${c.deviceId}: ${c.action} waits for approval`, body: `${proposal}: ${c.reason}`, level: 'info', href: '#/approvals', desktop: true };
  }
  if (c.status !== 'applied' && c.status !== 'rejected' && c.status !== 'expired' && c.status !== 'failed') return null;
  const detail = c.detail ? ` (${c.detail})` : '';
  const title = `${c.deviceId}: ${c.action} ${c.status}`;
  return { ...base, text: `${title}${detail}`, title, body: `${what}${c.detail ? `: ${c.detail}` : ''}`, level: c.status === 'applied' ? 'ok' : 'warn', href: motorHref(c.deviceId), desktop: c.status !== 'applied' };
}
