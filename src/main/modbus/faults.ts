import type { ModbusCounts, ModbusEndpoint } from '../../shared/modbusContract';
import type { FrameProblem } from './rtuPort';
import { DomainError } from '../platform/domainError';

// What a failed Modbus transaction means, and a line's name: apart from line.ts, which loads modbus-serial,
// so an engine with no Modbus device never loads it.

export type FaultKind = 'exception' | 'timeout' | 'connection' | FrameProblem;
export type ProblemCounts = Pick<ModbusCounts, 'crcErrors' | 'wrongUnit' | 'shortFrames' | 'garbage'>;

/** A failed transaction in words, and whether trying again may help. */
export class ModbusFault extends DomainError {
  constructor(
    readonly kind: FaultKind,
    message: string,
    /** The Modbus exception code, for an exception. */
    readonly exceptionCode: number | null = null,
  ) {
    super('failed', message);
  }
  get retriable(): boolean {
    return this.kind !== 'exception';
  }
  /** The device refused the addresses asked ("illegal data address", or a count its map does not allow there). */
  get refusedAddress(): boolean {
    return this.exceptionCode === 2 || this.exceptionCode === 3;
  }
}

// The exception codes of the Modbus application protocol specification, in a maintenance engineer's words.
const EXCEPTIONS: Record<number, string> = {
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'server device failure',
  5: 'acknowledge (still working on it)',
  6: 'server device busy',
  8: 'memory parity error',
  10: 'gateway path unavailable',
  11: 'gateway target device failed to respond',
};

export function describeEndpoint(e: ModbusEndpoint): string {
  if (e.kind === 'tcp') return `tcp://${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
  return `rtu:${e.path} ${e.baud} ${e.dataBits}${e.parity[0].toUpperCase()}${e.stopBits}`;
}

/** What went wrong with one request ("illegal data address 3000"), from modbus-serial's error. */
export function classify(e: unknown, what: { table: string; address: number; timeoutMs: number }): ModbusFault {
  if (e instanceof ModbusFault) return e;
  const err = e as Error & { modbusCode?: number; errno?: string };
  if (typeof err.modbusCode === 'number') {
    const meaning = EXCEPTIONS[err.modbusCode] ?? 'unknown exception';
    // Codes 2 and 3 are about the address asked; the others about the device or gateway, so the address goes last.
    const text = err.modbusCode === 2 || err.modbusCode === 3 ? `${meaning} ${what.address} (exception ${err.modbusCode}, ${what.table})` : `${meaning} (exception ${err.modbusCode}, ${what.table} ${what.address})`;
    return new ModbusFault('exception', text, err.modbusCode);
  }
  const m = String(err?.message ?? err);
  if (err.errno === 'ETIMEDOUT' || /Timed out/i.test(m)) return new ModbusFault('timeout', `no answer within ${what.timeoutMs} ms (${what.table} ${what.address})`);
  if (/CRC error/.test(m)) return new ModbusFault('crcErrors', `CRC error (${what.table} ${what.address})`);
  if (/expected address/.test(m)) return new ModbusFault('wrongUnit', `answer from the wrong unit: ${m}`);
  const length = /Data length error, expected (\d+) got (\d+)/.exec(m);
  if (length) return new ModbusFault(Number(length[2]) < Number(length[1]) ? 'shortFrames' : 'garbage', `${Number(length[2]) < Number(length[1]) ? 'short frame' : 'malformed frame'}: expected ${length[1]} bytes, got ${length[2]}`);
  if (/expected code/.test(m)) return new ModbusFault('garbage', `malformed frame: ${m}`);
  return new ModbusFault('connection', m || 'connection failed');
}
