import { describe, expect, it } from 'vitest';
import { alarmAlert, commandAlert } from './alertRule';
import { COMMAND_STATUSES, type CommandRecord, type CommandStatus } from './commandsContract';
import { ALARM_ACTIONS, SEVERITIES, type Alarm, type AlarmTransition } from './healthContract';

// The one rule for toasts and desktop notifications, case by case.

const alarm = (severity: Alarm['severity']): Alarm => ({
  id: 'a1',
  motorId: 'pump_09',
  condition: 'OVERHEATING',
  severity,
  state: 'active_unacked',
  source: 'rule',
  message: 'temperature 86 °C above 80 °C',
  raisedAt: 1,
  updatedAt: 1,
  clearedAt: null,
  ackedAt: null,
  ackComment: null,
  shelvedUntil: null,
  repeats: 0,
});
const transition = (action: AlarmTransition['action']): AlarmTransition => ({ alarmId: 'a1', motorId: 'pump_09', ts: 5, action, from: null, to: 'active_unacked', comment: null, message: '' });

const command = (status: CommandStatus): CommandRecord =>
  ({
    id: 'c1',
    deviceId: 'pump_09',
    action: 'REDUCE_LOAD',
    value: 25,
    reason: 'OVERHEATING: too hot',
    issuer: { kind: 'rule', name: 'OVERHEATING' },
    status,
    detail: status === 'rejected' ? 'drive in local mode' : null,
  }) as CommandRecord;

const reach = (a: { toast: boolean; desktop: boolean } | null) => (a ? `${a.toast ? 'toast' : ''}${a.desktop ? '+desktop' : ''}` : 'none');

describe('which alarms reach a person', () => {
  it('toasts a raised major or critical alarm, and notifies the desktop of a critical one only', () => {
    expect(Object.fromEntries(SEVERITIES.map((s) => [s, reach(alarmAlert({ alarm: alarm(s), transition: transition('raise') }))]))).toEqual({
      critical: 'toast+desktop',
      major: 'toast',
      minor: 'none',
      warning: 'none',
    });
  });

  it('treats an alarm whose severity grew as news; nothing else that happens to an alarm is', () => {
    const byAction = Object.fromEntries(ALARM_ACTIONS.map((a) => [a, reach(alarmAlert({ alarm: alarm('critical'), transition: transition(a) }))]));
    expect(byAction).toEqual({ raise: 'toast+desktop', severity: 'toast+desktop', repeat: 'none', clear: 'none', ack: 'none', shelve: 'none', unshelve: 'none' });
  });

  it('never alerts of an alarm replayed from imported history', () => {
    expect(alarmAlert({ alarm: alarm('critical'), transition: transition('raise'), historical: true })).toBeNull();
  });

  it('says which motor and why, and links to it', () => {
    expect(alarmAlert({ alarm: alarm('critical'), transition: transition('raise') })).toMatchObject({
      text: 'pump_09: OVERHEATING: temperature 86 °C above 80 °C',
      title: 'pump_09: OVERHEATING',
      href: '#/motor/pump_09',
      level: 'alarm',
    });
  });
});

describe('which command changes reach a person', () => {
  it('toasts proposals and outcomes; notifies the desktop of proposals and of commands that did not apply', () => {
    expect(Object.fromEntries(COMMAND_STATUSES.map((s) => [s, reach(commandAlert(command(s)))]))).toEqual({
      pending_approval: 'toast+desktop',
      approved: 'none',
      sent: 'none',
      received: 'none',
      applied: 'toast',
      rejected: 'toast+desktop',
      expired: 'toast+desktop',
      failed: 'toast+desktop',
      refused: 'none',
      cancelled: 'none',
    });
  });

  it('names who proposes what, and sends a proposal to the approvals', () => {
    expect(commandAlert(command('pending_approval'))).toMatchObject({ text: 'pump_09: rule OVERHEATING proposes REDUCE_LOAD 25, waiting for approval', href: '#/approvals', level: 'info' });
    expect(commandAlert(command('rejected'))).toMatchObject({ text: 'pump_09: REDUCE_LOAD rejected (drive in local mode)', href: '#/motor/pump_09', level: 'warn' });
  });

  it('gives one id per command and status, so a reload shows no alert twice', () => {
    expect(commandAlert(command('applied'))?.id).toBe(commandAlert(command('applied'))?.id);
    expect(commandAlert(command('applied'))?.id).not.toBe(commandAlert(command('failed'))?.id);
  });
});
