import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualSerialBoard } from '../../src/main/sim/virtualSerialBoard';
import { startEngine, type Harness } from '../support/engineHarness';
import { requireTool, tempDir, waitFor } from '../support/tools';

// A virtual ESP32 board on a real socat pseudo-terminal pair, opened by the engine as a USB port would be.

describe('serial boards over socat', () => {
  let h: Harness;
  const ptyDir = tempDir('motortwin-pty-');
  const board = new VirtualSerialBoard({ id: 'bench_01', rateHz: 20, garbageEvery: 10 });

  beforeAll(async () => {
    requireTool('socat', 'socat');
    h = await startEngine();
    await board.plugIn(ptyDir);
    await h.engine.devices.serial.open(board.hostPath, 115200);
    // Its first boot went out before the port was open, as on a real bench: press EN.
    board.reset();
  });
  afterAll(async () => {
    await board.unplug();
    await h?.close();
  });

  it('becomes a twin like any other, with boot text and garbage kept to the console', async () => {
    const twin = await waitFor('the board as a twin', () => {
      const t = h.engine.twins.get('bench_01');
      return t && t.readings.temperature && t.device.fw === '1.0.0' ? t : null;
    });
    expect(twin.source).toBe('serial');
    expect(twin.connection).toBe('online');
    const port = await waitFor('garbage counted', () => h.engine.devices.serial.list().find((p) => p.path === board.hostPath && p.garbageLines > 0));
    expect(port.deviceId).toBe('bench_01');
    expect(port.state).toBe('open');
    // A board prints its banner at reset (before the port was open, it went nowhere).
    board.reset();
    const console = h.engine.devices.serial.board(board.hostPath)!.console;
    await waitFor('boot banner in the console', () => console.since(-1, 5000).some((l) => l.kind === 'text' && l.text.startsWith('ets Jun')));
    const lines = console.since(-1, 5000);
    expect(lines.some((l) => l.kind === 'garbage' && l.hex)).toBe(true);
    await h.engine.drain();
    const rows = await h.engine.db.query("SELECT count(*)::INTEGER AS n FROM telemetry WHERE device_id = 'bench_01' AND source = 'serial'");
    expect(Number(rows[0].n)).toBeGreaterThan(0);
  });

  it('shows an unplugged board as disconnected and reconnects when it comes back', async () => {
    await board.unplug();
    expect(existsSync(board.hostPath)).toBe(false);
    await waitFor('twin offline', () => h.engine.twins.get('bench_01')?.connection === 'offline');
    await waitFor('port reconnecting', () => h.engine.devices.serial.list().find((p) => p.path === board.hostPath)?.state === 'reconnecting');
    const before = h.engine.twins.get('bench_01')!.counts.received;
    await board.plugIn(ptyDir);
    await waitFor('port open again', () => h.engine.devices.serial.list().find((p) => p.path === board.hostPath)?.state === 'open', 10_000);
    await waitFor('telemetry flowing again', () => h.engine.twins.get('bench_01')!.counts.received > before + 5 && h.engine.twins.get('bench_01')!.connection === 'online');
  });

  it('sends a command and gets its acknowledgement; a console line goes out as typed', async () => {
    const b = h.engine.devices.serial.board(board.hostPath)!;
    const ack = await b.command({ action: 'IDENTIFY' });
    expect(ack.status).toBe('applied');
    b.writeLine('hello board');
    await waitFor('the board saw the line', () => board.commands.length > 0 && b.console.since(-1, 5000).some((l) => l.dir === 'rx' && l.text.includes('not a command: hello board')));
  });

  it('runs the three calibrations and records certificates in the database', async () => {
    const cal = h.engine.devices.calibration;
    const before = await cal.measure('bench_01', 'temperature', 1);
    const reference = { name: 'Fluke 54 II thermometer', certificateNo: 'DAkkS-2026-0412' };
    const temp = await cal.run({ sensor: 'temperature', deviceId: 'bench_01', technician: 'A. Tester', reference, points: [{ reference: before.mean[0] - 1.5, measured: before.mean[0] }], seconds: 1 });
    expect(temp.values.offset).toBeCloseTo(-1.5, 1);
    expect(temp.calibrationId).toMatch(/^c-/);
    expect(temp.after.mean[0]).toBeLessThan(temp.before.mean[0]);

    const accel = await cal.run({ sensor: 'accel', deviceId: 'bench_01', technician: 'A. Tester', reference: { name: 'level table', certificateNo: 'LT-7' }, verticalAxis: 'z', seconds: 2 });
    const zero = accel.values.zero as number[];
    expect(zero[0]).toBeCloseTo(0.021, 2);
    expect(zero[2]).toBeCloseTo(0.008, 2);
    expect(Math.abs(accel.after.mean[0])).toBeLessThan(0.005);

    const rpmBefore = await cal.measure('bench_01', 'rpm', 1);
    const rpm = await cal.run({ sensor: 'rpm', deviceId: 'bench_01', technician: 'A. Tester', reference: { name: 'Testo 470 tachometer', certificateNo: 'T-99' }, referenceRpm: rpmBefore.mean[0] / 2, seconds: 1 });
    expect(rpm.values.pulses_per_rev).toBe(2);
    expect(rpm.after.mean[0]).toBeCloseTo(rpmBefore.mean[0] / 2, -1);

    const certs = await cal.list('bench_01');
    expect(certs.map((c) => c.sensor).sort()).toEqual(['accel', 'rpm', 'temperature']);
    const exported = await cal.exportHtml(temp.id);
    const html = readFileSync(exported.file, 'utf8');
    expect(html).toContain('DAkkS-2026-0412');
    expect(html).toContain('@media print');
  });

  it('refuses an out-of-range calibration without sending anything', async () => {
    const sent = board.commands.length;
    await expect(
      h.engine.devices.calibration.run({ sensor: 'temperature', deviceId: 'bench_01', technician: 'A', reference: { name: 'x', certificateNo: 'y' }, points: [{ reference: 200, measured: 40 }], seconds: 0.5 }),
    ).rejects.toThrow(/beyond ±20/);
    expect(board.commands.length).toBe(sent);
  });
});
