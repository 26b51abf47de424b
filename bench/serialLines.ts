/** The telemetry line the serial bench's board sends, without its newline (the bench's direct baseline uses it too). */
export const telemetryLine = (id: string, seq: number): string =>
  `{"type":"telemetry","device_id":"${id}","seq":${seq},"temperature":${(60 + (seq % 100) / 10).toFixed(1)},"vibration":0.031,"rpm":1480,"current":11.2}`;

/** A firmware debug print: console text, not JSON. */
export const textLine = (seq: number): string => `I (${seq}) sensor: adc=${(seq * 7919) % 4096} raw=${seq % 997} debug print from the firmware`;
