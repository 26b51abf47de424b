import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { AckPayload } from '../../shared/protocol/schemas';
import {
  FINAL_STATUSES,
  type AuditEntry,
  type CommandPolicy,
  type CommandRecord,
  type CommandRequest,
  type CommandStatus,
  type Issuer,
  type SetpointName,
  type Setpoints,
} from '../../shared/commandsContract';
import type { TwinRegistry } from '../twin/twinRegistry';
import { checkLimits, defaultPolicy, needsApproval } from './commandPolicy';
import type { CommandRecords } from './commandStore';
import { DomainError } from '../platform/domainError';
import { DemandClock } from '../platform/demandClock';

/** How the engine reaches a device: over MQTT (QoS 1), its serial port or its drive's Modbus registers. */
export interface CommandTransport {
  via(deviceId: string): 'mqtt' | 'serial' | 'modbus' | null;
  /** Resolves once the broker acknowledged the publish, the line is written to the port, or the register written. */
  send(deviceId: string, via: 'mqtt' | 'serial' | 'modbus', payload: Record<string, unknown>): Promise<void>;
}

/**
 * Thrown when the gate refuses a command (its limits), the command is past deciding (`conflict`), or there is
 * no such motor or command (`not_found`); its message is the reason, for people and for the agent.
 */
export class CommandRefused extends DomainError {
  constructor(message: string, code: 'refused' | 'conflict' | 'not_found' = 'refused') {
    super(code, message);
  }
}

const APPROVAL_WINDOW_MS = 15 * 60_000;
const OPEN: readonly CommandStatus[] = ['pending_approval', 'approved', 'sent', 'received'];

const SETPOINT_OF: Partial<Record<CommandRecord['action'], SetpointName>> = {
  REDUCE_LOAD: 'load_reduction',
  SET_SPEED: 'speed_rpm',
  SET_RATE: 'rate_hz',
  STOP: 'running',
  START: 'running',
};

type Events = { command: [CommandRecord]; setpoints: [Setpoints]; audit: [AuditEntry] };

/**
 * The one gate between every issuer and the motors. A command is checked against the motor's limits,
 * waits for a person when a rule, the agent or the API proposed it, is sent once over the device's
 * transport, and follows the device's acknowledgements to a final status or expires. Everything that
 * happens is written to the audit trail.
 */
export class CommandService extends EventEmitter<Events> {
  private readonly open = new Map<string, CommandRecord>();
  /** Final commands kept briefly, to recognise late or duplicated acknowledgements. */
  private readonly recentFinal = new Map<string, CommandRecord>();
  private readonly policies = new Map<string, CommandPolicy>();
  private readonly setpointsByDevice = new Map<string, Setpoints>();
  private readonly issuedAt: Array<{ deviceId: string; commandId: string; ts: number }> = [];
  /** The sweep runs while there is something for it (open commands, the rate window, recent outcomes). */
  private readonly sweeper = new DemandClock(1000, () => this.sweep(Date.now()), () => this.open.size > 0 || this.issuedAt.length > 0 || this.recentFinal.size > 0);

  constructor(
    private readonly store: CommandRecords,
    private readonly twins: TwinRegistry,
    private readonly transport: CommandTransport,
    private readonly criticalAlarms: (deviceId: string) => string[],
  ) {
    super();
  }

  async load(): Promise<void> {
    for (const [id, p] of await this.store.policies()) this.policies.set(id, p);
    for (const s of await this.store.setpoints()) this.setpointsByDevice.set(s.deviceId, s);
    for (const c of await this.store.commands({ open: true })) this.open.set(c.id, c);
  }

  start(): void {
    this.sweeper.start();
    // Approved before a restart but never handed over: send now (the id lets the device drop a repeat).
    for (const c of this.open.values()) if (c.status === 'approved') void this.dispatch(c);
  }

  async close(): Promise<void> {
    this.sweeper.stop();
    await this.store.flush();
  }

  policy(deviceId: string): CommandPolicy {
    return structuredClone(this.policies.get(deviceId) ?? defaultPolicy());
  }

  setPolicy(deviceId: string, policy: CommandPolicy, actor: string): CommandPolicy {
    this.policies.set(deviceId, structuredClone(policy));
    this.store.savePolicy(deviceId, policy);
    this.audit({ deviceId, kind: 'policy', commandId: null, actor, text: `command limits changed: ${describePolicy(policy)}` });
    return this.policy(deviceId);
  }

  setpoints(deviceId: string): Setpoints {
    return structuredClone(this.setpointsByDevice.get(deviceId) ?? { deviceId, values: {} });
  }

  list(filter: { deviceId?: string; status?: CommandStatus; limit: number }): Promise<CommandRecord[]> {
    if (filter.status && OPEN.includes(filter.status)) {
      const open = [...this.open.values()].filter((c) => c.status === filter.status && (!filter.deviceId || c.deviceId === filter.deviceId));
      return Promise.resolve(open.sort((a, b) => b.createdAt - a.createdAt).slice(0, filter.limit));
    }
    return this.store.flush().then(async () => {
      const all = await this.store.commands({ deviceId: filter.deviceId, limit: filter.status ? 10_000 : filter.limit });
      return all.filter((c) => !filter.status || c.status === filter.status).slice(0, filter.limit);
    });
  }

  get(id: string): CommandRecord | undefined {
    return this.open.get(id) ?? this.recentFinal.get(id);
  }

  /**
   * A new command from anyone. Refused ones throw CommandRefused (and are recorded); a person's command
   * goes at once, proposals wait in the approval queue unless the motor lets that rule act alone.
   */
  create(req: CommandRequest, issuer: Issuer, opts: { autoRule?: boolean; autoApi?: boolean } = {}): CommandRecord {
    const twin = this.twins.get(req.deviceId);
    if (!twin) throw new CommandRefused(`no motor "${req.deviceId}"`, 'not_found');
    const now = Date.now();
    const record: CommandRecord = {
      id: `cmd-${randomBytes(6).toString('hex')}`,
      deviceId: req.deviceId,
      action: req.action,
      value: req.value ?? null,
      issuer,
      reason: req.reason,
      status: 'pending_approval',
      detail: null,
      transport: null,
      createdAt: now,
      updatedAt: now,
      sentAt: null,
      expiresAt: now + APPROVAL_WINDOW_MS,
      approvedBy: null,
      overrideReason: req.overrideReason ?? null,
    };
    const refusal = this.gate(record);
    const actor = `${issuer.kind} ${issuer.name}`;
    if (refusal) {
      this.finish(record, 'refused', refusal);
      this.audit({ deviceId: record.deviceId, kind: 'refusal', commandId: record.id, actor, text: `${describe(record)} refused: ${refusal}` });
      throw new CommandRefused(refusal);
    }
    this.issuedAt.push({ deviceId: record.deviceId, commandId: record.id, ts: now });
    this.sweeper.wake();
    const waits = needsApproval(issuer.kind, opts.autoRule === true) && !(issuer.kind === 'api' && opts.autoApi && this.policy(req.deviceId).apiWithoutApproval.includes(req.action));
    this.audit({ deviceId: record.deviceId, kind: 'command', commandId: record.id, actor, text: `${describe(record)} because ${req.reason}${waits ? ': waits for approval' : ''}` });
    if (waits) {
      this.put(record);
      return record;
    }
    record.approvedBy = issuer.kind === 'person' ? issuer.name : `automatic (${issuer.name})`;
    this.transition(record, 'approved', null);
    void this.dispatch(record);
    return record;
  }

  /** A proposal from the agent or a rule: it always waits for a person (or fails on the limits). */
  propose(p: Omit<CommandRequest, 'overrideReason'> & { issuer: Issuer }): CommandRecord {
    if (p.issuer.kind === 'person') throw new CommandRefused('a proposal comes from the agent, a rule or the API, not from a person');
    return this.create({ deviceId: p.deviceId, action: p.action, value: p.value, reason: p.reason }, p.issuer);
  }

  /**
   * A person approves a proposal, possibly with a changed value. The whole gate runs again against the limits
   * and alarms of this moment: the world may have changed while the proposal waited (a critical alarm began,
   * the limits were tightened). A proposal the gate now refuses is closed as refused; an edited value the
   * limits refuse leaves it waiting, so the person can choose another.
   */
  approve(id: string, by: string, comment: string, value?: number): CommandRecord {
    const c = this.pending(id);
    const asProposed = this.gate(c);
    if (asProposed) {
      this.refuse(c, by, `refused at approval: ${asProposed}`);
      throw new CommandRefused(asProposed);
    }
    if (value !== undefined && value !== c.value) {
      const refusal = this.gate({ ...c, value });
      if (refusal) throw new CommandRefused(refusal);
      this.audit({ deviceId: c.deviceId, kind: 'edit', commandId: c.id, actor: by, text: `value changed from ${c.value} to ${value}` });
      c.value = value;
    }
    c.approvedBy = by;
    this.audit({ deviceId: c.deviceId, kind: 'approval', commandId: c.id, actor: by, text: `${describe(c)} approved${comment ? `: ${comment}` : ''}` });
    this.transition(c, 'approved', comment || null);
    void this.dispatch(c);
    return c;
  }

  reject(id: string, by: string, comment: string): CommandRecord {
    const c = this.pending(id);
    this.audit({ deviceId: c.deviceId, kind: 'rejection', commandId: c.id, actor: by, text: `${describe(c)} rejected: ${comment}` });
    this.finish(c, 'cancelled', comment);
    return c;
  }

  /** An acknowledgement from a device, by MQTT or serial. Anything that does not fit is logged and changes nothing. */
  onAck(deviceId: string, ack: AckPayload): void {
    const ignore = (why: string) => this.audit({ deviceId, kind: 'ignored_ack', commandId: ack.id ?? null, actor: `device ${deviceId}`, text: `acknowledgement ignored: ${why}` });
    if (!ack.id) return ignore(`no command id (status ${ack.status}${ack.detail ? `: ${ack.detail}` : ''})`);
    const c = this.open.get(ack.id);
    if (!c) return ignore(this.recentFinal.has(ack.id) ? `duplicate ${ack.status} for a finished command` : `unknown command id ${ack.id}`);
    if (c.deviceId !== deviceId) return ignore(`${ack.id} was sent to ${c.deviceId}, not to ${deviceId}`);
    if (c.status === 'pending_approval') return ignore(`${ack.status} for a command that was never sent (it waits for approval)`);
    // The device may answer before the broker's PUBACK reached us: it has the command, so it was sent.
    if (c.status === 'approved') c.sentAt = Date.now();
    if (ack.status === 'received' && c.status === 'received') return ignore('duplicate received');
    this.audit({ deviceId, kind: 'acknowledgement', commandId: c.id, actor: `device ${deviceId}`, text: `${describe(c)}: ${ack.status}${ack.detail ? ` (${ack.detail})` : ''}` });
    if (ack.status === 'received') return this.transition(c, 'received', ack.detail ?? null);
    if (ack.status === 'applied') this.setReported(c);
    this.finish(c, ack.status, ack.detail ?? null);
  }

  sweep(now: number): void {
    for (const c of [...this.open.values()]) {
      if (now < c.expiresAt) continue;
      const why = c.status === 'pending_approval' ? 'nobody approved it in time' : `no final acknowledgement within ${this.policy(c.deviceId).ackTimeoutS} s`;
      this.audit({ deviceId: c.deviceId, kind: 'acknowledgement', commandId: c.id, actor: 'MotorTwin', text: `${describe(c)} expired: ${why}` });
      this.finish(c, 'expired', why);
    }
    while (this.issuedAt.length && this.issuedAt[0].ts < now - 60_000) this.issuedAt.shift();
    for (const [id, c] of this.recentFinal) if (c.updatedAt < now - 10 * 60_000) this.recentFinal.delete(id);
  }

  async auditTrail(deviceId: string | undefined, limit: number): Promise<AuditEntry[]> {
    await this.store.flush();
    return this.store.auditTrail(deviceId, limit);
  }

  exportAudit(file: string, deviceId?: string): Promise<number> {
    return this.store.exportAudit(file, deviceId);
  }

  audit(e: Omit<AuditEntry, 'ts'> & { ts?: number }): void {
    const entry: AuditEntry = { ts: e.ts ?? Date.now(), ...e } as AuditEntry;
    this.store.audit(entry);
    this.emit('audit', entry);
  }

  /** The limits against this moment's policy, nameplate, alarms and rate; the command itself is not counted. */
  private gate(c: CommandRecord): string | null {
    const twin = this.twins.get(c.deviceId);
    if (!twin) return `no motor "${c.deviceId}"`;
    const recent = this.issuedAt.filter((i) => i.deviceId === c.deviceId && i.commandId !== c.id).length;
    return checkLimits(
      { action: c.action as CommandRequest['action'], value: c.value ?? undefined, overrideReason: c.overrideReason ?? undefined },
      { policy: this.policy(c.deviceId), nameplate: twin.nameplate, criticalAlarms: this.criticalAlarms(c.deviceId), recentCount: recent },
    );
  }

  private refuse(c: CommandRecord, actor: string, why: string): void {
    this.audit({ deviceId: c.deviceId, kind: 'refusal', commandId: c.id, actor, text: `${describe(c)} ${why}` });
    this.finish(c, 'refused', why);
  }

  private pending(id: string): CommandRecord {
    const c = this.open.get(id);
    if (!c) throw this.recentFinal.has(id) ? new CommandRefused(`command ${id} is already ${this.recentFinal.get(id)!.status}`, 'conflict') : new CommandRefused(`no command ${id}`, 'not_found');
    if (c.status !== 'pending_approval') throw new CommandRefused(`command ${id} is ${c.status}, not waiting for approval`, 'conflict');
    return c;
  }

  private async dispatch(c: CommandRecord): Promise<void> {
    // The last look before the motor: an approval given before a restart, or a moment ago, is not a licence
    // to send what the limits and alarms forbid now.
    const refusal = this.gate(c);
    if (refusal) return this.refuse(c, 'MotorTwin', `refused before sending: ${refusal}`);
    const via = this.transport.via(c.deviceId);
    if (!via) {
      this.finish(c, 'failed', `${c.deviceId} is not connected by MQTT or serial`);
      return;
    }
    const policy = this.policy(c.deviceId);
    c.transport = via;
    c.expiresAt = Date.now() + policy.ackTimeoutS * 1000;
    this.setDesired(c);
    const payload: Record<string, unknown> = {
      id: c.id,
      action: c.action,
      ...(c.value === null ? {} : { value: c.value }),
      issued_at: new Date(c.createdAt).toISOString(),
      expires_at: new Date(c.expiresAt).toISOString(),
    };
    try {
      await this.transport.send(c.deviceId, via, payload);
    } catch (e) {
      if (this.open.has(c.id)) this.finish(c, 'failed', `could not send: ${(e as Error).message}`);
      return;
    }
    // An acknowledgement may already have overtaken the broker's PUBACK.
    if (c.status !== 'approved') return;
    c.sentAt = Date.now();
    this.transition(c, 'sent', `via ${via}`);
  }

  private setDesired(c: CommandRecord): void {
    const name = SETPOINT_OF[c.action];
    if (!name) return;
    const s = this.setpoints(c.deviceId);
    const current = s.values[name] ?? { desired: null, reported: null, commandId: null };
    s.values[name] = { ...current, desired: setpointValue(c), commandId: c.id };
    this.saveSetpoints(s);
  }

  private setReported(c: CommandRecord): void {
    const name = SETPOINT_OF[c.action];
    if (!name) return;
    const s = this.setpoints(c.deviceId);
    const current = s.values[name] ?? { desired: setpointValue(c), reported: null, commandId: null };
    s.values[name] = { desired: current.desired, reported: setpointValue(c), commandId: current.commandId === c.id ? null : current.commandId };
    this.saveSetpoints(s);
  }

  private saveSetpoints(s: Setpoints): void {
    this.setpointsByDevice.set(s.deviceId, s);
    this.store.saveSetpoints(s);
    this.emit('setpoints', structuredClone(s));
  }

  private transition(c: CommandRecord, status: CommandStatus, detail: string | null): void {
    c.status = status;
    c.detail = detail;
    c.updatedAt = Date.now();
    this.put(c);
  }

  private finish(c: CommandRecord, status: CommandStatus, detail: string | null): void {
    this.open.delete(c.id);
    c.status = status;
    c.detail = detail;
    c.updatedAt = Date.now();
    this.recentFinal.set(c.id, c);
    this.sweeper.wake();
    this.store.saveCommand(c);
    this.emit('command', structuredClone(c));
  }

  private put(c: CommandRecord): void {
    if (FINAL_STATUSES.includes(c.status)) return this.finish(c, c.status, c.detail);
    this.open.set(c.id, c);
    this.sweeper.wake();
    this.store.saveCommand(c);
    this.emit('command', structuredClone(c));
  }
}

function setpointValue(c: CommandRecord): number | null {
  if (c.action === 'STOP') return 0;
  if (c.action === 'START') return 1;
  return c.value;
}

export function describe(c: Pick<CommandRecord, 'action' | 'value' | 'deviceId'>): string {
  return `${c.action}${c.value === null ? '' : ` ${c.value}`} to ${c.deviceId}`;
}

function describePolicy(p: CommandPolicy): string {
  const actions = Object.entries(p.actions)
    .map(([a, l]) => (l.allowed ? `${a}${l.min !== null || l.max !== null ? ` ${l.min ?? ''}-${l.max ?? ''}` : ''}` : `${a} forbidden`))
    .join(', ');
  const auto = Object.entries(p.ruleActions).filter(([, r]) => r.auto).map(([c, r]) => `${c}→${r.action} automatic`);
  return `${actions}; ${p.perMinute}/min; acknowledgement within ${p.ackTimeoutS} s${auto.length ? `; ${auto.join(', ')}` : ''}`;
}
