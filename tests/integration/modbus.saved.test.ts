import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { startEngine, type Harness } from '../support/engineHarness';
import { startTcpSim, vfdUnit, relayUnit, type SimUnit, type TcpSim, tcpDevice } from '../support/modbusSim';
import { tempDir, waitFor } from '../support/tools';
import type { ModbusDeviceConfigInput } from '../../src/shared/modbusContract';
import { savedModbusDevicesFile } from '../../src/main/modbus/savedDevices';

// A drive added from the UI is polled again after a restart; one from the command line comes back with the
// command line, not from the saved file; a removed one stays removed; a damaged entry costs only itself.

describe('Modbus devices added in the UI survive a restart', () => {
  let sim: TcpSim;
  let h: Harness | undefined;
  const dataDir = tempDir();
  const device = (id: string, unit: number, profile: string) => tcpDevice(sim.port, id, unit, profile);
  const polled = (x: Harness) => x.engine.modbus.list().map((d) => `${d.id}/${d.unit}`).sort();

  beforeAll(async () => {
    sim = await startTcpSim(new Map<number, SimUnit>([[1, vfdUnit()], [2, relayUnit()], [3, vfdUnit()]]));
  });
  afterAll(async () => {
    await h?.close();
    await sim?.close();
  });

  it('polls the added drive again after a restart, and forgets the removed one', async () => {
    h = await startEngine({ dataDir, modbus: [device('cli_drive', 3, 'generic-vfd')] });
    await h.engine.modbus.add(device('drive_01', 1, 'generic-vfd'));
    const relay = await h.engine.modbus.add(device('relay_01', 2, 'generic-motor-protection-relay'));
    await h.engine.modbus.remove(relay.key);
    const saved = JSON.parse(readFileSync(savedModbusDevicesFile(dataDir), 'utf8'));
    expect(saved.devices.map((d: ModbusDeviceConfigInput) => d.id)).toEqual(['drive_01']);
    await h.close();

    h = await startEngine({ dataDir });
    expect(polled(h)).toEqual(['drive_01/1']);
    const twin = await waitFor('the saved drive to be read after the restart', () => h!.engine.twins.get('drive_01')?.readings.rpm);
    expect(twin.value).toBe(1480);
    await h.close();
    h = undefined;
  });

  it('starts the good entries of a damaged file and says what was wrong with the others', async () => {
    const file = savedModbusDevicesFile(dataDir);
    const good = device('drive_01', 1, 'generic-vfd');
    writeFileSync(file, JSON.stringify({ version: 1, devices: [{ ...good, unit: 999 }, good, { id: 'x' }] }));
    h = await startEngine({ dataDir });
    expect(polled(h)).toEqual(['drive_01/1']);
    const why = h.engine.modbus.notRestored.join('\n');
    expect(why).toMatch(/devices\[0\]: unit: unit must be 0-255/);
    expect(why).toMatch(/devices\[2\]: endpoint/);
  });
});
