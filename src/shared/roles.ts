import { z } from 'zod';
import type { MethodName } from './contract';

// Who may do what on a server people log in to. Roles are cumulative, each a step up from the one before: a
// technician also sees, an approver also acknowledges alarms and runs bench tests, an admin also approves. A
// maintenance team is a ladder of trust, not a grid of unrelated rights, and one line ("needs the approver
// role") is easier to act on than a list of permissions. The server enforces this table; the UI reads the
// same one to disable what a role lacks and say why.

export const ROLES = ['viewer', 'technician', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES, { error: () => `a role is one of ${ROLES.join(', ')}` });

export const ROLE_DUTIES: Record<Role, string> = {
  viewer: 'sees the fleet, history, alarms and the audit trail, and asks the chat',
  technician: 'also acknowledges and shelves alarms, runs bench tests, calibrates, works with boards and proposes commands',
  approver: 'also approves or rejects commands',
  admin: 'also manages accounts, command limits, alarm rules and the assistant\'s model',
};

export const roleAllows = (have: Role, need: Role): boolean => ROLES.indexOf(have) >= ROLES.indexOf(need);

/** Who is behind a request: a person's account, the API token, or whoever sits at the desktop app. */
export const principalSchema = z.object({ name: z.string(), role: roleSchema, kind: z.enum(['account', 'token', 'local']) });
export type Principal = z.infer<typeof principalSchema>;

/** The desktop app on its own engine, and `serve` with neither accounts nor token: whoever is at this machine. */
export const LOCAL_USER: Principal = Object.freeze({ name: 'local user', role: 'admin', kind: 'local' });

type Need = readonly [Role, string];
const see: Need = ['viewer', 'reading'];
const tech = (doing: string): Need => ['technician', doing];

/** Every method of the contract with the role it needs and, for the ones not everyone may do, what it does. */
export const METHOD_ROLES: Record<MethodName, Need> = {
  'engine.status': see,
  'engine.connectInfo': see,
  'twins.list': see,
  'twins.get': see,
  'twins.messages': see,
  'twins.update': tech('changing a motor\'s nameplate'),
  'history.query': see,
  'history.export': see,
  'history.importUpload': tech('importing history'),
  'history.importColumns': tech('importing history'),
  'history.import': tech('importing history'),
  'rejected.list': see,
  'sim.list': see,
  'sim.add': tech('adding a simulated motor'),
  'sim.setFault': tech('changing a simulated motor\'s fault'),
  'sim.remove': tech('removing a simulated motor'),
  'health.get': see,
  'health.list': see,
  'health.remainingLife': see,
  'alarms.list': see,
  'alarms.summary': see,
  'alarms.transitions': see,
  'alarms.ack': tech('acknowledging an alarm'),
  'alarms.shelve': tech('shelving an alarm'),
  'alarms.unshelve': tech('unshelving an alarm'),
  'rules.get': see,
  'rules.set': ['admin', 'changing alarm rules'],
  'anomaly.learnBaseline': tech('relearning an anomaly baseline'),
  'waveforms.list': see,
  'waveforms.latest': see,
  'twin3d.get': see,
  'twin3d.readModel': see,
  'twin3d.setMapping': tech('changing a 3D model\'s mapping'),
  'twin3d.putModel': tech('uploading a 3D model'),
  'twin3d.removeModel': tech('removing a 3D model'),
  'sparkplug.list': see,
  'sparkplug.setMapping': tech('mapping a Sparkplug device'),
  'serial.ports': see,
  'serial.console': see,
  'serial.log': see,
  'serial.open': tech('opening a serial port'),
  'serial.close': tech('closing a serial port'),
  'serial.clear': tech('clearing a serial console'),
  'serial.send': tech('sending to a board'),
  'serial.command': tech('sending a command to a board'),
  'serial.provision': tech('provisioning a board'),
  'flash.builds': see,
  'flash.jobs': see,
  'flash.upload': tech('uploading firmware'),
  'flash.start': tech('flashing a board'),
  'flash.cancel': tech('cancelling a flash'),
  'calibration.certificates': see,
  'calibration.export': see,
  'calibration.measure': tech('measuring for a calibration'),
  'calibration.run': tech('calibrating a sensor'),
  'commands.list': see,
  'commands.policy': see,
  'commands.setpoints': see,
  'commands.create': tech('proposing a command'),
  'commands.approve': ['approver', 'approving a command'],
  'commands.reject': ['approver', 'rejecting a command'],
  'commands.setPolicy': ['admin', 'changing a motor\'s command limits'],
  'audit.list': see,
  'audit.export': see,
  'agent.settings': see,
  'agent.configure': ['admin', 'configuring the assistant\'s model'],
  'agent.testConnection': ['admin', 'testing the assistant\'s model'],
  'chat.history': see,
  'chat.ask': see,
  'chat.cancel': see,
  'chat.suggestions': see,
  'chat.clear': tech('clearing a motor\'s chat'),
  'manuals.list': see,
  'manuals.page': see,
  'manuals.search': see,
  'manuals.upload': tech('adding a manual'),
  'manuals.remove': tech('removing a manual'),
  'benchtest.procedures': see,
  'benchtest.state': see,
  'benchtest.active': see,
  'benchtest.reports': see,
  'benchtest.report': see,
  'benchtest.start': tech('starting a bench test'),
  'benchtest.confirm': tech('confirming a bench test step'),
  'benchtest.pause': tech('pausing a bench test'),
  'benchtest.resume': tech('resuming a bench test'),
  'benchtest.abort': tech('aborting a bench test'),
  'benchtest.rerunStep': tech('rerunning a bench test step'),
  'benchtest.saveProcedure': tech('saving a bench test procedure'),
  'modbus.list': see,
  'modbus.profiles': see,
  'modbus.add': tech('adding a Modbus drive'),
  'modbus.remove': tech('removing a Modbus drive'),
  'modbus.testRead': tech('reading a Modbus drive'),
  'broker.rememberChoice': tech('choosing the broker'),
  'plant.status': see,
  'plant.pushable': see,
  'plant.login': tech('logging in to a plant server'),
  'plant.logout': tech('logging out of the plant server'),
  'plant.open': tech('opening the plant server'),
  'plant.push': tech('pushing to the plant server'),
};

/** Why this person may not call this method ("approving a command needs the approver role; you are viewer"), or null. */
export function refusalFor(principal: Pick<Principal, 'role'>, method: MethodName): string | null {
  const [role, doing] = METHOD_ROLES[method];
  return roleAllows(principal.role, role) ? null : `${doing} needs the ${role} role; you are ${principal.role}`;
}
