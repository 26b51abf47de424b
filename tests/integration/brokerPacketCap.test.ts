import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { startServe } from '../support/cli';
import { startSeqBoard } from '../support/seqBoard';
import { stopProcess, tempDir, waitFor } from '../support/tools';

// A client announcing a 100 MB PUBLISH to the embedded broker must be cut off when the packet's length
// is read, not after the broker has buffered what it sent. Other boards keep publishing meanwhile.

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** MQTT's "remaining length" as a variable byte integer. */
function varint(n: number): Buffer {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}

/** Sends the header of a PUBLISH of `declared` bytes, then up to `send` bytes of it; says whether the broker hung up. */
async function oversizePublish(port: number, declared: number, send: number, withConnect: boolean): Promise<{ closed: boolean; sent: number }> {
  let socket: Socket;
  if (withConnect) {
    // A logged-in client (MQTT.js did the CONNECT), then raw bytes on its socket.
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'flooder', reconnectPeriod: 0 });
    client.on('error', () => undefined);
    socket = client.stream as Socket;
  } else {
    socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  }
  let closed = false;
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  const topic = Buffer.from('factory/flooder/telemetry');
  socket.write(Buffer.concat([Buffer.from([0x30]), varint(declared), Buffer.from([topic.length >> 8, topic.length & 0xff]), topic]));
  const chunk = Buffer.alloc(256 * 1024, 0x41);
  let sent = 0;
  while (sent < send && !closed) {
    if (!socket.write(chunk)) await new Promise((r) => setTimeout(r, 5));
    sent += chunk.length;
    if (sent % (4 * 1024 * 1024) === 0) await new Promise((r) => setTimeout(r, 20));
  }
  await waitFor('the broker to close the connection', () => closed, 5_000).catch(() => undefined);
  socket.destroy();
  return { closed, sent };
}

describe('embedded broker packet size cap', () => {
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) await stopProcess(c, 'SIGKILL');
  });

  it('closes a client announcing a 100 MB publish before buffering it; a board keeps publishing', async () => {
    const s = await startServe(['--data-dir', tempDir(), '--no-sim']);
    children.push(s.child);
    const board = await startSeqBoard(s.mqttUrl, 'm_ok', { everyMs: 20 });
    const stored = async () => ((await (await fetch(`${s.url}/api/twins`)).json()) as Array<{ id: string; counts: { stored: number } }>).find((t) => t.id === 'm_ok')?.counts.stored ?? 0;
    await waitFor('board stored', async () => (await stored()) >= 10, 20_000);
    const before = rssMb(s.child.pid!);

    const afterConnect = await oversizePublish(s.mqttPort, 100 * 1024 * 1024, 20 * 1024 * 1024, true);
    const withoutConnect = await oversizePublish(s.mqttPort, 100 * 1024 * 1024, 20 * 1024 * 1024, false);
    const after = rssMb(s.child.pid!);
    console.log(`oversize publish: RSS ${before.toFixed(1)} MB before, ${after.toFixed(1)} MB after; sent ${afterConnect.sent} and ${withoutConnect.sent} bytes before the broker hung up`);
    expect(afterConnect.closed).toBe(true);
    expect(withoutConnect.closed).toBe(true);
    expect(after - before).toBeLessThan(10);

    const storedThen = await stored();
    await waitFor('the board still stored', async () => (await stored()) >= storedThen + 10, 10_000);
    await board.stop();
    await board.client.endAsync();
  }, 90_000);
});
