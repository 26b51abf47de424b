import { topicFor } from '../../shared/protocol/topics';
import { FINAL_STATUSES, type CommandRecord } from '../../shared/commandsContract';
import { CommandRefused, CommandService, describe, type CommandTransport } from './commandService';
import { CommandStore } from './commandStore';
import { AlertForwarder, type Alert, type AlertConfig } from './alerts';
import { ModbusCommandTransport } from '../modbus/modbusCommands';
import type { ModbusService } from '../modbus/modbusService';
import type { IngestPipeline } from '../ingest/pipeline';
import type { SerialManager } from '../serial/serialManager';
import type { MotorDatabase } from '../store/database';
import type { PgStore } from '../store/postgres/pgStore';
import type { TwinRegistry } from '../twin/twinRegistry';
import type { AlarmBook } from '../health/alarms';
import type { Emit, EventBus } from '../platform/eventBus';
import { reportErrors, type Log } from '../platform/log';

/** What the commands part is handed by the composition root. */
export interface CommandPorts {
  db: MotorDatabase;
  /** The plant's PostgreSQL, when the engine's store is there: commands and audit go with it. */
  pg: PgStore | null;
  twins: TwinRegistry;
  pipeline: IngestPipeline;
  modbus: ModbusService;
  serial: SerialManager;
  /** The live alarms: a motor with a critical one refuses what would make it worse. */
  alarms: Pick<AlarmBook, 'activeFor'>;
  /** QoS 1 over the broker the device was heard on (BrokerLinks.publish). */
  publish: (topic: string, payload: string, command?: { id: string; expiresAt: string }) => Promise<void>;
  /** Raised alarms (rules may propose an action) come in, command changes go out. */
  bus: Pick<EventBus, 'on'>;
  emit: Emit;
  /** The commands part's own logger (a child named `commands`). */
  log: Log;
}

/** The commands part of a running engine: its gate, its transports, rule proposals and alerts. */
export interface Commands {
  service: CommandService;
  alerts: AlertForwarder;
}

/**
 * Sends over the device's own connection: to its drive when a Modbus profile of the motor has commands (the
 * drive's read-back is the acknowledgement), its serial port when it is on one, else MQTT QoS 1.
 */
function transportOf(ports: CommandPorts): CommandTransport {
  // A drive acknowledges as a board would, through ingest's "ack" like every other acknowledgement.
  const modbus = new ModbusCommandTransport(ports.modbus, (id, payload) => ports.pipeline.accept({ kind: 'ack', payload }, id, 'modbus'));
  return {
    via(deviceId) {
      const twin = ports.twins.get(deviceId);
      if (!twin) return null;
      if (modbus.carries(deviceId)) return 'modbus';
      if (twin.source === 'serial') return ports.serial.boardFor(deviceId) ? 'serial' : null;
      return 'mqtt';
    },
    async send(deviceId, via, payload) {
      if (via === 'modbus') return modbus.send(deviceId, payload);
      if (via === 'serial') {
        const board = ports.serial.boardFor(deviceId);
        if (!board) throw new Error(`${deviceId} is not on a serial port any more`);
        board.writeLine(JSON.stringify({ type: 'command', ...payload }));
        return;
      }
      await ports.publish(topicFor(deviceId, 'commands'), JSON.stringify(payload), { id: String(payload.id), expiresAt: String(payload.expires_at) });
    },
  };
}

/** Builds the command gate with its transports, rule proposals and alerts; start() it once the brokers run. */
export async function createCommands(ports: CommandPorts, alertConfig: AlertConfig): Promise<Commands> {
  const onError = reportErrors(ports.log);
  // pg-copy-streams loads only for an engine whose store is PostgreSQL.
  const store = ports.pg ? new (await import('../store/postgres/pgCommandStore')).PgCommandStore(ports.pg, onError) : new CommandStore(ports.db, onError);
  const criticalAlarms = (id: string) => ports.alarms.activeFor(id).filter((a) => a.severity === 'critical').map((a) => a.condition);
  const service = new CommandService(store, ports.twins, transportOf(ports), criticalAlarms);
  await service.load();
  const alerts = new AlertForwarder(alertConfig, {
    publish: (topic, payload) => ports.publish(topic, payload),
    record: (alert, outcome) => service.audit({ deviceId: alert.deviceId, kind: 'alert', commandId: null, actor: 'MotorTwin', text: `${alert.title}: ${outcome}` }),
  });

  ports.pipeline.on('ack', ({ deviceId, payload }) => service.onAck(deviceId, payload));
  service.on('command', (c) => {
    ports.emit('command', c);
    const alert = commandAlert(c);
    if (alert) alerts.send(alert);
  });
  service.on('setpoints', (s) => ports.emit('setpoints', s));
  service.on('audit', (a) => ports.emit('audit', a));

  ports.bus.on('alarm', ({ alarm, transition, historical }) => {
    // An alarm replayed from imported history happened long ago: it is listed, but nothing acts on it now.
    if (transition.action !== 'raise' || historical) return;
    alerts.send({ ts: transition.ts, deviceId: alarm.motorId, kind: 'alarm', severity: alarm.severity, title: `${alarm.motorId}: ${alarm.condition}`, body: alarm.message });
    // A rule's alarm may propose an action; it waits for a person unless the motor lets it act alone.
    const action = service.policy(alarm.motorId).ruleActions[alarm.condition];
    if (!action || alarm.source !== 'rule') return;
    try {
      service.create(
        { deviceId: alarm.motorId, action: action.action, value: action.value ?? undefined, reason: `${alarm.condition}: ${alarm.message}` },
        { kind: 'rule', name: alarm.condition },
        { autoRule: action.auto },
      );
    } catch (e) {
      if (!(e instanceof CommandRefused)) throw e;
    }
  });

  return { service, alerts };
}

function commandAlert(c: CommandRecord): Alert | null {
  if (c.status === 'pending_approval') {
    return { ts: c.updatedAt, deviceId: c.deviceId, kind: 'command', severity: 'info', title: `${c.deviceId}: ${c.action} waits for approval`, body: `${c.issuer.kind} ${c.issuer.name} proposes ${describe(c)}: ${c.reason}` };
  }
  if (!FINAL_STATUSES.includes(c.status) || c.status === 'cancelled' || c.status === 'refused') return null;
  const severity = c.status === 'applied' ? 'info' : 'warning';
  return { ts: c.updatedAt, deviceId: c.deviceId, kind: 'command', severity, title: `${c.deviceId}: ${c.action} ${c.status}`, body: `${describe(c)}${c.detail ? `: ${c.detail}` : ''}` };
}
