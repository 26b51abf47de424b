// What can be read from an ESP32 firmware image before flashing it (ESP-IDF image format).

export const IMAGE_MAGIC = 0xe9;
const APP_DESC_MAGIC = 0xabcd5432;
/** In a merged image (written at 0x0) the second-stage bootloader sits here and the app at 0x10000. */
const MERGED_BOOTLOADER_AT = 0x1000;
const MERGED_APP_AT = 0x10000;
export const MAX_IMAGE_BYTES = 16 * 1024 * 1024;

const CHIP_IDS: Record<number, string> = { 0: 'ESP32', 2: 'ESP32-S2', 5: 'ESP32-C3', 9: 'ESP32-S3', 12: 'ESP32-C2', 13: 'ESP32-C6', 16: 'ESP32-H2' };

export interface ImageInfo {
  /** The chip named in the image header, when it names one esptool knows. */
  chip: string | null;
  chipId: number | null;
  /** The firmware version from the app description (esp_app_desc_t), when present. */
  version: string | null;
  merged: boolean;
}

/** Checks an image before anything is sent; throws a message a person can act on. */
export function inspectImage(image: Uint8Array, offset: number): ImageInfo {
  if (image.length === 0) throw new Error('the image is empty');
  if (image.length > MAX_IMAGE_BYTES) throw new Error(`the image is ${image.length} bytes: larger than any ESP32 flash (16 MiB)`);
  const merged = offset === 0 && image.length > MERGED_BOOTLOADER_AT && image[0] !== IMAGE_MAGIC && image[MERGED_BOOTLOADER_AT] === IMAGE_MAGIC;
  const header = merged ? MERGED_BOOTLOADER_AT : 0;
  if (image[header] !== IMAGE_MAGIC) {
    throw new Error(
      `not an ESP32 image: it starts with 0x${(image[0] ?? 0).toString(16).padStart(2, '0')}, not the magic byte 0xE9 (choose the .bin that the build produced, e.g. build/firmware.bin, or a merged image written at 0x0)`,
    );
  }
  const chipId = image.length >= header + 14 ? image[header + 12] | (image[header + 13] << 8) : null;
  const app = merged ? MERGED_APP_AT : 0;
  return { chip: chipId !== null ? (CHIP_IDS[chipId] ?? null) : null, chipId, version: appVersion(image, app), merged };
}

function appVersion(image: Uint8Array, app: number): string | null {
  const at = app + 32;
  if (image.length < at + 48) return null;
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  if (view.getUint32(at, true) !== APP_DESC_MAGIC) return null;
  const raw = image.subarray(at + 16, at + 48);
  const end = raw.indexOf(0);
  const v = new TextDecoder().decode(raw.subarray(0, end === -1 ? raw.length : end)).trim();
  return v || null;
}

/** A small but well-formed ESP32 app image naming a version: for tests, the simulator and benchmarks. */
export function buildTestImage(size: number, version: string, seed = 1): Uint8Array {
  const img = new Uint8Array(Math.max(size, 256));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < img.length; i++) {
    // xorshift: incompressible enough to make the deflate path work for its living
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    img[i] = x & 0xff;
  }
  img.set([IMAGE_MAGIC, 1, 2, 0x20], 0);
  img[12] = 0;
  img[13] = 0;
  const view = new DataView(img.buffer);
  view.setUint32(32, APP_DESC_MAGIC, true);
  img.fill(0, 48, 80);
  img.set(new TextEncoder().encode(version.slice(0, 31)), 48);
  return img;
}
