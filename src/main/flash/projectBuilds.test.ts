import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectFirmwareBuilds } from './projectBuilds';

describe('projectFirmwareBuilds', () => {
  it('lists each PlatformIO environment that has a firmware.bin, and nothing when none was built', () => {
    const root = mkdtempSync(join(tmpdir(), 'builds-'));
    expect(projectFirmwareBuilds(root)).toEqual([]);
    mkdirSync(join(root, 'firmware/.pio/build/esp32dev'), { recursive: true });
    mkdirSync(join(root, 'firmware/.pio/build/esp32-s3'), { recursive: true });
    writeFileSync(join(root, 'firmware/.pio/build/esp32dev/firmware.bin'), Buffer.alloc(1234, 0xe9));
    const builds = projectFirmwareBuilds(root);
    expect(builds).toEqual([expect.objectContaining({ env: 'esp32dev', bytes: 1234 })]);
  });
});
