import { open as openFile, writeFile } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { PolledPort } from '../../src/main/serial/polledPort';
import { createPtyPair, type PtyPair } from '../../src/main/sim/socatPair';
import { requireTool, waitFor } from '../support/tools';

// The serial read path the engine uses on Linux: the binding's poller and read(2) on the event loop instead of
// serialport's stream. On a real socat pair: every byte in order, writes go out, and a pulled cable is a close
// that says "disconnected", as the stream's own reads report it.

async function open(path: string): Promise<{ raw: SerialPort; port: PolledPort }> {
  const raw = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => raw.open((e) => (e ? reject(e) : resolve())));
  return { raw, port: new PolledPort(raw) };
}

describe('PolledPort on a pseudo-terminal', () => {
  let pair: PtyPair | null = null;
  afterEach(async () => {
    await pair?.unplug();
    pair = null;
  });

  it('reads every byte in order, in as many chunks as the kernel hands over', async () => {
    requireTool('socat', 'socat');
    pair = await createPtyPair();
    const { port } = await open(pair.hostPath);
    const chunks: Buffer[] = [];
    // Copied: the port reuses its buffer once a listener returns.
    port.on('data', (c) => chunks.push(Buffer.from(c)));
    const sent = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `line ${i} ${'x'.repeat(i % 97)}\n`).join(''));
    // Off the event loop (a blocking write to a full pty would stop the reader it waits for).
    await writeFile(pair.devicePath, sent);
    await waitFor('all bytes', () => chunks.reduce((n, c) => n + c.length, 0) >= sent.length, 30_000);
    expect(Buffer.concat(chunks).equals(sent)).toBe(true);
    await new Promise((r) => port.close(r));
  });

  it('writes through the port and closes on request without calling it a disconnect', async () => {
    requireTool('socat', 'socat');
    pair = await createPtyPair();
    const { port } = await open(pair.hostPath);
    port.on('data', () => undefined);
    const board = await openFile(pair.devicePath, 'r+');
    const got = Buffer.alloc(64);
    const read = board.read(got, 0, got.length, null);
    await new Promise((r) => port.write('{"type":"command","action":"PING"}\n', r));
    const { bytesRead } = await read;
    expect(got.subarray(0, bytesRead).toString()).toBe('{"type":"command","action":"PING"}\n');
    await board.close();
    const closed = new Promise<Error | undefined>((r) => port.on('close', r));
    port.close();
    expect(await closed).toBeFalsy();
    expect(port.isOpen).toBe(false);
  });

  it('reports a pulled cable as a close with a disconnected error', async () => {
    requireTool('socat', 'socat');
    pair = await createPtyPair();
    const { port } = await open(pair.hostPath);
    port.on('data', () => undefined);
    const closed = new Promise<(Error & { disconnected?: boolean }) | undefined>((r) => port.on('close', r));
    await pair.unplug();
    const err = await closed;
    expect(err?.disconnected).toBe(true);
    expect(port.isOpen).toBe(false);
  });
});
