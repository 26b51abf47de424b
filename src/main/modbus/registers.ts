import type { ModbusTable, ModbusType } from '../../shared/modbusContract';
import { READINGS, isReadingName } from '../../shared/readings';
import { isBit, wordsOf, type ProfileRegister } from './profile';

// Words on the wire to readings and back. Modbus registers are 16-bit big-endian; a 32-bit value spans two
// registers whose order is the device's choice (wordOrder "little" = low word first).

export function decodeWords(words: readonly number[], type: ModbusType = 'uint16', wordOrder: 'big' | 'little' = 'big'): number {
  if (type === 'uint16') return words[0] & 0xffff;
  if (type === 'int16') return (words[0] << 16) >> 16;
  const [hi, lo] = wordOrder === 'big' ? [words[0], words[1]] : [words[1], words[0]];
  const buf = Buffer.alloc(4);
  buf.writeUInt16BE(hi & 0xffff, 0);
  buf.writeUInt16BE(lo & 0xffff, 2);
  if (type === 'uint32') return buf.readUInt32BE(0);
  if (type === 'int32') return buf.readInt32BE(0);
  return buf.readFloatBE(0);
}

/** The words that hold `raw` (an integer for integer types); throws when it does not fit the type. */
export function encodeValue(raw: number, type: ModbusType = 'uint16', wordOrder: 'big' | 'little' = 'big'): number[] {
  const buf = Buffer.alloc(4);
  const fits = (min: number, max: number) => {
    if (!Number.isInteger(raw) || raw < min || raw > max) throw new RangeError(`${raw} does not fit a ${type} (${min} to ${max})`);
  };
  if (type === 'uint16') fits(0, 0xffff);
  if (type === 'int16') fits(-0x8000, 0x7fff);
  if (type === 'uint16' || type === 'int16') return [raw & 0xffff];
  if (type === 'uint32') {
    fits(0, 0xffffffff);
    buf.writeUInt32BE(raw, 0);
  } else if (type === 'int32') {
    fits(-0x80000000, 0x7fffffff);
    buf.writeInt32BE(raw, 0);
  } else buf.writeFloatBE(raw, 0);
  const hi = buf.readUInt16BE(0);
  const lo = buf.readUInt16BE(2);
  return wordOrder === 'big' ? [hi, lo] : [lo, hi];
}

/** One request: registers of one table read together, with any unused addresses between them. */
export interface Block {
  table: ModbusTable;
  from: number;
  count: number;
  registers: ProfileRegister[];
}

// The protocol's ceilings per request (function codes 3/4 and 1/2).
const MAX_WORDS = 125;
const MAX_BITS = 2000;
/**
 * Unused addresses a request may span to save one: 8 words cost 16 bytes in the answer, a request of its own a round
 * trip (on RS-485, the line's turn-around too). Wider gaps are more likely to hold addresses a drive refuses.
 */
export const GAP_WORDS = 8;
const GAP_BITS = 64;

/**
 * The fewest requests that read every register: registers of one table whose addresses are at most `gap` words
 * (or 8x as many bits) apart share one, within the protocol's ceiling. A device that refuses an address in a
 * gap answers "illegal data address"; the device then reads that block's registers one by one (see ModbusDevice).
 */
export function planBlocks(registers: readonly ProfileRegister[], gap = GAP_WORDS): Block[] {
  const sorted = [...registers].sort((a, b) => a.table.localeCompare(b.table) || a.address - b.address);
  const blocks: Block[] = [];
  for (const r of sorted) {
    const words = wordsOf(r.table, r.type);
    const last = blocks[blocks.length - 1];
    const bit = isBit(r.table);
    const max = bit ? MAX_BITS : MAX_WORDS;
    const end = last ? last.from + last.count : 0;
    if (last && last.table === r.table && r.address - end <= (bit ? (gap * GAP_BITS) / GAP_WORDS : gap) && r.address + words - last.from <= max) {
      last.count = r.address + words - last.from;
      last.registers.push(r);
    } else blocks.push({ table: r.table, from: r.address, count: words, registers: [r] });
  }
  return blocks;
}

/** A register's slice of its block's words or bits (as 0/1). */
export function sliceOf(block: Block, r: ProfileRegister, data: readonly number[]): number[] {
  const at = r.address - block.from;
  return data.slice(at, at + wordsOf(r.table, r.type));
}

export function scaled(r: ProfileRegister, raw: readonly number[]): { value: number; text: string | null } {
  const code = isBit(r.table) ? raw[0] : decodeWords(raw, r.type, r.wordOrder);
  return { value: scaleCode(code, r.scale, r.type === 'float32'), text: r.codes ? (r.codes[String(code)] ?? `code ${code}`) : null };
}

/** A register's code times its scale, as its manual would write it: 3 × 0.1 is 0.3, not 0.30000000000000004. */
function scaleCode(code: number, scale: number, float: boolean): number {
  if (!float) {
    // Whole codes: a whole scale is exact, and dividing by 10 or 100 rounds correctly where multiplying by 0.1 does not.
    if (Number.isInteger(scale)) return code * scale;
    const inverse = 1 / scale;
    if (Number.isInteger(inverse)) return code / inverse;
  }
  // Rounded to what a float32 or an odd scale can honestly say; formatting and parsing a number costs more, so only here.
  return Number((code * scale).toPrecision(9));
}

export function unitOf(r: ProfileRegister): string {
  return r.unit ?? (isReadingName(r.reading) ? READINGS[r.reading].unit : '');
}

export function labelOf(r: ProfileRegister): string {
  return r.label ?? (isReadingName(r.reading) ? READINGS[r.reading].label : r.reading.replace(/_/g, ' '));
}
