import type { AckPayload } from '../../shared/protocol/schemas';
import { isBit, type ProfileCommand } from './profile';
import { classify } from './faults';
import type { ModbusDevice } from './device';
import type { ModbusService } from './modbusService';
import { decodeWords } from './registers';

type Ack = (deviceId: string, ack: AckPayload) => void;

/**
 * The command gate's transport to drives: a command that passed the motor's limits and approval is written
 * to the register its profile names, then read back. The acknowledgements are the ones a board would send:
 * `received` once written, `applied` only when the read-back holds the value (the drive really has it),
 * `rejected` when it holds something else, the profile's own range refuses the value, or the profile has
 * no such command.
 */
export class ModbusCommandTransport {
  constructor(
    private readonly modbus: ModbusService,
    private readonly ack: Ack,
  ) {}

  /** Whether a motor's commands go to its Modbus devices: one of them has commands in its profile. */
  carries(deviceId: string): boolean {
    return this.modbus.commandDevices(deviceId).length > 0;
  }

  async send(deviceId: string, payload: Record<string, unknown>): Promise<void> {
    const id = typeof payload.id === 'string' ? payload.id : null;
    const action = String(payload.action);
    const devices = this.modbus.commandDevices(deviceId);
    const device = devices.find((d) => d.profile.commands.some((c) => c.action === action));
    if (!device) throw new Error(`no Modbus device of ${deviceId} can ${action} (its profiles offer ${[...new Set(devices.flatMap((d) => d.profile.commands.map((c) => c.action)))].join(', ') || 'no commands'})`);
    const cmd = device.profile.commands.find((c) => c.action === action)!;
    const raw = rawOf(cmd, payload.value);
    if (typeof raw === 'string') {
      // After the gate has marked it sent, as a board's rejection would come.
      setImmediate(() => this.ack(deviceId, { id, status: 'rejected', detail: `${device.profile.name}: ${raw}` }));
      return;
    }
    try {
      await device.write(cmd, raw);
    } catch (e) {
      throw new Error(`${device.profile.name} at ${device.line.name} unit ${device.config.unit}: ${classify(e, { table: cmd.table, address: cmd.address, timeoutMs: device.config.timeoutMs }).message}`);
    }
    void this.confirm(device, deviceId, id, cmd, raw);
  }

  private async confirm(device: ModbusDevice, deviceId: string, id: string | null, cmd: ProfileCommand, raw: number): Promise<void> {
    // The gate marks the command sent when send() resolves; the acknowledgements follow, in a board's order.
    await new Promise((r) => setImmediate(r));
    const where = `${cmd.table} ${cmd.address}`;
    this.ack(deviceId, { id, status: 'received', detail: `written to ${where}` });
    const words = isBit(cmd.table) ? 1 : cmd.type === 'uint16' || cmd.type === 'int16' || cmd.type === undefined ? 1 : 2;
    let holds: number;
    try {
      const data = await device.readBack(cmd, words);
      holds = isBit(cmd.table) ? data[0] : decodeWords(data, cmd.type, cmd.wordOrder);
    } catch (e) {
      const fault = classify(e, { table: cmd.table, address: cmd.address, timeoutMs: device.config.timeoutMs });
      this.ack(deviceId, { id, status: 'rejected', detail: `written to ${where}, but the read-back failed: ${fault.message}` });
      return;
    }
    const same = cmd.type === 'float32' ? holds === Math.fround(raw) : holds === raw;
    if (same) this.ack(deviceId, { id, status: 'applied', detail: `${where} reads back ${holds}${cmd.scale !== 1 ? ` (${Number((holds * cmd.scale).toPrecision(9))})` : ''}` });
    else this.ack(deviceId, { id, status: 'rejected', detail: `wrote ${raw} to ${where}, the device holds ${holds}` });
  }
}

/** The raw value a command writes, or why the profile refuses it. */
function rawOf(cmd: ProfileCommand, value: unknown): number | string {
  if (cmd.value !== undefined) return cmd.value;
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${cmd.action} needs a number`;
  if (cmd.min !== undefined && value < cmd.min) return `${value} is below the device's minimum ${cmd.min} for ${cmd.action}`;
  if (cmd.max !== undefined && value > cmd.max) return `${value} is above the device's maximum ${cmd.max} for ${cmd.action}`;
  const raw = cmd.type === 'float32' ? value / cmd.scale : Math.round(value / cmd.scale);
  const type = cmd.type ?? 'uint16';
  const [lo, hi] = type === 'uint16' ? [0, 0xffff] : type === 'int16' ? [-0x8000, 0x7fff] : type === 'uint32' ? [0, 0xffffffff] : type === 'int32' ? [-0x80000000, 0x7fffffff] : [-Infinity, Infinity];
  if (raw < lo || raw > hi) return `${value} does not fit the ${type} register`;
  return raw;
}
