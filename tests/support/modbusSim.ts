import type { ModbusDeviceConfigInput } from '../../src/shared/modbusContract';
import { ServerTCP, type IServiceVector } from 'modbus-serial';
import type { AddressInfo } from 'node:net';
import type { ModbusTable } from '../../src/shared/modbusContract';
import { freePort } from './tools';

/** A Modbus exception as modbus-serial's servers expect it thrown. */
const exception = (code: number) => Object.assign(new Error(`exception ${code}`), { modbusErrorCode: code });

/**
 * One simulated unit: a drive's or relay's four tables. An address it does not have answers "illegal data
 * address", as real drives do; `silent` makes it stop answering, as a drive that lost power.
 */
export class SimUnit {
  readonly tables: Record<ModbusTable, Map<number, number>> = { holding: new Map(), input: new Map(), coil: new Map(), discrete: new Map() };
  silent = false;
  /** Addresses that answer exception 2 although they exist: a firmware without that register. */
  readonly refuse = new Set<number>();
  /** Set-points above this are held at it (a drive whose own limit is lower than the profile's). */
  holdAtMost: number | null = null;
  onWrite: (table: ModbusTable, address: number, value: number) => void = () => undefined;

  read(table: ModbusTable, address: number): number | Promise<number> {
    if (this.silent) return new Promise(() => undefined);
    const v = this.tables[table].get(address);
    if (v === undefined || this.refuse.has(address)) throw exception(2);
    return v;
  }

  write(table: 'holding' | 'coil', address: number, value: number): void {
    if (!this.tables[table].has(address)) throw exception(2);
    const held = this.holdAtMost !== null && table === 'holding' ? Math.min(value, this.holdAtMost) : value;
    this.tables[table].set(address, held);
    this.onWrite(table, address, held);
  }

  set(table: ModbusTable, address: number, ...words: number[]): this {
    words.forEach((w, i) => this.tables[table].set(address + i, w));
    return this;
  }
}

const float32Words = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeFloatBE(v, 0);
  return [b.readUInt16BE(0), b.readUInt16BE(2)];
};

/** A drive laid out as resources/modbus/generic-vfd.json reads it; a new speed set-point becomes its speed. */
export function vfdUnit(): SimUnit {
  const u = new SimUnit()
    .set('holding', 3000, 4933, 1234, 1480, 4000, 565, ...float32Words(7.5), 852, 415, 0, 0, 12345)
    .set('holding', 4000, 1480)
    .set('coil', 1, 1);
  u.onWrite = (table, address, value) => {
    if (table === 'holding' && address === 4000) u.set('holding', 3002, value).set('holding', 3000, Math.round((value / 1500) * 5000));
  };
  return u;
}

/** A protection relay laid out as resources/modbus/generic-motor-protection-relay.json reads it. */
export function relayUnit(): SimUnit {
  return new SimUnit()
    .set('input', 300, 121, 124, 120, 122, 2, 5, 42, 65535, 0, 3, 1)
    .set('discrete', 0, 0, 0)
    .set('coil', 0, 0);
}

function vector(units: ReadonlyMap<number, SimUnit>): IServiceVector {
  const unit = (id: number) => {
    const u = units.get(id);
    // A gateway with nobody at that address says so (exception 11).
    if (!u) throw exception(11);
    return u;
  };
  return {
    getHoldingRegister: (a: number, id: number) => unit(id).read('holding', a),
    getInputRegister: (a: number, id: number) => unit(id).read('input', a),
    getCoil: (a: number, id: number) => Promise.resolve(unit(id).read('coil', a)).then(Boolean),
    getDiscreteInput: (a: number, id: number) => Promise.resolve(unit(id).read('discrete', a)).then(Boolean),
    setRegister: (a: number, v: number, id: number) => unit(id).write('holding', a, v),
    setCoil: (a: number, v: boolean, id: number) => unit(id).write('coil', a, v ? 1 : 0),
  };
}

/** A device on a simulated TCP server as a test adds it: polled fast, one retry, a short timeout. */
export function tcpDevice(port: number, id: string, unit: number, profile: string, more: Partial<ModbusDeviceConfigInput> = {}): ModbusDeviceConfigInput {
  return { id, endpoint: { kind: 'tcp', host: '127.0.0.1', port }, unit, profile, intervalMs: 200, timeoutMs: 300, retries: 1, ...more };
}

export interface TcpSim {
  port: number;
  close(): Promise<void>;
}

/**
 * modbus-serial's own TCP server on a loopback port, answering for every unit id given. It reads port 0 as
 * 502 (the Modbus default), so a free port is picked here.
 */
export async function startTcpSim(units: ReadonlyMap<number, SimUnit>, port?: number): Promise<TcpSim> {
  const server = new ServerTCP(vector(units), { host: '127.0.0.1', port: port ?? (await freePort()), unitID: 255 });
  const net = (server as unknown as { _server: import('node:net').Server })._server;
  await new Promise<void>((resolve, reject) => {
    server.once('initialized', () => resolve());
    server.once('serverError', reject);
  });
  // The server's sockets emit errors when a client goes away mid-answer; tests only care about answers.
  server.on('socketError', () => undefined);
  return {
    port: (net.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of server.socks.keys()) s.destroy();
        server.close(() => resolve());
      }),
  };
}
