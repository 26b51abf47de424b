import { EventEmitter } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { IngestPipeline } from '../ingest/pipeline';
import { TwinRegistry } from '../twin/twinRegistry';
import type { TelemetryWriter } from '../store/telemetryWriter';
import type { RejectedLog } from '../store/rejectedLog';
import type { PortLink } from './serialBoard';
import { SerialManager, type ListedPort } from './serialManager';
import { createLog } from '../platform/log';

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

describe('SerialManager when idle', () => {
  const logged: string[] = [];
  const manager = (folder: string, lister: () => Promise<ListedPort[]>) => {
    const twins = new TwinRegistry();
    const pipeline = new IngestPipeline(twins, { enqueue: vi.fn() } as unknown as TelemetryWriter, { add: vi.fn() } as unknown as RejectedLog);
    const log = createLog({ to: { write: (l: string) => logged.push(l) } }).child({ part: 'serial' });
    return new SerialManager(pipeline, twins, { lister, deviceFolder: folder, watchMs: 100, pollMs: 100, log });
  };

  it('lists ports when the device folder changes, never on a clock', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'motortwin-dev-'));
    let listings = 0;
    const m = manager(folder, async () => {
      listings++;
      return [];
    });
    m.start();
    try {
      await new Promise((r) => setTimeout(r, 1200));
      expect(listings).toBe(1);
      writeFileSync(join(folder, 'ttyUSB0'), '');
      await vi.waitFor(() => expect(listings).toBe(2), { timeout: 3000 });
      // A burst of node and link creations is one listing.
      for (const n of ['ttyUSB1', 'ttyACM0', 'ttyACM1']) writeFileSync(join(folder, n), '');
      await new Promise((r) => setTimeout(r, 800));
      expect(listings).toBe(3);
    } finally {
      await m.closeAll();
    }
  });

  it('answers serial.ports from the last listing, listing again only after the device folder changed', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'motortwin-dev-'));
    const ports: ListedPort[] = [{ path: '/dev/ttyUSB0', vendorId: '10c4', productId: 'ea60' }];
    let listings = 0;
    let gate: Promise<void> = Promise.resolve();
    const m = manager(folder, async () => {
      listings++;
      await gate;
      return [...ports];
    });
    m.start();
    try {
      expect((await m.ports()).map((p) => p.path)).toEqual(['/dev/ttyUSB0']);
      for (let i = 0; i < 5; i++) expect((await m.ports()).map((p) => p.path)).toEqual(['/dev/ttyUSB0']);
      expect(listings).toBe(1);
      // A board plugged in: an answer asked while the listing the change set off runs waits for it.
      let open!: () => void;
      gate = new Promise((r) => (open = r));
      ports.push({ path: '/dev/ttyACM0', vendorId: '303a', productId: '1001' });
      writeFileSync(join(folder, 'ttyACM0'), '');
      await vi.waitFor(() => expect(listings).toBe(2), { timeout: 3000 });
      const answer = m.ports();
      open();
      expect((await answer).map((p) => p.path)).toEqual(['/dev/ttyACM0', '/dev/ttyUSB0']);
      expect((await m.ports()).map((p) => p.path)).toEqual(['/dev/ttyACM0', '/dev/ttyUSB0']);
      expect(listings).toBe(2);
    } finally {
      await m.closeAll();
    }
  });

  it('falls back to listing on a clock where there is no folder to watch', async () => {
    let listings = 0;
    const m = manager(join(tmpdir(), 'motortwin-no-such-folder-9f3a'), async () => {
      listings++;
      return [];
    });
    m.start();
    try {
      await vi.waitFor(() => expect(listings).toBeGreaterThanOrEqual(3), { timeout: 3000 });
      expect(logged.join('')).toMatch(/WARN +\[serial\] cannot watch .* listing them every 0.1 s instead/);
    } finally {
      await m.closeAll();
    }
  });
});
