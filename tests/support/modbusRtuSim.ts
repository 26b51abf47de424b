import { InterByteTimeoutParser, SerialPort } from 'serialport';
import crc16 from 'modbus-serial/utils/crc16.js';
import type { SimUnit } from './modbusSim';

/** How a misbehaving unit answers: from another unit id, with a broken CRC, cut short, or as noise. */
export type RtuFault = 'wrongUnit' | 'badCrc' | 'short' | 'garbage';

const withCrc = (pdu: number[]) => {
  const b = Buffer.from(pdu);
  const crc = Buffer.alloc(2);
  crc.writeUInt16LE(crc16(b), 0);
  return Buffer.concat([b, crc]);
};

/**
 * The slaves on one RS-485 line, at the far end of a socat pty pair: every unit in `units` answers its own
 * address, the others keep quiet as absent slaves do. modbus-serial's ServerSerial answers one unit id per
 * port, and cannot be told to answer badly, so the line is simulated here with its CRC helper.
 */
export class RtuLineSim {
  readonly faults = new Map<number, RtuFault>();
  requests = 0;
  private readonly port: SerialPort;

  private constructor(
    path: string,
    baud: number,
    private readonly units: ReadonlyMap<number, SimUnit>,
  ) {
    this.port = new SerialPort({ path, baudRate: baud, parity: 'even', autoOpen: false });
    this.port.pipe(new InterByteTimeoutParser({ interval: 5 })).on('data', (f: Buffer) => void this.answer(f));
  }

  static async open(path: string, baud: number, units: ReadonlyMap<number, SimUnit>): Promise<RtuLineSim> {
    const sim = new RtuLineSim(path, baud, units);
    await new Promise<void>((resolve, reject) => sim.port.open((e) => (e ? reject(e) : resolve())));
    return sim;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.port.isOpen ? this.port.close(() => resolve()) : resolve()));
  }

  private async answer(frame: Buffer): Promise<void> {
    if (frame.length < 8 || frame.readUInt16LE(frame.length - 2) !== crc16(frame.subarray(0, -2))) return;
    const [id, fc] = frame;
    const unit = this.units.get(id);
    if (!unit) return;
    this.requests++;
    const pdu = await this.pdu(unit, fc, frame.readUInt16BE(2), frame.readUInt16BE(4), frame);
    if (pdu === null) return;
    let out = withCrc([id, ...pdu]);
    const fault = this.faults.get(id);
    if (fault === 'wrongUnit') out = withCrc([id + 1, ...pdu]);
    if (fault === 'badCrc') out[out.length - 1] ^= 0xff;
    if (fault === 'short') out = out.subarray(0, 3);
    if (fault === 'garbage') out = Buffer.from([0xfe, 0x13, 0x37, 0x00, 0xaa, 0x55, 0x01]);
    this.port.write(out);
  }

  /** The answer's function code and data, or null when the unit stays silent. */
  private async pdu(unit: SimUnit, fc: number, addr: number, qty: number, frame: Buffer): Promise<number[] | null> {
    const table = ({ 1: 'coil', 2: 'discrete', 3: 'holding', 4: 'input' } as const)[fc as 1 | 2 | 3 | 4];
    try {
      if (table) {
        const read = Array.from({ length: qty }, (_, i) => unit.read(table, addr + i));
        if (unit.silent) return null;
        const values = await Promise.all(read);
        if (fc <= 2) {
          const bytes = Array.from({ length: Math.ceil(qty / 8) }, (_, b) => values.slice(b * 8, b * 8 + 8).reduce((acc, v, i) => acc | ((v ? 1 : 0) << i), 0));
          return [fc, bytes.length, ...bytes];
        }
        return [fc, qty * 2, ...values.flatMap((v) => [(v >> 8) & 0xff, v & 0xff])];
      }
      if (unit.silent) return null;
      if (fc === 5) unit.write('coil', addr, qty === 0xff00 ? 1 : 0);
      else if (fc === 6) unit.write('holding', addr, qty);
      else if (fc === 16) for (let i = 0; i < qty; i++) unit.write('holding', addr + i, frame.readUInt16BE(7 + i * 2));
      else return [fc | 0x80, 1];
      return [...frame.subarray(1, 6)];
    } catch (e) {
      return [fc | 0x80, (e as { modbusErrorCode?: number }).modbusErrorCode ?? 4];
    }
  }
}
