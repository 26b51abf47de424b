import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { modbusDeviceConfigSchema, type ModbusDeviceConfigInput } from '../../shared/modbusContract';
import { describeIssues } from './profile';

/** Where the Modbus devices added from the UI are remembered, in the data folder beside the history. */
export const savedModbusDevicesFile = (dataDir: string) => join(dataDir, 'modbus-devices.json');

const fileSchema = z.object({ version: z.literal(1), devices: z.array(z.unknown()) });

export interface SavedDevicesLoad {
  devices: ModbusDeviceConfigInput[];
  /** Entries that could not be used, each with the reason (a hand-edited file, a newer version's fields). */
  problems: string[];
}

/**
 * The Modbus devices a person added in the UI, so a restart polls them again. Devices given on the command
 * line (`--modbus`) are not written here: they come back with the command line. The file is plain JSON a
 * person may read; it is replaced atomically so a crash mid-write leaves the previous list.
 */
export class SavedModbusDevices {
  constructor(readonly file: string) {}

  load(): SavedDevicesLoad {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { devices: [], problems: [] };
      return { devices: [], problems: [`${this.file} cannot be read: ${(e as Error).message}`] };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      return { devices: [], problems: [`${this.file} is not JSON (${(e as Error).message}); no saved Modbus device was started`] };
    }
    const file = fileSchema.safeParse(json);
    if (!file.success) {
      const why = file.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
      return { devices: [], problems: [`${this.file}: ${why}; no saved Modbus device was started`] };
    }
    const devices: ModbusDeviceConfigInput[] = [];
    const problems: string[] = [];
    file.data.devices.forEach((entry, i) => {
      const parsed = modbusDeviceConfigSchema.safeParse(entry);
      // One bad entry costs that device, not the others.
      if (parsed.success) devices.push(entry as ModbusDeviceConfigInput);
      else problems.push(`${this.file} devices[${i}]: ${describeIssues(parsed.error)}`);
    });
    return { devices, problems };
  }

  save(devices: readonly ModbusDeviceConfigInput[]): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ version: 1, devices }, null, 2)}\n`);
    renameSync(tmp, this.file);
  }
}
