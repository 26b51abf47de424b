// What went wrong with a port, said so that a person can fix it.

export function explainOpenError(path: string, e: unknown): string {
  const msg = (e as Error)?.message ?? String(e);
  if (/Cannot lock port|Resource temporarily unavailable|EBUSY|busy/i.test(msg)) {
    return `port busy: ${path} is in use by another program or another console (close the serial monitor, the other MotorTwin window or the IDE's upload) and try again`;
  }
  if (/EACCES|Permission denied/i.test(msg)) {
    return `permission denied for ${path}: add yourself to the dialout group (sudo usermod -aG dialout $USER), then log out and back in`;
  }
  if (/ENOENT|No such file|cannot find|File not found/i.test(msg)) {
    return `no port ${path}: is the board plugged in? (the port list shows what is connected)`;
  }
  return `cannot open ${path}: ${msg}`;
}

/** Advice for a port whose lines are mostly garbled. */
export const WRONG_BAUD_HINT =
  'most lines are garbled: the baud rate is probably wrong (ESP32 firmware and its boot ROM usually talk at 115200)';
