import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { IngestPipeline } from '../ingest/pipeline';
import { TwinRegistry } from '../twin/twinRegistry';
import type { TelemetryWriter } from '../store/telemetryWriter';
import type { RejectedLog } from '../store/rejectedLog';
import type { PortLink } from './serialBoard';
import { SerialManager, type ListedPort } from './serialManager';

class FakePort extends EventEmitter {
  isOpen = true;
  write = () => true;
  close(cb?: () => void) {
    this.isOpen = false;
    cb?.();
  }
}

describe('SerialManager', () => {
  it('notices boards plugged in and out, recognises the bridge, and reopens a board by serial number under a new path', async () => {
    let listed: ListedPort[] = [];
    const ports: FakePort[] = [];
    const twins = new TwinRegistry();
    const pipeline = new IngestPipeline(twins, { enqueue: vi.fn() } as unknown as TelemetryWriter, { add: vi.fn() } as unknown as RejectedLog);
    const m = new SerialManager(pipeline, twins, {
      lister: async () => listed,
      opener: async () => {
        const p = new FakePort();
        ports.push(p);
        return p as unknown as PortLink;
      },
    });
    const events: string[][] = [];
    m.on('ports', (l) => events.push(l.map((p) => `${p.path}:${p.state}`)));
    await m.poll();
    listed = [{ path: '/dev/ttyUSB0', vendorId: '10c4', productId: 'ea60', serialNumber: 'A1', manufacturer: 'Silicon Labs' }];
    await m.poll();
    expect(m.list()[0]).toMatchObject({ bridge: expect.stringMatching(/CP210x/), present: true, state: 'closed' });
    await m.open('/dev/ttyUSB0', 115200);
    // Unplugged: the port vanishes from the list and closes under us.
    listed = [];
    ports[0].isOpen = false;
    ports[0].emit('close', Object.assign(new Error('gone'), { disconnected: true }));
    await m.poll();
    expect(m.list()[0]).toMatchObject({ path: '/dev/ttyUSB0', present: false, state: 'reconnecting' });
    // Replugged on another path: same serial number.
    listed = [{ path: '/dev/ttyUSB1', vendorId: '10c4', productId: 'ea60', serialNumber: 'A1' }];
    await m.poll();
    expect(m.board('/dev/ttyUSB1')?.state).toBe('open');
    expect(m.board('/dev/ttyUSB0')).toBeUndefined();
    expect(events.flat()).toContain('/dev/ttyUSB1:open');
    await m.closeAll();
  });

  it('takes a port whose device node vanished without a hangup for unplugged', async () => {
    const path = '/dev/motortwin-test-ttyUSB9';
    let listed: ListedPort[] = [{ path, vendorId: '10c4', productId: 'ea60', serialNumber: 'B2' }];
    const twins = new TwinRegistry();
    const pipeline = new IngestPipeline(twins, { enqueue: vi.fn() } as unknown as TelemetryWriter, { add: vi.fn() } as unknown as RejectedLog);
    const port = new FakePort();
    const m = new SerialManager(pipeline, twins, { lister: async () => listed, opener: async () => port as unknown as PortLink });
    await m.poll();
    await m.open(path, 115200);
    listed = [];
    await m.poll();
    expect(m.board(path)?.state).toBe('reconnecting');
    expect(port.isOpen).toBe(false);
    await m.closeAll();
  });
});
