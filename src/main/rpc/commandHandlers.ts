import { join } from 'node:path';
import type { MethodName, ParamsOf, ResultOf } from '../../shared/contract';
import type { commandMethods } from '../../shared/commandsContract';
import { RpcError } from '../../shared/rpc/envelope';
import type { Engine } from '../engine';
import { CommandRefused } from '../commands/commandService';
import { exportsDir } from '../store/exporter';

type CommandMethod = keyof typeof commandMethods & MethodName;
type Handler<M extends MethodName> = (engine: Engine, params: ParamsOf<M> & Record<string, unknown>) => Promise<ResultOf<M>> | ResultOf<M>;

/** A refusal by the limits or the queue is the caller's to read, not an engine failure. */
function gate<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CommandRefused) throw new RpcError('refused', e.message);
    throw e;
  }
}

// Params arrive parsed by the contract (defaults applied); the handler types see the input shape.
const who = (operator: string | undefined) => operator ?? 'operator';

export const commandHandlers: { [M in CommandMethod]: Handler<M> } = {
  'commands.create': (e, p) => gate(() => e.commands.create(p, { kind: 'person', name: who(p.operator) })),
  'commands.list': (e, p) => e.commands.list({ ...p, limit: p.limit ?? 100 }),
  'commands.approve': (e, p) => gate(() => e.commands.approve(p.id, who(p.operator), p.comment ?? '', p.value)),
  'commands.reject': (e, p) => gate(() => e.commands.reject(p.id, who(p.operator), p.comment)),
  'commands.policy': (e, p) => {
    if (!e.twins.get(p.deviceId)) throw new RpcError('not_found', `no motor "${p.deviceId}"`);
    return e.commands.policy(p.deviceId);
  },
  'commands.setPolicy': (e, p) => {
    if (!e.twins.get(p.deviceId)) throw new RpcError('not_found', `no motor "${p.deviceId}"`);
    return e.commands.setPolicy(p.deviceId, p.policy, who(p.operator));
  },
  'commands.setpoints': (e, p) => e.commands.setpoints(p.deviceId),
  'audit.list': (e, p) => e.commands.auditTrail(p.deviceId, p.limit ?? 200),
  'audit.export': async (e, p) => {
    const name = `audit-${p.deviceId ?? 'all'}-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`;
    const file = join(exportsDir(e.config.dataDir), name);
    const rows = await e.commands.exportAudit(file, p.deviceId);
    return { file, rows, downloadPath: `/api/exports/${encodeURIComponent(name)}` };
  },
};
