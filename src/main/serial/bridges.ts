// USB-to-serial bridges found on ESP32 boards, by VID:PID, and the chip family each usually carries.
// Espressif's own VID (303A) means the chip's native USB: which chip follows from the PID.

export interface BridgeGuess {
  bridge: string;
  chipFamily: string;
  /** Native USB re-enumerates on reset, so the port may change during a flash. */
  nativeUsb: boolean;
}

const BRIDGES: Record<string, Omit<BridgeGuess, 'nativeUsb'>> = {
  '10c4:ea60': { bridge: 'CP210x (Silicon Labs)', chipFamily: 'ESP32 (classic, via bridge)' },
  '1a86:7523': { bridge: 'CH340 (WCH)', chipFamily: 'ESP32 (classic, via bridge)' },
  '1a86:55d4': { bridge: 'CH9102 / CH343 (WCH)', chipFamily: 'ESP32 (classic, via bridge)' },
  '0403:6001': { bridge: 'FTDI FT232R', chipFamily: 'ESP32 (classic, via bridge)' },
  '0403:6015': { bridge: 'FTDI FT231X', chipFamily: 'ESP32 (classic, via bridge)' },
};

const ESPRESSIF_NATIVE: Record<string, string> = {
  '0002': 'ESP32-S2',
  '1001': 'ESP32-S3 / C3 / C6 / H2 (USB-Serial/JTAG)',
  '4001': 'ESP32-S3 (USB-OTG CDC)',
  '0003': 'ESP32-S2 (ROM download mode)',
  '0009': 'ESP32-S3 (ROM download mode)',
};

const norm = (id: string | number | null | undefined): string | null => {
  if (id === null || id === undefined || id === '') return null;
  const hex = typeof id === 'number' ? id.toString(16) : id.replace(/^0x/i, '');
  return /^[0-9a-f]{1,4}$/i.test(hex) ? hex.toLowerCase().padStart(4, '0') : null;
};

export function recogniseBridge(vid: string | number | null | undefined, pid: string | number | null | undefined): BridgeGuess | null {
  const v = norm(vid);
  const p = norm(pid);
  if (!v || !p) return null;
  if (v === '303a') return { bridge: 'Espressif native USB', chipFamily: ESPRESSIF_NATIVE[p] ?? 'ESP32-S2 / S3 / C3 (native USB)', nativeUsb: true };
  const known = BRIDGES[`${v}:${p}`];
  return known ? { ...known, nativeUsb: false } : null;
}

/** VID/PID as numbers for Web Serial's getInfo() (serialport lists them as hex strings). */
export function usbIds(vid: string | null, pid: string | null): { usbVendorId?: number; usbProductId?: number } {
  const v = norm(vid);
  const p = norm(pid);
  return v && p ? { usbVendorId: parseInt(v, 16), usbProductId: parseInt(p, 16) } : {};
}
