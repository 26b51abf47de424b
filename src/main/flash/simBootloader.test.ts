import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ERR, OP, SimBootloader } from './simBootloader';
import { SlipDecoder, slipEncode } from './slip';

function command(op: number, data: Buffer, checksum = 0): Buffer {
  const head = Buffer.alloc(8);
  head[1] = op;
  head.writeUInt16LE(data.length, 2);
  head.writeUInt32LE(checksum, 4);
  return slipEncode(Buffer.concat([head, data]));
}
const words = (...w: number[]) => Buffer.concat(w.map((x) => { const b = Buffer.alloc(4); b.writeUInt32LE(x >>> 0); return b; }));
const SYNC = Buffer.concat([Buffer.from([7, 7, 0x12, 0x20]), Buffer.alloc(32, 0x55)]);

function harness(faults = {}) {
  const replies: Buffer[] = [];
  const dec = new SlipDecoder();
  const sim = new SimBootloader((b) => replies.push(...dec.push(b).packets), faults);
  const send = (op: number, data: Buffer, cs = 0) => {
    replies.length = 0;
    sim.receive(command(op, data, cs));
    return [...replies];
  };
  return { sim, send };
}

const dataBlock = (seq: number, block: Buffer) => {
  let cs = 0xef;
  for (const b of block) cs ^= b;
  return { data: Buffer.concat([words(block.length, seq, 0, 0), block]), cs };
};

describe('SimBootloader', () => {
  it('answers SYNC several times with the ROM value and 4 status bytes', () => {
    const { send } = harness();
    const r = send(OP.SYNC, SYNC);
    expect(r.length).toBe(8);
    expect(r[0][0]).toBe(1);
    expect(r[0][1]).toBe(OP.SYNC);
    expect(r[0].readUInt16LE(2)).toBe(4);
    expect(r[0].readUInt32LE(4)).toBe(0x20120707);
  });
  it('identifies as an ESP32 by its magic register', () => {
    const { send } = harness();
    expect(send(OP.READ_REG, words(0x40001000))[0].readUInt32LE(4)).toBe(0x00f01d83);
  });
  it('writes flash, verifies by MD5 (ROM: hex text) and rejects a wrong checksum with 0x07', () => {
    const { sim, send } = harness();
    expect(send(OP.SPI_ATTACH, words(0, 0)).at(-1)!.subarray(8)).toEqual(Buffer.from([0, 0, 0, 0]));
    send(OP.FLASH_BEGIN, words(8, 1, 8, 0x1000, 0));
    const block = Buffer.from([0xe9, 1, 2, 3, 0xc0, 0xdb, 6, 7]);
    const bad = dataBlock(0, block);
    const nack = send(OP.FLASH_DATA, bad.data, bad.cs ^ 1)[0];
    expect([...nack.subarray(8)]).toEqual([1, ERR.INVALID_CRC, 0, 0]);
    const good = dataBlock(0, block);
    expect(send(OP.FLASH_DATA, good.data, good.cs)[0].subarray(8)[0]).toBe(0);
    expect(Buffer.from(sim.flash.subarray(0x1000, 0x1008))).toEqual(block);
    const md5 = send(OP.SPI_FLASH_MD5, words(0x1000, 8, 0, 0))[0].subarray(8, 40).toString('ascii');
    expect(md5).toBe(createHash('md5').update(block).digest('hex'));
  });
  it('switches to the stub after MEM_END: OHAI, then 2 status bytes and a raw MD5', () => {
    const { send } = harness();
    send(OP.MEM_BEGIN, words(4, 1, 4, 0x40080000));
    const mem = dataBlock(0, Buffer.from([1, 2, 3, 4]));
    send(OP.MEM_DATA, mem.data, mem.cs);
    const r = send(OP.MEM_END, words(0, 0x40080000));
    expect(r.map((p) => p.toString('latin1')).at(-1)).toBe('OHAI');
    const md5 = send(OP.SPI_FLASH_MD5, words(0, 16, 0, 0))[0];
    expect(md5.readUInt16LE(2)).toBe(18);
  });
  it('answers an unknown command with "invalid message" under another opcode, which esptool reads as unsupported', () => {
    const { send } = harness();
    const r = send(0x14, Buffer.alloc(0))[0];
    expect(r[1]).not.toBe(0x14);
    expect([...r.subarray(8, 10)]).toEqual([1, ERR.INVALID_MESSAGE]);
  });
});
