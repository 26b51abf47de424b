import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { IngestPipeline } from '../ingest/pipeline';
import { TwinRegistry } from '../twin/twinRegistry';
import type { TelemetryWriter } from '../store/telemetryWriter';
import type { RejectedLog } from '../store/rejectedLog';
import { SerialBoard, type PortLink } from './serialBoard';

class FakePort extends EventEmitter {
  isOpen = true;
  written: string[] = [];
  write(data: string | Buffer): boolean {
    this.written.push(String(data));
    return true;
  }
  close(cb?: () => void): void {
    this.isOpen = false;
    cb?.();
  }
  feed(text: string | Buffer) {
    this.emit('data', Buffer.isBuffer(text) ? text : Buffer.from(text));
  }
}

function setup() {
  const twins = new TwinRegistry();
  const writer = { enqueue: vi.fn() } as unknown as TelemetryWriter;
  const rejects = { add: vi.fn((r) => ({ ...r, payload: String(r.payload) })) } as unknown as RejectedLog;
  const pipeline = new IngestPipeline(twins, writer, rejects);
  const port = new FakePort();
  const board = new SerialBoard('/dev/ttyFAKE', 115200, pipeline, twins, async () => port as unknown as PortLink);
  return { twins, pipeline, port, board, writer };
}

describe('SerialBoard', () => {
  it('turns NDJSON lines into a twin and shows boot text in the console only', async () => {
    const { twins, port, board, writer } = setup();
    await board.open();
    port.feed('ets Jun  8 2016 00:22:57\r\n{"type":"status","device_id":"bench_1","state":"online","fw":"1.2.0"}\n{"type":"telemetry","device_id":"bench_1","temperature":40.5,"seq":1}\n');
    expect(board.deviceId).toBe('bench_1');
    expect(twins.get('bench_1')?.source).toBe('serial');
    expect(twins.get('bench_1')?.device.fw).toBe('1.2.0');
    expect(writer.enqueue).toHaveBeenCalledTimes(1);
    expect(board.console.since(-1, 10).map((l) => l.kind)).toEqual([undefined, 'text', 'json', 'json']);
  });
  it('counts garbled lines and hints at the baud rate; bad JSON is rejected with a reason', async () => {
    const { pipeline, port, board } = setup();
    await board.open();
    for (let i = 0; i < 6; i++) port.feed(Buffer.from([0xff, 0xfe, 0x80, 0x0a]));
    port.feed('{"type":"telemetry","device_id":"b","temperature":"hot"}\n');
    expect(board.garbageLines).toBe(6);
    expect(board.hint).toMatch(/baud rate/);
    expect(board.rejectedLines).toBe(1);
    expect(pipeline.counters.rejected).toBe(1);
    expect(board.console.since(-1, 20).find((l) => l.kind === 'garbage')?.hex).toBe('fffe80');
  });
  it('sends a command and resolves on its acknowledgement; refuses an invalid one', async () => {
    const { port, board } = setup();
    await board.open();
    const ack = board.command({ action: 'IDENTIFY' });
    const sent = JSON.parse(port.written[0]);
    expect(sent).toMatchObject({ type: 'command', action: 'IDENTIFY' });
    port.feed(`{"type":"ack","id":"${sent.id}","status":"received"}\n{"type":"ack","id":"${sent.id}","status":"applied","detail":"blinking"}\n`);
    await expect(ack).resolves.toMatchObject({ status: 'applied', detail: 'blinking' });
    await expect(board.command({ action: 'REDUCE_LOAD', value: 99 })).rejects.toThrow(/out of range/);
  });
  it('marks its twin offline when the port disappears', async () => {
    const { twins, port, board } = setup();
    await board.open();
    port.feed('{"type":"telemetry","device_id":"bench_2","temperature":40}\n');
    port.isOpen = false;
    port.emit('close', Object.assign(new Error('disconnected'), { disconnected: true }));
    expect(board.state).toBe('reconnecting');
    expect(twins.get('bench_2')?.connection).toBe('offline');
  });
  it('explains a port that cannot be opened', async () => {
    const { pipeline, twins } = setup();
    const b = new SerialBoard('/dev/ttyUSB9', 115200, pipeline, twins, async () => {
      throw new Error('Error: Permission denied, cannot open /dev/ttyUSB9');
    });
    await expect(b.open()).rejects.toThrow(/dialout/);
    expect(b.state).toBe('error');
  });
});
