import { describe, expect, it } from 'vitest';
import { recogniseBridge, usbIds } from './bridges';

describe('recogniseBridge', () => {
  it('knows the usual ESP32 bridges, whatever the case or prefix', () => {
    expect(recogniseBridge('10C4', 'EA60')?.bridge).toMatch(/CP210x/);
    expect(recogniseBridge('1a86', '7523')?.bridge).toMatch(/CH340/);
    expect(recogniseBridge('1a86', '55d4')?.bridge).toMatch(/CH9102/);
    expect(recogniseBridge('0403', '6001')?.bridge).toMatch(/FTDI/);
    expect(recogniseBridge('0x0403', '0x6015')?.bridge).toMatch(/FT231X/);
  });
  it('says which native-USB chip an Espressif PID means', () => {
    const g = recogniseBridge('303a', '1001');
    expect(g?.nativeUsb).toBe(true);
    expect(g?.chipFamily).toMatch(/S3/);
    expect(recogniseBridge(0x303a, 0x1234)?.chipFamily).toMatch(/native USB/);
  });
  it('returns null for unknown or missing ids', () => {
    expect(recogniseBridge('046d', 'c52b')).toBeNull();
    expect(recogniseBridge(null, undefined)).toBeNull();
    expect(recogniseBridge('zz', '12')).toBeNull();
  });
  it('turns hex strings into Web Serial numbers', () => {
    expect(usbIds('10c4', 'ea60')).toEqual({ usbVendorId: 0x10c4, usbProductId: 0xea60 });
    expect(usbIds(null, 'ea60')).toEqual({});
  });
});
