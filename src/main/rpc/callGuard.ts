import type { MethodName, ParamsOf, ResultOf } from '../../shared/contract';
import { DomainError } from '../platform/domainError';
import { refusalFor, type Principal } from '../../shared/roles';
import type { AuditEntry } from '../../shared/commandsContract';
import type { Engine } from '../engine';

// What every call passes before its handler, whatever carries it (the WebSocket, the desktop's MessagePort,
// the HTTP routes): the caller's role must allow the method (else `forbidden`, logged and in the audit
// trail), and where a method names who does it (an approver, a bench operator, a calibrating technician)
// that is the logged-in person, not what a field says. The desktop app's local user still types a name.

/** The parameter that names who does the thing, per method. */
const ACTOR_FIELD: Partial<Record<MethodName, string>> = {
  'commands.create': 'operator',
  'commands.approve': 'operator',
  'commands.reject': 'operator',
  'commands.setPolicy': 'operator',
  'benchtest.start': 'operator',
  'calibration.run': 'technician',
};

export interface Refusal {
  principal: Principal;
  method: MethodName;
  reason: string;
}

/** The params to call with (the actor set from the login); throws `forbidden` when the role does not allow it. */
export function guardCall(engine: Engine, principal: Principal, method: MethodName, params: unknown, onRefused?: (r: Refusal) => void): unknown {
  const reason = refusalFor(principal, method);
  if (reason) {
    onRefused?.({ principal, method, reason });
    engine.commands.audit({ deviceId: deviceOf(engine, params), kind: 'denied', commandId: null, actor: principal.name, text: `${method} refused: ${reason}` });
    throw new DomainError('forbidden', reason);
  }
  const field = ACTOR_FIELD[method];
  if (!field || principal.kind === 'local' || typeof params !== 'object' || params === null) return params;
  return { ...params, [field]: principal.name };
}

/** Who did what outside the commands' own trail: alarms, rules, bench tests, calibrations. */
export function recordCall(engine: Engine, principal: Principal, method: MethodName, params: unknown, result: unknown): void {
  const entry = describe(method, params as Record<string, unknown>, result as Record<string, unknown>);
  if (!entry) return;
  const p = params as Record<string, unknown>;
  // The local user names themselves where the method asks for a name; elsewhere they are the local user.
  const actor = principal.kind === 'local' && ACTOR_FIELD[method] ? String(p[ACTOR_FIELD[method]!] ?? principal.name) : principal.name;
  engine.commands.audit({ ...entry, commandId: null, actor });
}

type Described = Pick<AuditEntry, 'deviceId' | 'kind' | 'text'>;

function describe(method: MethodName, p: Record<string, unknown>, r: Record<string, unknown>): Described | null {
  const comment = (c: unknown) => (typeof c === 'string' && c ? `: ${c}` : '');
  switch (method) {
    case 'alarms.ack': {
      const a = r as ResultOf<'alarms.ack'>;
      return { deviceId: a.motorId, kind: 'alarm', text: `acknowledged alarm ${a.condition} (${a.severity})${comment(p.comment)}` };
    }
    case 'alarms.shelve': {
      const a = r as ResultOf<'alarms.shelve'>;
      return { deviceId: a.motorId, kind: 'alarm', text: `shelved alarm ${a.condition} for ${p.minutes} min${comment(p.comment)}` };
    }
    case 'alarms.unshelve': {
      const a = r as ResultOf<'alarms.unshelve'>;
      return { deviceId: a.motorId, kind: 'alarm', text: `unshelved alarm ${a.condition}` };
    }
    case 'rules.set': {
      const q = p as ParamsOf<'rules.set'>;
      return { deviceId: q.scope === 'motor' ? q.key : null, kind: 'rules', text: `alarm rules of ${q.scope} ${q.key} changed (${q.rules.length} rules)` };
    }
    case 'benchtest.start': {
      const b = r as ResultOf<'benchtest.start'>;
      return { deviceId: b.deviceId, kind: 'bench', text: `bench test ${b.procedure.name} of serial number ${b.serialNumber} started (run ${b.runId})` };
    }
    case 'benchtest.abort': {
      const b = r as ResultOf<'benchtest.abort'>;
      return { deviceId: b.deviceId, kind: 'bench', text: `bench test of serial number ${b.serialNumber} aborted (run ${b.runId})` };
    }
    case 'calibration.run': {
      const c = r as ResultOf<'calibration.run'>;
      return { deviceId: c.deviceId, kind: 'calibration', text: `${c.sensor} calibrated against ${c.instrument} (certificate ${c.id})` };
    }
    default:
      return null;
  }
}

/** The motor a call is about (named, or the motor of the command it names), when this engine knows it. */
function deviceOf(engine: Engine, params: unknown): string | null {
  const p = params as Record<string, unknown> | null;
  const id = p?.deviceId ?? p?.id;
  if (typeof id !== 'string') return null;
  return engine.twins.get(id) ? id : (engine.commands.get(id)?.deviceId ?? null);
}
