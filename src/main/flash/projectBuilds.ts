import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../platform/paths';

export interface FirmwareBuild {
  env: string;
  file: string;
  bytes: number;
  builtAt: number;
}

/**
 * The project's own firmware builds (`pio run` in firmware/ writes .pio/build/<env>/firmware.bin), so a
 * developer flashes what they just built without looking for the file. The application image goes at 0x10000.
 */
export function projectFirmwareBuilds(root = packageRoot()): FirmwareBuild[] {
  const dir = join(root, 'firmware', '.pio', 'build');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((env) => {
    const file = join(dir, env, 'firmware.bin');
    if (!existsSync(file)) return [];
    const s = statSync(file);
    return [{ env, file, bytes: s.size, builtAt: s.mtimeMs }];
  });
}
