import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlipDecoder, slipEncode } from './slip';

describe('SLIP', () => {
  it('escapes 0xC0 and 0xDB as the ROM documents', () => {
    expect([...slipEncode(Uint8Array.of(1, 0xc0, 0xdb, 2))]).toEqual([0xc0, 1, 0xdb, 0xdc, 0xdb, 0xdd, 2, 0xc0]);
  });
  it('round-trips any packets, whatever the chunking', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 64 }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 7 }), (packets, step) => {
        const wire = Buffer.concat(packets.map(slipEncode));
        const d = new SlipDecoder();
        const got: Buffer[] = [];
        for (let i = 0; i < wire.length; i += step) got.push(...d.push(wire.subarray(i, i + step)).packets);
        expect(got.map((b) => [...b])).toEqual(packets.map((p) => [...p]));
      }),
    );
  });
  it('ignores noise between packets and drops a packet with a bad escape', () => {
    const d = new SlipDecoder();
    const r = d.push(Buffer.from([0x41, 0x42, 0xc0, 1, 0xdb, 0x00, 0xc0, 0xc0, 7, 0xc0]));
    expect(r.packets.map((b) => [...b])).toEqual([[7]]);
    expect(r.errors).toBe(1);
  });
});
