import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type Harness } from '../support/engineHarness';
import { relayUnit, vfdUnit, type SimUnit } from '../support/modbusSim';
import { RtuLineSim, type RtuFault } from '../support/modbusRtuSim';
import { createPtyPair, type PtyPair } from '../../src/main/sim/socatPair';
import { waitFor } from '../support/tools';
import type { ModbusDeviceConfigInput } from '../../src/shared/modbusContract';

// Three units on one RS-485 line (a socat pseudo-terminal pair): two drives and a relay. One unit answers
// badly in every way a line can; its faults are counted on it while the others go on being polled.

describe('Modbus RTU: several units on one line', () => {
  let h: Harness;
  let pty: PtyPair;
  let line: RtuLineSim;
  const units = new Map<number, SimUnit>([
    [1, vfdUnit()],
    [2, relayUnit()],
    [3, vfdUnit()],
  ]);
  const device = (id: string, unit: number, profile: string): ModbusDeviceConfigInput => ({
    id,
    endpoint: { kind: 'rtu', path: pty.hostPath, baud: 19200, parity: 'even' },
    unit,
    profile,
    intervalMs: 150,
    timeoutMs: 250,
    retries: 1,
  });
  const info = (unit: number) => h.engine.modbus.list().find((d) => d.unit === unit)!;

  beforeAll(async () => {
    pty = await createPtyPair();
    line = await RtuLineSim.open(pty.devicePath, 19200, units);
    h = await startEngine();
    await h.engine.modbus.add(device('line_a', 1, 'generic-vfd'));
    await h.engine.modbus.add(device('line_b', 2, 'generic-motor-protection-relay'));
    await h.engine.modbus.add(device('line_c', 3, 'generic-vfd'));
  });
  afterAll(async () => {
    await h?.close();
    await line?.close();
    await pty?.unplug();
  });

  it('polls every unit on the shared port without a single collision', async () => {
    await waitFor('all three twins', () => h.engine.twins.get('line_a')?.readings.rpm && h.engine.twins.get('line_b')?.declared.thermal_capacity && h.engine.twins.get('line_c')?.readings.rpm);
    const polls = line.requests;
    await new Promise((r) => setTimeout(r, 1500));
    expect(line.requests - polls).toBeGreaterThan(15);
    for (const unit of [1, 2, 3]) {
      const d = info(unit);
      expect(d.state).toBe('online');
      expect(d.counts).toMatchObject({ failedPolls: 0, timeouts: 0, crcErrors: 0, wrongUnit: 0, shortFrames: 0, garbage: 0 });
    }
    expect(h.engine.twins.get('line_b')?.declared.last_trip_cause?.text).toBe('thermal overload');
  });

  it('settings that disagree with the open line are refused', async () => {
    await expect(h.engine.modbus.add({ ...device('line_d', 4, 'generic-vfd'), endpoint: { kind: 'rtu', path: pty.hostPath, baud: 9600 } })).rejects.toThrow(`rtu:${pty.hostPath} is already open as rtu:${pty.hostPath} 19200 8E1`);
  });

  const faults: Array<[RtuFault, 'wrongUnit' | 'crcErrors' | 'shortFrames' | 'garbage']> = [
    ['wrongUnit', 'wrongUnit'],
    ['badCrc', 'crcErrors'],
    ['short', 'shortFrames'],
    ['garbage', 'garbage'],
  ];
  for (const [fault, counter] of faults) {
    it(`counts ${counter} on the unit that answers so, and keeps polling the others`, async () => {
      const before = { 1: info(1).lastPollAt!, 2: info(2).lastPollAt! };
      line.faults.set(3, fault);
      try {
        await waitFor(`${counter} counted on unit 3`, () => info(3).counts[counter] >= 2);
        await waitFor('unit 3 offline: none of its answers is usable', () => info(3).state === 'offline');
        await waitFor('units 1 and 2 polled since', () => info(1).lastPollAt! > before[1] + 300 && info(2).lastPollAt! > before[2] + 300);
        for (const unit of [1, 2]) expect(info(unit)).toMatchObject({ state: 'online', counts: { crcErrors: 0, wrongUnit: 0, shortFrames: 0, garbage: 0 } });
      } finally {
        line.faults.delete(3);
      }
      await waitFor('unit 3 back', () => info(3).state === 'online');
    });
  }
});
