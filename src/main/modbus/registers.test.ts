import { describe, expect, it } from 'vitest';
import { decodeWords, encodeValue, planBlocks, scaled } from './registers';
import { parseProfile } from './profile';

describe('register words', () => {
  it('decode and encode every type in both word orders', () => {
    for (const [type, v] of [['uint16', 65535], ['int16', -2], ['uint32', 3_000_000_000], ['int32', -70000], ['float32', 12.5]] as const) {
      for (const order of ['big', 'little'] as const) expect(decodeWords(encodeValue(v, type, order), type, order)).toBe(v);
    }
    expect(encodeValue(0x12345678, 'uint32', 'big')).toEqual([0x1234, 0x5678]);
    expect(encodeValue(0x12345678, 'uint32', 'little')).toEqual([0x5678, 0x1234]);
    expect(() => encodeValue(70000, 'uint16')).toThrow('70000 does not fit a uint16 (0 to 65535)');
  });

  it('read adjacent registers in one request and start another at a gap or a new table', () => {
    const p = parseProfile(
      JSON.stringify({
        name: 't',
        registers: [
          { reading: 'a_x', unit: 'x', table: 'holding', address: 10 },
          { reading: 'b_x', unit: 'x', table: 'holding', address: 11, type: 'float32' },
          { reading: 'c_x', unit: 'x', table: 'holding', address: 20 },
          { reading: 'd_x', unit: 'x', table: 'coil', address: 0 },
        ],
      }),
      't',
    );
    expect(planBlocks(p.registers).map((b) => [b.table, b.from, b.count])).toEqual([
      ['coil', 0, 1],
      ['holding', 10, 3],
      ['holding', 20, 1],
    ]);
  });

  it('scale and name codes', () => {
    const [r] = parseProfile(JSON.stringify({ name: 't', registers: [{ reading: 'trip_cause', unit: 'code', table: 'input', address: 1, codes: { '1': 'thermal overload' } }] }), 't').registers;
    expect(scaled(r, [1])).toEqual({ value: 1, text: 'thermal overload' });
    expect(scaled(r, [7])).toEqual({ value: 7, text: 'code 7' });
    const [c] = parseProfile(JSON.stringify({ name: 't', registers: [{ reading: 'current', table: 'holding', address: 1, scale: 0.1 }] }), 't').registers;
    expect(scaled(c, [3]).value).toBe(0.3);
  });
});
