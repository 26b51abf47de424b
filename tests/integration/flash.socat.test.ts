import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { flashImage } from '../../src/main/flash/flasher';
import { buildTestImage } from '../../src/main/flash/image';
import { createPtyPair } from '../../src/main/sim/socatPair';
import { VirtualSerialBoard } from '../../src/main/sim/virtualSerialBoard';
import { runCli } from '../support/cli';
import { startEngine, type Harness } from '../support/engineHarness';
import { requireTool, tempDir, waitFor } from '../support/tools';

// Flashing through the real esptool-js code path (sync, chip detection, stub upload, compressed write,
// MD5) to the simulated ROM bootloader on a socat pseudo-terminal, then byte-for-byte comparison.

const equalAt = (flash: Uint8Array, offset: number, image: Uint8Array) => Buffer.compare(Buffer.from(flash.subarray(offset, offset + image.length)), Buffer.from(image)) === 0;

describe('flashing an ESP32 over a pseudo-terminal', () => {
  const boards: VirtualSerialBoard[] = [];
  const plug = async (b: VirtualSerialBoard) => {
    boards.push(b);
    await b.plugIn();
    return b;
  };
  beforeAll(() => void requireTool('socat', 'socat'));
  afterEach(async () => {
    for (const b of boards.splice(0)) await b.unplug();
  });

  it('writes, verifies by MD5, and the flash holds the image byte for byte (one noisy block retried)', async () => {
    const board = await plug(new VirtualSerialBoard({ id: 'flash_1', startInBootloader: true, bootloaderFaults: { glitchBlock: 1 } }));
    const image = buildTestImage(200_000, '2.0.0');
    const phases = new Set<string>();
    const r = await flashImage({ path: board.hostPath, image, offset: 0x10000, onProgress: (p) => phases.add(p.phase) });
    expect(r.chip).toMatch(/^ESP32/);
    expect(r.resetUnsupported).toBe(true);
    expect(board.bootloader?.stubRunning).toBe(true);
    expect(equalAt(board.flash, 0x10000, image)).toBe(true);
    expect([...phases]).toEqual(expect.arrayContaining(['connecting', 'writing', 'verifying', 'resetting']));
  });

  it('gets no reply from a board that is not in its bootloader, and says what to do', async () => {
    const board = await plug(new VirtualSerialBoard({ id: 'flash_2', autoBootloader: false, rateHz: 5 }));
    await expect(flashImage({ path: board.hostPath, image: buildTestImage(4096, '1'), offset: 0x10000 })).rejects.toThrow(/no reply from the bootloader: hold BOOT and press EN/);
  });

  it('gives up on a block whose checksum keeps failing, naming the cable or baud rate', async () => {
    const board = await plug(new VirtualSerialBoard({ id: 'flash_3', startInBootloader: true, bootloaderFaults: { corruptBlock: 2 } }));
    await expect(flashImage({ path: board.hostPath, image: buildTestImage(100_000, '1'), offset: 0x10000 })).rejects.toThrow(/checksum.*cable|cable.*baud/);
  });

  it('reports a board unplugged in the middle of the write', async () => {
    const board = await plug(new VirtualSerialBoard({ id: 'flash_4', startInBootloader: true }));
    const started = Date.now();
    const flashing = flashImage({
      path: board.hostPath,
      image: buildTestImage(1024 * 1024, '1'),
      offset: 0x10000,
      onProgress: (p) => {
        if (p.phase === 'writing' && p.written > 200_000) void board.unplug();
      },
    });
    await expect(flashing).rejects.toThrow(/unplugged during the flash/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('refuses an image that is not an ESP32 image before touching the port', async () => {
    const pair = await createPtyPair();
    try {
      await expect(flashImage({ path: pair.hostPath, image: new TextEncoder().encode('not firmware at all'), offset: 0x10000 })).rejects.toThrow(/magic byte 0xE9/);
    } finally {
      await pair.unplug();
    }
  });

  it('motortwin flash writes a file from the command line', async () => {
    const board = await plug(new VirtualSerialBoard({ id: 'flash_5', startInBootloader: true }));
    const file = join(tempDir(), 'fw.bin');
    const image = buildTestImage(65_536, '3.1.0');
    writeFileSync(file, image);
    const r = await runCli(['flash', '--port', board.hostPath, '--image', file, '--offset', '0x20000']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/MD5 [0-9a-f]{32} verified/);
    expect(r.stdout).toMatch(/press EN/);
    expect(equalAt(board.flash, 0x20000, image)).toBe(true);
  });
});

describe('flashing from the engine: the console lends its port and confirms the new version', () => {
  let h: Harness;
  const board = new VirtualSerialBoard({ id: 'bench_fw', rateHz: 10 });
  beforeAll(async () => {
    requireTool('socat', 'socat');
    h = await startEngine();
    await board.plugIn();
    await h.engine.devices.serial.open(board.hostPath, 115200);
    board.reset();
    await waitFor('board online', () => h.engine.twins.get('bench_fw')?.device.fw === '1.0.0');
  });
  afterAll(async () => {
    await board.unplug();
    await h?.close();
  });

  it('flashes over the open console, takes the port back and sees the new firmware', async () => {
    const image = buildTestImage(300_000, '2.5.0');
    const flash = h.engine.devices.flash;
    const events: string[] = [];
    flash.on('progress', (j) => events.push(j.phase));
    const up = flash.upload(undefined, Buffer.from(image.subarray(0, 150_000)).toString('base64'), false);
    flash.upload(up.uploadId, Buffer.from(image.subarray(150_000)).toString('base64'), true);
    const job = await flash.start({ path: board.hostPath, uploadId: up.uploadId, offset: 0x10000, baud: 460800 });
    const done = await waitFor('flash done', () => flash.list().find((j) => j.jobId === job.jobId && (j.phase === 'done' || j.phase === 'failed')), 40_000);
    expect(done.error).toBeNull();
    expect(done.md5).toMatch(/^[0-9a-f]{32}$/);
    expect(done.confirmedVersion).toBe('2.5.0');
    expect(events).toContain('writing');
    expect(equalAt(board.flash, 0x10000, image)).toBe(true);
    expect(h.engine.devices.serial.board(board.hostPath)?.state).toBe('open');
    await waitFor('twin reports the new firmware', () => h.engine.twins.get('bench_fw')?.device.fw === '2.5.0');
  });

  it('rejects an upload that is not an image with a clear message and leaves the port open', async () => {
    const flash = h.engine.devices.flash;
    const up = flash.upload(undefined, Buffer.from('hello').toString('base64'), true);
    const job = await flash.start({ path: board.hostPath, uploadId: up.uploadId, offset: 0x10000, baud: 460800 });
    const failed = await waitFor('flash failed', () => flash.list().find((j) => j.jobId === job.jobId && j.phase === 'failed'));
    expect(failed.error).toMatch(/0xE9/);
    await waitFor('console back', () => h.engine.devices.serial.board(board.hostPath)?.state === 'open');
  });
});
