import { describe, expect, it } from 'vitest';
import { buildTestImage, inspectImage } from './image';

describe('inspectImage', () => {
  it('reads chip and version from an app image', () => {
    expect(inspectImage(buildTestImage(4096, '2.1.0'), 0x10000)).toEqual({ chip: 'ESP32', chipId: 0, version: '2.1.0', merged: false });
  });
  it('finds the bootloader and app inside a merged image written at 0x0', () => {
    const merged = new Uint8Array(0x10000 + 4096).fill(0xff);
    merged.set(buildTestImage(256, 'boot'), 0x1000);
    merged.set(buildTestImage(4096, '3.0.0'), 0x10000);
    const info = inspectImage(merged, 0);
    expect(info.merged).toBe(true);
    expect(info.version).toBe('3.0.0');
  });
  it('refuses what is not an ESP32 image, saying what to choose', () => {
    expect(() => inspectImage(new TextEncoder().encode('PK\u0003\u0004 a zip file'), 0x10000)).toThrow(/magic byte 0xE9/);
    expect(() => inspectImage(new Uint8Array(0), 0x10000)).toThrow(/empty/);
    expect(() => inspectImage(new Uint8Array(17 * 1024 * 1024), 0)).toThrow(/larger than any ESP32 flash/);
  });
  it('reports the chip an image was built for', () => {
    const img = buildTestImage(1024, '1.0.0');
    img[12] = 9;
    expect(inspectImage(img, 0x10000).chip).toBe('ESP32-S3');
  });
});
