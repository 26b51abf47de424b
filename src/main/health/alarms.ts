import { EventEmitter } from 'node:events';
import type { Alarm, AlarmState, AlarmTransition, Severity } from '../../shared/healthContract';
import { ALARM_ACTIONS, SEVERITIES } from '../../shared/healthContract';
import { DomainError } from '../platform/domainError';

// Alarms with the ISA-18.2 lifecycle: active-unacknowledged → (ack) active-acknowledged → (clear)
// cleared-acknowledged, or active-unacknowledged → (clear) cleared-unacknowledged → (ack)
// cleared-acknowledged. One alarm per motor and condition: while it is open (anything but
// cleared-acknowledged) a repeat updates it instead of raising another. Shelving hides an alarm for a while
// without changing its state. Every change is a transition, emitted for the store and the UIs.

type Action = (typeof ALARM_ACTIONS)[number];

export class AlarmError extends DomainError {
  constructor(code: 'not_found' | 'conflict', message: string) {
    super(code, message);
  }
}

export interface AlarmBookEvents {
  change: [Alarm, AlarmTransition];
}

const isActive = (s: AlarmState) => s === 'active_unacked' || s === 'active_acked';

/** Alarms still worth listing once closed. */
const CLOSED_KEPT = 500;

export class AlarmBook extends EventEmitter<AlarmBookEvents> {
  /** Open alarms by motor and condition. */
  private readonly open = new Map<string, Alarm>();
  private readonly byId = new Map<string, Alarm>();
  private closed: Alarm[] = [];
  private counter = 0;
  /** While watching, one timer for the earliest shelving's end, not a sweep every second: an engine with
   * nothing shelved is not woken for it. */
  private watching = false;
  private expiry: NodeJS.Timeout | null = null;
  private expiryAt = Infinity;

  /** Puts back alarms from the store (open ones and the most recent closed ones). */
  load(alarms: Alarm[]): void {
    for (const a of alarms) {
      this.byId.set(a.id, a);
      if (a.state === 'cleared_acked') this.closed.push(a);
      else this.open.set(key(a.motorId, a.condition), a);
    }
    this.closed.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  get(alarmId: string): Alarm | undefined {
    return this.byId.get(alarmId);
  }

  openFor(motorId: string, condition: string): Alarm | undefined {
    return this.open.get(key(motorId, condition));
  }

  /** Every open alarm and the most recent closed ones, newest first. */
  all(): Alarm[] {
    return [...this.open.values(), ...this.closed].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /** The alarms a list asks for, newest first: by motor, state and severity, shelved ones unless left out. */
  query(f: { id?: string; states?: AlarmState[]; severities?: Severity[]; includeShelved: boolean; limit: number }, now = Date.now()): Alarm[] {
    return this.all()
      .filter((a) => (!f.id || a.motorId === f.id) && (!f.states || f.states.includes(a.state)) && (!f.severities || f.severities.includes(a.severity)))
      .filter((a) => f.includeShelved || !this.isShelved(a, now))
      .slice(0, f.limit);
  }

  /** What the status bar counts: unacknowledged alarms, and active ones by severity; shelved ones are left out. */
  summary(now = Date.now()): { unacknowledged: number; activeBySeverity: Record<Severity, number> } {
    const activeBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    let unacknowledged = 0;
    for (const a of this.all()) {
      if (this.isShelved(a, now)) continue;
      if (a.state === 'active_unacked' || a.state === 'cleared_unacked') unacknowledged++;
      if (isActive(a.state)) activeBySeverity[a.severity]++;
    }
    return { unacknowledged, activeBySeverity };
  }

  activeFor(motorId: string): Alarm[] {
    return [...this.open.values()].filter((a) => a.motorId === motorId && isActive(a.state));
  }

  isShelved(a: Alarm, now = Date.now()): boolean {
    return a.shelvedUntil !== null && a.shelvedUntil > now;
  }

  /** The condition is present: raises a new alarm, or updates the open one (a repeat, never a flood). */
  raise(p: { motorId: string; condition: string; severity: Severity; source: Alarm['source']; message: string; ts: number }): Alarm {
    const current = this.open.get(key(p.motorId, p.condition));
    if (!current) {
      const a: Alarm = {
        id: `al-${p.ts.toString(36)}-${(this.counter++).toString(36)}-${p.motorId}`.slice(0, 80),
        motorId: p.motorId,
        condition: p.condition,
        severity: p.severity,
        state: 'active_unacked',
        source: p.source,
        message: p.message,
        raisedAt: p.ts,
        updatedAt: p.ts,
        clearedAt: null,
        ackedAt: null,
        ackComment: null,
        shelvedUntil: null,
        repeats: 0,
      };
      this.open.set(key(a.motorId, a.condition), a);
      this.byId.set(a.id, a);
      this.transition(a, 'raise', null, a.state, null, p.ts);
      return a;
    }
    const wasActive = isActive(current.state);
    const was = current.severity;
    current.severity = p.severity;
    current.message = p.message;
    if (wasActive) {
      // Still the same episode: only a new severity (an early finding that grew) is worth recording.
      if (was !== p.severity) this.transition(current, 'severity', current.state, current.state, `${was} to ${p.severity}`, p.ts);
      return current;
    }
    // It came back before anyone acknowledged its clearing: the same alarm, active again.
    const from = current.state;
    current.state = 'active_unacked';
    current.clearedAt = null;
    current.repeats++;
    this.transition(current, 'repeat', from, current.state, null, p.ts);
    return current;
  }

  /** The condition is gone. */
  clear(motorId: string, condition: string, ts: number, message?: string): Alarm | null {
    const a = this.open.get(key(motorId, condition));
    if (!a || !isActive(a.state)) return null;
    const from = a.state;
    a.state = from === 'active_acked' ? 'cleared_acked' : 'cleared_unacked';
    a.clearedAt = ts;
    if (message) a.message = message;
    this.transition(a, 'clear', from, a.state, null, ts);
    this.closeIfDone(a);
    return a;
  }

  ack(alarmId: string, comment: string, ts = Date.now()): Alarm {
    const a = this.mustGet(alarmId);
    if (a.state === 'active_acked' || a.state === 'cleared_acked') throw new AlarmError('conflict', `alarm ${alarmId} is already acknowledged`);
    const from = a.state;
    a.state = from === 'active_unacked' ? 'active_acked' : 'cleared_acked';
    a.ackedAt = ts;
    a.ackComment = comment || null;
    this.transition(a, 'ack', from, a.state, comment || null, ts);
    this.closeIfDone(a);
    return a;
  }

  shelve(alarmId: string, untilTs: number, comment: string, ts = Date.now()): Alarm {
    const a = this.mustGet(alarmId);
    if (a.state === 'cleared_acked') throw new AlarmError('conflict', `alarm ${alarmId} is closed: there is nothing to shelve`);
    a.shelvedUntil = untilTs;
    this.transition(a, 'shelve', a.state, a.state, comment ? `${comment} (until ${new Date(untilTs).toISOString()})` : `until ${new Date(untilTs).toISOString()}`, ts);
    this.scheduleExpiry();
    return a;
  }

  unshelve(alarmId: string, ts = Date.now(), why: string | null = null): Alarm {
    const a = this.mustGet(alarmId);
    if (a.shelvedUntil === null) throw new AlarmError('conflict', `alarm ${alarmId} is not shelved`);
    a.shelvedUntil = null;
    this.transition(a, 'unshelve', a.state, a.state, why, ts);
    this.scheduleExpiry();
    return a;
  }

  /** Brings shelved alarms back to view when their time is up, from now until stopWatching(). */
  watchShelving(): void {
    this.watching = true;
    this.scheduleExpiry();
  }

  stopWatching(): void {
    this.watching = false;
    this.scheduleExpiry();
  }

  private scheduleExpiry(): void {
    let next = Infinity;
    if (this.watching) for (const a of this.open.values()) if (a.shelvedUntil !== null && a.shelvedUntil < next) next = a.shelvedUntil;
    if (next === this.expiryAt) return;
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = null;
    this.expiryAt = next;
    if (next === Infinity) return;
    // setTimeout holds at most 2^31-1 ms (24.8 days); a longer shelving is looked at again then.
    this.expiry = setTimeout(() => {
      this.expiry = null;
      this.expiryAt = Infinity;
      this.sweep(Date.now());
      this.scheduleExpiry();
    }, Math.min(Math.max(0, next - Date.now()), 2 ** 31 - 1));
    this.expiry.unref();
  }

  /** Returns shelved alarms whose time is up to view. */
  sweep(now: number): void {
    for (const a of this.open.values()) if (a.shelvedUntil !== null && a.shelvedUntil <= now) this.unshelve(a.id, now, 'shelving expired');
  }

  private mustGet(alarmId: string): Alarm {
    const a = this.byId.get(alarmId);
    if (!a) throw new AlarmError('not_found', `no alarm "${alarmId}"`);
    return a;
  }

  private closeIfDone(a: Alarm): void {
    if (a.state !== 'cleared_acked') return;
    a.shelvedUntil = null;
    this.open.delete(key(a.motorId, a.condition));
    this.scheduleExpiry();
    this.closed.unshift(a);
    for (const old of this.closed.splice(CLOSED_KEPT)) this.byId.delete(old.id);
  }

  private transition(a: Alarm, action: Action, from: AlarmState | null, to: AlarmState, comment: string | null, ts: number): void {
    a.updatedAt = ts;
    this.emit('change', { ...a }, { alarmId: a.id, motorId: a.motorId, ts, action, from, to, comment, message: a.message });
  }
}

const key = (motorId: string, condition: string) => `${motorId}\u0000${condition}`;
