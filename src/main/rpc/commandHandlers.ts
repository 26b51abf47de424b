import { join } from 'node:path';
import type { MethodName } from '../../shared/contract';
import type { commandMethods } from '../../shared/commandsContract';
import { exportsDir } from '../store/exporter';
import type { Handlers } from './handler';

export const commandHandlers: Handlers<keyof typeof commandMethods & MethodName> = {
  'commands.create': (e, p) => e.commands.create(p, { kind: 'person', name: p.operator }),
  'commands.list': (e, p) => e.commands.list(p),
  'commands.approve': (e, p) => e.commands.approve(p.id, p.operator, p.comment, p.value),
  'commands.reject': (e, p) => e.commands.reject(p.id, p.operator, p.comment),
  'commands.policy': (e, p) => {
    e.twins.require(p.deviceId);
    return e.commands.policy(p.deviceId);
  },
  'commands.setPolicy': (e, p) => {
    e.twins.require(p.deviceId);
    return e.commands.setPolicy(p.deviceId, p.policy, p.operator);
  },
  'commands.setpoints': (e, p) => e.commands.setpoints(p.deviceId),
  'audit.list': (e, p) => e.commands.auditTrail(p.deviceId, p.limit),
  'audit.export': async (e, p) => {
    const name = `audit-${p.deviceId ?? 'all'}-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`;
    const file = join(exportsDir(e.config.dataDir), name);
    const rows = await e.commands.exportAudit(file, p.deviceId);
    return { file, rows, downloadPath: `/api/exports/${encodeURIComponent(name)}` };
  },
};
