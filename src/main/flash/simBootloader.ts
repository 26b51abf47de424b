import { createHash } from 'node:crypto';
import { constants, inflateSync } from 'node:zlib';
import { SlipDecoder, slipEncode } from './slip';

// A simulated ESP32 ROM serial bootloader (esptool "Serial Protocol"): SLIP packets, little-endian
// fields, the ROM's 4 status bytes (2 once the flasher stub "runs"), XOR checksums on data blocks, an
// in-memory flash. It answers what esptool-js sends to a real ESP32, including the stub upload.

export const OP = {
  FLASH_BEGIN: 0x02,
  FLASH_DATA: 0x03,
  FLASH_END: 0x04,
  MEM_BEGIN: 0x05,
  MEM_END: 0x06,
  MEM_DATA: 0x07,
  SYNC: 0x08,
  WRITE_REG: 0x09,
  READ_REG: 0x0a,
  SPI_SET_PARAMS: 0x0b,
  SPI_ATTACH: 0x0d,
  CHANGE_BAUDRATE: 0x0f,
  FLASH_DEFL_BEGIN: 0x10,
  FLASH_DEFL_DATA: 0x11,
  FLASH_DEFL_END: 0x12,
  SPI_FLASH_MD5: 0x13,
} as const;

export const ERR = { INVALID_MESSAGE: 0x05, FAILED: 0x06, INVALID_CRC: 0x07, DEFLATE: 0x0b, STUB_BAD_CHECKSUM: 0xc1 } as const;

const ESP32_MAGIC_REG = 0x40001000;
const ESP32_MAGIC = 0x00f01d83;
const UART_CLKDIV_REG = 0x3ff40014;
const SPI_BASE = 0x3ff42000;
const SPI_USR2 = SPI_BASE + 0x24;
const SPI_W0 = SPI_BASE + 0x80;
const SPI_CMD_USR = 1 << 18;
/** JEDEC id of a 4 MB Winbond flash (size code 0x16). */
const FLASH_ID = 0x1640ef;
export const SIM_FLASH_SIZE = 4 * 1024 * 1024;

export interface SimBootloaderFaults {
  /** Flip a byte of this data block (by sequence number) on every attempt, like a persistently noisy line. */
  corruptBlock?: number;
  /** Flip a byte of this block only on its first attempt (a single glitch the host retries past). */
  glitchBlock?: number;
}

type Write = { offset: number; size: number; written: number; compressed: Buffer[] | null };

export class SimBootloader {
  readonly flash: Uint8Array;
  private readonly decoder = new SlipDecoder();
  private readonly regs = new Map<number, number>([
    [ESP32_MAGIC_REG, ESP32_MAGIC],
    [UART_CLKDIV_REG, Math.round(40e6 / 115200)],
    // eFuse MAC words, so the board reports a plausible Espressif MAC.
    [0x3ff5a004, 0x3e2a1b0c],
    [0x3ff5a008, 0x0000240a],
  ]);
  private stub = false;
  private write: Write | null = null;
  private glitched = false;
  /** Completed writes, for tests and the virtual board (which boots what was flashed). */
  readonly writes: Array<{ offset: number; size: number }> = [];
  commands = 0;

  constructor(
    private readonly send: (bytes: Buffer) => void,
    private readonly faults: SimBootloaderFaults = {},
    flash?: Uint8Array,
  ) {
    this.flash = flash ?? new Uint8Array(SIM_FLASH_SIZE).fill(0xff);
  }

  get stubRunning(): boolean {
    return this.stub;
  }

  receive(chunk: Uint8Array): void {
    for (const p of this.decoder.push(chunk).packets) this.handle(p);
  }

  private reply(op: number, data: Uint8Array = new Uint8Array(0), value = 0, status = 0, error = 0): void {
    const statusBytes = this.stub ? [status, error] : [status, error, 0, 0];
    const body = Buffer.concat([Buffer.from(data), Buffer.from(statusBytes)]);
    const head = Buffer.alloc(8);
    head[0] = 0x01;
    head[1] = op;
    head.writeUInt16LE(body.length, 2);
    head.writeUInt32LE(value >>> 0, 4);
    this.send(slipEncode(Buffer.concat([head, body])));
  }

  private fail(op: number, error: number): void {
    this.reply(op, undefined, 0, 1, error);
  }

  private handle(p: Buffer): void {
    if (p.length < 8 || p[0] !== 0x00) return;
    this.commands++;
    const op = p[1];
    const size = p.readUInt16LE(2);
    const checksum = p.readUInt32LE(4);
    const data = p.subarray(8);
    if (data.length !== size) return this.fail(op, ERR.INVALID_MESSAGE);
    const word = (i: number) => data.readUInt32LE(i * 4);
    switch (op) {
      case OP.SYNC:
        if (size !== 36 || data.readUInt32LE(0) !== 0x20120707) return this.fail(op, ERR.INVALID_MESSAGE);
        // The ROM answers one SYNC several times (with a non-zero value); the stub once, with zero.
        for (let i = 0; i < (this.stub ? 1 : 8); i++) this.reply(op, undefined, this.stub ? 0 : 0x20120707);
        return;
      case OP.READ_REG:
        return this.reply(op, undefined, this.readReg(word(0)));
      case OP.WRITE_REG:
        for (let i = 0; i + 16 <= size; i += 16) this.writeReg(data.readUInt32LE(i), data.readUInt32LE(i + 4), data.readUInt32LE(i + 8));
        return this.reply(op);
      case OP.SPI_ATTACH:
      case OP.SPI_SET_PARAMS:
      case OP.CHANGE_BAUDRATE:
      case OP.MEM_BEGIN:
        return this.reply(op);
      case OP.MEM_DATA:
        return this.checkBlock(data, checksum, null) ? this.reply(op) : this.fail(op, this.stub ? ERR.STUB_BAD_CHECKSUM : ERR.INVALID_CRC);
      case OP.MEM_END:
        this.reply(op);
        // The uploaded stub starts and announces itself with the only unsolicited packet.
        this.stub = true;
        this.send(slipEncode(Buffer.from('OHAI')));
        return;
      case OP.FLASH_BEGIN:
      case OP.FLASH_DEFL_BEGIN:
        return this.begin(op, word(0), word(3));
      case OP.FLASH_DATA:
      case OP.FLASH_DEFL_DATA:
        return this.data(op, data, checksum);
      case OP.FLASH_END:
      case OP.FLASH_DEFL_END:
        if (this.write) this.writes.push({ offset: this.write.offset, size: this.write.written });
        this.write = null;
        return this.reply(op);
      case OP.SPI_FLASH_MD5: {
        const [addr, len] = [word(0), word(1)];
        if (addr + len > this.flash.length) return this.fail(op, ERR.FAILED);
        const md5 = createHash('md5').update(this.flash.subarray(addr, addr + len)).digest();
        // The ROM answers 32 hex characters, the stub 16 raw bytes.
        return this.reply(op, this.stub ? md5 : Buffer.from(md5.toString('hex'), 'ascii'));
      }
      default:
        // An unknown command: the "invalid message" reply that esptool reads as "not supported".
        return this.reply(0x00, undefined, 0, 1, ERR.INVALID_MESSAGE);
    }
  }

  private readReg(addr: number): number {
    return this.regs.get(addr) ?? 0;
  }

  private writeReg(addr: number, value: number, mask: number): void {
    if (addr === SPI_BASE && value & SPI_CMD_USR) {
      // A user SPI command: RDID (0x9F) puts the flash's JEDEC id in W0; the command completes at once.
      if ((this.readReg(SPI_USR2) & 0xff) === 0x9f) this.regs.set(SPI_W0, FLASH_ID);
      return;
    }
    const old = this.readReg(addr);
    this.regs.set(addr, ((old & ~mask) | (value & mask)) >>> 0);
  }

  private begin(op: number, size: number, offset: number): void {
    if (offset + size > this.flash.length) return this.fail(op, ERR.FAILED);
    // The ROM erases the region on begin.
    this.flash.fill(0xff, offset, offset + size);
    this.write = { offset, size, written: 0, compressed: op === OP.FLASH_DEFL_BEGIN ? [] : null };
    this.reply(op);
  }

  private data(op: number, data: Buffer, checksum: number): void {
    const w = this.write;
    if (!w || (w.compressed === null) !== (op === OP.FLASH_DATA)) return this.fail(op, ERR.FAILED);
    const seq = data.readUInt32LE(4);
    if (!this.checkBlock(data, checksum, seq)) return this.fail(op, this.stub ? ERR.STUB_BAD_CHECKSUM : ERR.INVALID_CRC);
    const block = data.subarray(16, 16 + data.readUInt32LE(0));
    if (w.compressed) {
      // Inflate everything received so far (a sync flush tolerates the unfinished stream) and write
      // what is new: simple, and fast enough for a few MiB.
      w.compressed.push(Buffer.from(block));
      let all: Buffer;
      try {
        all = inflateSync(Buffer.concat(w.compressed), { finishFlush: constants.Z_SYNC_FLUSH });
      } catch {
        return this.fail(op, ERR.DEFLATE);
      }
      if (w.offset + all.length > this.flash.length) return this.fail(op, ERR.FAILED);
      this.flash.set(all.subarray(w.written), w.offset + w.written);
      w.written = all.length;
    } else {
      if (w.offset + w.written + block.length > this.flash.length) return this.fail(op, ERR.FAILED);
      this.flash.set(block, w.offset + w.written);
      w.written += block.length;
    }
    this.reply(op);
  }

  /** `seq` is a flash block's number (faults apply to flash writes only), null for RAM blocks. */
  private checkBlock(data: Buffer, checksum: number, seq: number | null): boolean {
    const len = data.readUInt32LE(0);
    const block = Buffer.from(data.subarray(16, 16 + len));
    if (block.length !== len) return false;
    const glitch = seq !== null && seq === this.faults.glitchBlock && !this.glitched;
    if (seq !== null && (seq === this.faults.corruptBlock || glitch) && block.length) {
      this.glitched = true;
      block[0] ^= 0xff;
      data[16] = block[0];
    }
    let cs = 0xef;
    for (const b of block) cs ^= b;
    return cs === (checksum & 0xff);
  }
}
