import { explainOpenError } from '../serial/portErrors';

// esptool-js errors, and the port's, turned into what the person at the bench should do next.

export interface FlashErrorContext {
  lost: string | null;
  signalsUnsupported: string | null;
  nativeUsb: boolean;
  path: string;
}

export function explainFlashError(e: unknown, ctx: FlashErrorContext): string {
  const msg = (e as Error)?.message ?? String(e);
  if (ctx.lost || /^unplugged:/.test(msg)) {
    return 'the board was unplugged during the flash: plug it back in and flash again (until then it may not boot; hold BOOT and press EN if it does not reappear)';
  }
  if (/Cannot lock port|EBUSY|EACCES|Permission denied|ENOENT|No such file/i.test(msg)) return explainOpenError(ctx.path, e);
  if (/Failed to connect|Serial data stream stopped|No serial data received|Invalid head of packet|invalid response/i.test(msg)) {
    const why = ctx.signalsUnsupported ? ' (this port cannot drive DTR/RTS, so the automatic reset is not possible)' : '';
    const usb = ctx.nativeUsb ? ' On native-USB chips (ESP32-S2/S3/C3) the port may change after the reset: pick the new port.' : '';
    return `no reply from the bootloader: hold BOOT and press EN (RST), release BOOT, then flash again${why}.${usb}`;
  }
  if (/status 1,7|status 1,193|checksum/i.test(msg)) {
    return 'the bootloader rejected a block\'s checksum again and again: the line is noisy; use a shorter or better USB cable, or a lower baud rate';
  }
  if (/MD5 of file does not match/i.test(msg)) return 'verification failed: the flash does not hold the image (MD5 differs); flash again, at a lower baud rate if it repeats';
  if (/doesn't fit|does not fit/i.test(msg)) return msg;
  return `flashing failed: ${msg}`;
}
