import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEngine, type Harness } from '../support/engineHarness';
import { relayUnit, startTcpSim, vfdUnit, type SimUnit, type TcpSim, tcpDevice } from '../support/modbusSim';
import { tempDir, waitFor } from '../support/tools';
import type { ModbusDeviceConfigInput } from '../../src/shared/modbusContract';

// A drive and a protection relay on modbus-serial's own TCP server, polled into one motor's twin through the
// engine's ingest; the drive's speed is commanded through the command gate and acknowledged by read-back.

describe('Modbus TCP drives and relays', () => {
  let h: Harness;
  let sim: TcpSim;
  const vfd = vfdUnit();
  const relay = relayUnit();
  const spare = vfdUnit();
  const device = (id: string, unit: number, profile: string, more: Partial<ModbusDeviceConfigInput> = {}) => tcpDevice(sim.port, id, unit, profile, more);
  const info = (id: string, unit: number) => h.engine.modbus.list().find((d) => d.id === id && d.unit === unit)!;

  beforeAll(async () => {
    sim = await startTcpSim(new Map<number, SimUnit>([[1, vfd], [2, relay], [3, spare]]));
    h = await startEngine();
    await h.engine.modbus.add(device('drive_01', 1, 'generic-vfd'));
    await h.engine.modbus.add(device('drive_01', 2, 'generic-motor-protection-relay'));
  });
  afterAll(async () => {
    await h?.close();
    await sim?.close();
  });

  it("puts the drive's and the relay's readings on the motor's twin and in the database", async () => {
    const twin = await waitFor('drive and relay readings', () => {
      const t = h.engine.twins.get('drive_01');
      return t?.readings.rpm && t.declared.thermal_capacity ? t : null;
    });
    expect(twin.readings.rpm?.value).toBe(1480);
    expect(twin.readings.current?.value).toBeGreaterThan(0);
    expect(twin.declared).toMatchObject({
      thermal_capacity: { value: 42, unit: '%', label: 'Thermal capacity used' },
      current_l2: { value: 12.4, unit: 'A' },
      current_unbalance: { value: 2, unit: '%' },
      trip_count: { value: 3 },
      last_trip_cause: { value: 1, text: 'thermal overload' },
      output_power: { value: 7.5, unit: 'kW' },
      run_hours: { value: 12345 },
    });
    expect(h.engine.twins.snapshot(twin).declared?.thermal_capacity?.value).toBe(42);
    await h.engine.drain();
    const rows = await h.engine.db.query("SELECT count(*) AS n, max(rpm) AS rpm FROM telemetry WHERE device_id = 'drive_01' AND source = 'modbus' AND rpm IS NOT NULL");
    expect(Number(rows[0].n)).toBeGreaterThan(0);
    expect(Number(rows[0].rpm)).toBe(1480);
    await waitFor('declared readings stored', async () => (await h.engine.modbus.declared.latest('drive_01', 'thermal_capacity'))?.value === 42);
  });

  it('shows a Modbus exception on the device with its meaning and exact address, the reading it cost as null and the others kept', async () => {
    // Current (3001) is read with its neighbours in one request: the refusal still names its own address.
    vfd.refuse.add(3001);
    try {
      const d = await waitFor('the exception', () => (info('drive_01', 1).lastError?.includes('illegal data address 3001') ? info('drive_01', 1) : null));
      expect(d.state).toBe('online');
      expect(d.counts.exceptions).toBeGreaterThan(0);
      expect(d.values.find((v) => v.reading === 'current')).toMatchObject({ value: null, error: 'illegal data address 3001 (exception 2, holding)' });
      expect(d.values.find((v) => v.reading === 'rpm')).toMatchObject({ value: 1480, error: null });
      await waitFor('the twin to hear "no value" for current', () => h.engine.twins.get('drive_01')?.readings.current?.value === null);
      expect(h.engine.twins.get('drive_01')?.readings.rpm?.value).toBe(1480);
    } finally {
      vfd.refuse.clear();
    }
    await waitFor('current back', () => (h.engine.twins.get('drive_01')?.readings.current?.value ?? 0) > 0);
  });

  it('takes a device that stops answering offline, its motor too, and brings both back', async () => {
    await h.engine.modbus.add(device('pump_07', 3, 'generic-vfd'));
    await waitFor('pump_07 online', () => info('pump_07', 3).state === 'online' && h.engine.twins.get('pump_07')?.connection === 'online');
    spare.silent = true;
    try {
      const d = await waitFor('pump_07 offline', () => (info('pump_07', 3).state === 'offline' ? info('pump_07', 3) : null));
      expect(d.lastError).toMatch(/no answer within 300 ms/);
      expect(d.counts.timeouts).toBeGreaterThan(0);
      await waitFor('the twin offline', () => h.engine.twins.get('pump_07')?.connection === 'offline');
      // The motor's other device is not silenced: drive_01 stays online meanwhile.
      expect(info('drive_01', 1).state).toBe('online');
    } finally {
      spare.silent = false;
    }
    await waitFor('pump_07 back', () => info('pump_07', 3).state === 'online' && h.engine.twins.get('pump_07')?.connection === 'online');
  });

  it('writes a speed only after approval, and calls it applied when the drive reads back the value', async () => {
    h.engine.twins.update({ id: 'drive_01', nameplate: { ratedRpm: 2000 } });
    const c = h.engine.commands.propose({ deviceId: 'drive_01', action: 'SET_SPEED', value: 1500, reason: 'match the conveyor', issuer: { kind: 'agent', name: 'assistant' } });
    expect(c.status).toBe('pending_approval');
    await new Promise((r) => setTimeout(r, 400));
    expect(vfd.tables.holding.get(4000)).toBe(1480);
    h.engine.commands.approve(c.id, 'ana', 'ok');
    const done = await waitFor('applied', () => (h.engine.commands.get(c.id)?.status === 'applied' ? h.engine.commands.get(c.id) : null));
    expect(done).toMatchObject({ transport: 'modbus', detail: 'holding 4000 reads back 1500' });
    expect(vfd.tables.holding.get(4000)).toBe(1500);
    const trail = (await h.engine.commands.auditTrail('drive_01', 50)).filter((a) => a.commandId === c.id).map((a) => a.text);
    expect(trail).toEqual(expect.arrayContaining([expect.stringContaining('received (written to holding 4000)'), expect.stringContaining('applied (holding 4000 reads back 1500)')]));
    await waitFor('the speed reading follows', () => h.engine.twins.get('drive_01')?.readings.rpm?.value === 1500);
    expect(h.engine.commands.setpoints('drive_01').values.speed_rpm).toMatchObject({ desired: 1500, reported: 1500 });
  });

  it('calls a write the drive does not hold rejected, with what it holds', async () => {
    vfd.holdAtMost = 1600;
    try {
      const c = h.engine.commands.create({ deviceId: 'drive_01', action: 'SET_SPEED', value: 1700, reason: 'test' }, { kind: 'person', name: 'ana' });
      const done = await waitFor('rejected', () => (h.engine.commands.get(c.id)?.status === 'rejected' ? h.engine.commands.get(c.id) : null));
      expect(done.detail).toBe('wrote 1700 to holding 4000, the device holds 1600');
    } finally {
      vfd.holdAtMost = null;
    }
  });

  it("refuses a speed outside the profile's range on the drive, and one outside the motor's limits at the gate", async () => {
    const c = h.engine.commands.create({ deviceId: 'drive_01', action: 'SET_SPEED', value: 1900, reason: 'test' }, { kind: 'person', name: 'ana' });
    const done = await waitFor('rejected', () => (h.engine.commands.get(c.id)?.status === 'rejected' ? h.engine.commands.get(c.id) : null));
    expect(done.detail).toBe("generic-vfd: 1900 is above the device's maximum 1800 for SET_SPEED");
    expect(vfd.tables.holding.get(4000)).not.toBe(1900);
    expect(() => h.engine.commands.create({ deviceId: 'drive_01', action: 'SET_SPEED', value: 2100, reason: 'test' }, { kind: 'person', name: 'ana' })).toThrow(/SET_SPEED 2100 is outside the allowed 200-2000 rpm/);
  });

  it('stops the motor through the run coil', async () => {
    const c = h.engine.commands.create({ deviceId: 'drive_01', action: 'STOP', reason: 'end of shift' }, { kind: 'person', name: 'ana' });
    await waitFor('applied', () => h.engine.commands.get(c.id)?.status === 'applied');
    expect(vfd.tables.coil.get(1)).toBe(0);
  });

  it('test-reads a device before it is added: raw words and scaled values per register', async () => {
    const r = await h.engine.modbus.testRead(device('probe', 2, 'generic-motor-protection-relay'));
    expect(r.values.find((v) => v.reading === 'trip_count')).toMatchObject({ raw: [0, 3], value: 3, error: null });
    expect(r.values.find((v) => v.reading === 'current_l1')).toMatchObject({ raw: [121], value: 12.1, unit: 'A' });
    expect(h.engine.twins.get('probe')).toBeUndefined();
    const absent = await h.engine.modbus.testRead(device('probe', 9, 'generic-vfd'));
    expect(absent.values.find((v) => v.reading === 'rpm')).toMatchObject({ value: null, error: 'gateway target device failed to respond (exception 11, holding 3000)' });
  });

  it('refuses bad profiles and device settings with the path of the bad field', async () => {
    const file = join(tempDir(), 'bad.json');
    writeFileSync(file, JSON.stringify({ name: 'bad', registers: [{ reading: 'rpm', table: 'holding', address: 10, type: 'uint32' }, { reading: 'current', table: 'holding', address: 11 }] }));
    await expect(h.engine.modbus.add(device('bad_01', 1, file))).rejects.toThrow('profile bad.json: registers.1.address: holding 11-11 overlaps registers.0 (rpm at 10-11)');
    writeFileSync(file, JSON.stringify({ name: 'bad', registers: [{ reading: 'rpm', table: 'holding', address: 10, type: 'double' }] }));
    await expect(h.engine.modbus.add(device('bad_01', 1, file))).rejects.toThrow('registers.0.type: must be one of uint16');
    await expect(h.engine.modbus.add(device('bad_01', 300, 'generic-vfd'))).rejects.toThrow('unit: unit must be 0-255');
    await expect(h.engine.modbus.add(device('drive_01', 1, 'generic-vfd'))).rejects.toThrow('drive_01 unit 1 on tcp://127.0.0.1');
    expect(h.engine.twins.get('bad_01')).toBeUndefined();
  });
});
