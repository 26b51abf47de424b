import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { VirtualSerialBoard } from '../../src/main/sim/virtualSerialBoard';
import { startEngine, type Harness } from '../support/engineHarness';
import { requireTool, tempDir, waitFor } from '../support/tools';

// A board on its own supply streams over USB; the cable is yanked (socat killed mid-stream) and put
// back. The firmware never stopped, so the readings sent meanwhile are gone: the engine must reopen the
// port by itself and count exactly that gap, where the user and the API can see it.
describe('fault: a serial board is unplugged mid-stream and replugged', () => {
  let h: Harness;
  const board = new VirtualSerialBoard({ id: 'usb_gap', rateHz: 50, waveformHz: 0, selfPowered: true });
  afterAll(async () => {
    await board.unplug();
    await h?.close();
  });

  it('reconnects and counts the seq gap in the twin and in /api/health', async () => {
    requireTool('socat', 'socat');
    h = await startEngine({ http: true });
    const ptyDir = tempDir('motortwin-pty-');
    const path = await board.plugIn(ptyDir);
    await h.engine.devices.serial.open(path, 115200);
    const twin = () => h.engine.twins.get('usb_gap');
    await waitFor('telemetry over USB', () => (twin()?.counts.received ?? 0) >= 20);
    expect(twin()!.counts.missed).toBe(0);

    await board.pullCable();
    expect(existsSync(path)).toBe(false);
    await waitFor('port reconnecting', () => h.engine.devices.serial.list().find((p) => p.path === path)?.state === 'reconnecting');
    await waitFor('twin offline', () => twin()?.connection === 'offline', 20_000);
    const receivedWhileAway = twin()!.counts.received;
    // The firmware kept running: wait until it has sent a good number of lines into nothing.
    const sentAtPull = board.sent;
    await waitFor('the board kept sending', () => board.sent >= sentAtPull + 25);

    await board.plugIn(ptyDir);
    await waitFor('port open again', () => h.engine.devices.serial.list().find((p) => p.path === path)?.state === 'open', 20_000);
    await waitFor('telemetry flowing again', () => twin()!.counts.received >= receivedWhileAway + 20 && twin()!.connection === 'online', 20_000);

    // The gap the engine counted is exactly the seqs missing from the history.
    await h.engine.drain();
    const [span] = await h.engine.db.query("SELECT min(seq) AS lo, max(seq) AS hi, count(DISTINCT seq) AS n FROM telemetry WHERE device_id = 'usb_gap'");
    const holes = Number(span.hi) - Number(span.lo) + 1 - Number(span.n);
    expect(holes).toBeGreaterThanOrEqual(25);
    expect(twin()!.counts.missed).toBe(holes);
    const health = (await (await fetch(`${h.server!.url}/api/health`)).json()) as { ingest: { missed: number } };
    expect(health.ingest.missed).toBe(holes);
    const twins = (await (await fetch(`${h.server!.url}/api/twins`)).json()) as Array<{ id: string; counts: { missed: number } }>;
    expect(twins.find((t) => t.id === 'usb_gap')?.counts.missed).toBe(holes);
  }, 90_000);
});
