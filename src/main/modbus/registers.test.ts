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

  it('read registers a few addresses apart in one request and start another at a wide gap or a new table', () => {
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
    // 13 to 19 are unused: within the 8 a request may span.
    expect(planBlocks(p.registers).map((b) => [b.table, b.from, b.count])).toEqual([
      ['coil', 0, 1],
      ['holding', 10, 11],
    ]);
    expect(planBlocks(p.registers, 0).map((b) => [b.table, b.from, b.count])).toEqual([
      ['coil', 0, 1],
      ['holding', 10, 3],
      ['holding', 20, 1],
    ]);
    expect(planBlocks(p.registers, 6).map((b) => b.count)).toEqual([1, 3, 1]);
  });

  it('keep a request within the 125 registers and 2000 bits the protocol allows', () => {
    const words = Array.from({ length: 130 }, (_, i) => ({ reading: `w${i}`, unit: 'x', table: 'input', address: 100 + i }));
    const bits = Array.from({ length: 30 }, (_, i) => ({ reading: `b${i}`, unit: 'x', table: 'coil', address: i * 70 }));
    const p = parseProfile(JSON.stringify({ name: 't', registers: [...words, ...bits] }), 't');
    const plan = planBlocks(p.registers).map((b) => [b.table, b.from, b.count]);
    expect(plan.filter(([t]) => t === 'input')).toEqual([
      ['input', 100, 125],
      ['input', 225, 5],
    ]);
    // Coils 70 apart are beyond the 64-bit gap: one request each.
    expect(plan.filter(([t]) => t === 'coil')).toHaveLength(30);
  });

  it('scale and name codes', () => {
    const [r] = parseProfile(JSON.stringify({ name: 't', registers: [{ reading: 'trip_cause', unit: 'code', table: 'input', address: 1, codes: { '1': 'thermal overload' } }] }), 't').registers;
    expect(scaled(r, [1])).toEqual({ value: 1, text: 'thermal overload' });
    expect(scaled(r, [7])).toEqual({ value: 7, text: 'code 7' });
    const [c] = parseProfile(JSON.stringify({ name: 't', registers: [{ reading: 'current', table: 'holding', address: 1, scale: 0.1 }] }), 't').registers;
    expect(scaled(c, [3]).value).toBe(0.3);
    const at = (scale: number, type?: string) => parseProfile(JSON.stringify({ name: 't', registers: [{ reading: 'current', table: 'holding', address: 1, scale, ...(type ? { type } : {}) }] }), 't').registers[0];
    expect(scaled(at(0.01), [1234]).value).toBe(12.34);
    expect(scaled(at(0.001, 'uint32'), [1, 57921]).value).toBe(123.457);
    expect(scaled(at(10, 'uint32'), [0xffff, 0xffff]).value).toBe(42949672950);
    expect(scaled(at(0.3), [7]).value).toBe(2.1);
    // A float32 is shown to the digits it holds: 0.1 is stored as 0.100000001490116…
    expect(scaled(at(1, 'float32'), [0x3dcc, 0xcccd]).value).toBe(0.100000001);
  });
});
