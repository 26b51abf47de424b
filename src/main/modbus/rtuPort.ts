import { EventEmitter } from 'node:events';
import { InterByteTimeoutParser, SerialPort } from 'serialport';
import crc16 from 'modbus-serial/utils/crc16.js';
import type { ModbusEndpoint } from '../../shared/modbusContract';

export type FrameProblem = 'crcErrors' | 'wrongUnit' | 'shortFrames' | 'garbage';

/**
 * The RS-485 side of modbus-serial, over the project's serialport. modbus-serial accepts any port with
 * open/close/write/isOpen that emits whole frames as "data"; this one cuts frames at the line's silence
 * (3.5 characters, as the RTU framing rule says) and judges each against the request it answers. A frame
 * from another unit, a short one, one with a bad CRC or plain noise is counted for the unit that was
 * asked and not handed on: on a shared line it is not that unit's answer, which then times out and is
 * retried, while the other units go on being polled.
 */
export class RtuFramePort extends EventEmitter<{ data: [Buffer]; error: [Error]; close: []; problem: [number, FrameProblem, string] }> {
  // modbus-serial keeps one transaction open at a time on a serial port and reads these two ids.
  _transactionIdRead = 1;
  _transactionIdWrite = 1;
  private readonly port: SerialPort;
  private pending: { unit: number; fc: number } | null = null;

  constructor(endpoint: Extract<ModbusEndpoint, { kind: 'rtu' }>) {
    super();
    this.port = new SerialPort({
      path: endpoint.path,
      baudRate: endpoint.baud,
      parity: endpoint.parity,
      dataBits: endpoint.dataBits,
      stopBits: endpoint.stopBits,
      autoOpen: false,
    });
    // 3.5 characters of 11 bits; timers tick in whole milliseconds, and a loaded machine delays them, so never under 5 ms.
    const silenceMs = Math.max(5, Math.ceil((3.5 * 11 * 1000) / endpoint.baud));
    const frames = this.port.pipe(new InterByteTimeoutParser({ interval: silenceMs, maxBufferSize: 512 }));
    frames.on('data', (frame: Buffer) => this.judge(frame));
    this.port.on('error', (e) => this.emit('error', e));
    this.port.on('close', () => this.emit('close'));
  }

  get isOpen(): boolean {
    return this.port.isOpen;
  }

  open(callback: (e?: Error | null) => void): void {
    this.port.open(callback);
  }

  close(callback?: (e?: Error | null) => void): void {
    if (!this.port.isOpen) return callback?.(null);
    this.port.close(callback);
  }

  write(data: Buffer): void {
    this.pending = { unit: data[0], fc: data[1] };
    this.port.write(data);
  }

  private judge(frame: Buffer): void {
    const verdict = this.verdict(frame);
    if (verdict) {
      this.emit('problem', this.pending?.unit ?? frame[0] ?? 0, verdict[0], verdict[1]);
      return;
    }
    this.pending = null;
    this.emit('data', frame);
  }

  /** Why a frame is not the answer to the pending request, or null when it is. */
  private verdict(frame: Buffer): [FrameProblem, string] | null {
    const asked = this.pending;
    if (!asked) return ['garbage', `${frame.length} bytes nobody asked for`];
    if (frame.length < 5) return ['shortFrames', `a ${frame.length}-byte frame (a Modbus answer has at least 5)`];
    const crcOk = frame.readUInt16LE(frame.length - 2) === crc16(frame.subarray(0, -2));
    const ours = frame[0] === asked.unit && (frame[1] & 0x7f) === asked.fc;
    if (!crcOk) return ours ? ['crcErrors', 'CRC error'] : ['garbage', `${frame.length} bytes of noise`];
    if (frame[0] !== asked.unit) return ['wrongUnit', `unit ${frame[0]} answered a request to unit ${asked.unit}`];
    if (!ours) return ['garbage', `function ${frame[1]} in answer to function ${asked.fc}`];
    return null;
  }
}
