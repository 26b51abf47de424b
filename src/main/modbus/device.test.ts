import { afterEach, describe, expect, it } from 'vitest';
import { modbusDeviceConfigSchema } from '../../shared/modbusContract';
import { SimUnit, startTcpSim, type TcpSim } from '../../../tests/support/modbusSim';
import { ModbusDevice } from './device';
import { ModbusLine } from './line';
import { parseProfile } from './profile';

// A drive's registers with one unused address (12) between them, and one input register.
const PROFILE = parseProfile(
  JSON.stringify({
    name: 'gappy-drive',
    registers: [
      { reading: 'current', table: 'holding', address: 10, scale: 0.1 },
      { reading: 'rpm', table: 'holding', address: 11 },
      { reading: 'temperature', table: 'holding', address: 13, scale: 0.1 },
      { reading: 'output_power', table: 'holding', address: 14, type: 'float32', unit: 'kW' },
      { reading: 'thermal_capacity', table: 'input', address: 0, unit: '%' },
    ],
  }),
  'test',
);

describe('a poll of a drive over Modbus TCP (modbus-serial server on loopback)', () => {
  let sim: TcpSim | null = null;
  let line: ModbusLine | null = null;
  afterEach(async () => {
    await line?.close();
    await sim?.close();
  });

  const drive = async (unit: SimUnit) => {
    sim = await startTcpSim(new Map([[1, unit]]));
    line = new ModbusLine({ kind: 'tcp', host: '127.0.0.1', port: sim.port });
    const config = modbusDeviceConfigSchema.parse({ id: 'm1', endpoint: { kind: 'tcp', host: '127.0.0.1', port: sim.port }, unit: 1, profile: 'gappy-drive', timeoutMs: 500, retries: 0 });
    return new ModbusDevice(config, PROFILE, line, { readings: () => undefined, state: () => undefined });
  };
  const float = [0x40f0, 0x0000]; // 7.5 as a big-endian float32
  const byReading = (values: Awaited<ReturnType<ModbusDevice['pollOnce']>>) => Object.fromEntries(values.map((v) => [v.reading, v.error ?? v.value]));

  it('reads registers a small gap apart in one request per table', async () => {
    const d = await drive(new SimUnit().set('holding', 10, 123, 1480, 0, 452, ...float).set('input', 0, 42));
    expect(d.plan()).toEqual([
      { table: 'holding', from: 10, count: 6 },
      { table: 'input', from: 0, count: 1 },
    ]);
    expect(byReading(await d.pollOnce())).toEqual({ current: 12.3, rpm: 1480, temperature: 45.2, output_power: 7.5, thermal_capacity: 42 });
  });

  it('names the exact register a device refuses inside a coalesced read, keeps the others, and stops asking for the block', async () => {
    const unit = new SimUnit().set('holding', 10, 123, 1480, 0, 452, ...float).set('input', 0, 42);
    unit.refuse.add(13);
    const d = await drive(unit);
    const values = await d.pollOnce();
    expect(byReading(values)).toEqual({ current: 12.3, rpm: 1480, temperature: 'illegal data address 13 (exception 2, holding)', output_power: 7.5, thermal_capacity: 42 });
    expect(d.lastError).toBe('illegal data address 13 (exception 2, holding)');
    // The registers it answered are read in runs of adjacent ones, the refused one alone: no refused block again.
    expect(d.plan()).toEqual([
      { table: 'holding', from: 10, count: 2 },
      { table: 'holding', from: 14, count: 2 },
      { table: 'holding', from: 13, count: 1 },
      { table: 'input', from: 0, count: 1 },
    ]);
    const exceptions = d.countsNow().exceptions;
    expect(byReading(await d.pollOnce()).temperature).toBe('illegal data address 13 (exception 2, holding)');
    expect(d.countsNow().exceptions).toBe(exceptions + 1);
    // Once the drive has the register again, its value comes back.
    unit.refuse.clear();
    expect(byReading(await d.pollOnce()).temperature).toBe(45.2);
  });

  it('reads around an unused address the device refuses, with every register keeping its value', async () => {
    const unit = new SimUnit().set('holding', 10, 123, 1480).set('holding', 13, 452, ...float).set('input', 0, 42);
    const d = await drive(unit);
    expect(byReading(await d.pollOnce())).toEqual({ current: 12.3, rpm: 1480, temperature: 45.2, output_power: 7.5, thermal_capacity: 42 });
    expect(d.plan()).toEqual([
      { table: 'holding', from: 10, count: 2 },
      { table: 'holding', from: 13, count: 3 },
      { table: 'input', from: 0, count: 1 },
    ]);
    expect(byReading(await d.pollOnce()).output_power).toBe(7.5);
    expect(d.lastError).toBeNull();
  });
});
