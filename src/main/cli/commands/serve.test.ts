import { describe, expect, it } from 'vitest';
import { parseSerialOption } from './serve';

describe('serve --serial', () => {
  it('takes a path with an optional baud rate', () => {
    expect(parseSerialOption('/dev/ttyUSB0')).toEqual({ path: '/dev/ttyUSB0', baud: 115200 });
    expect(parseSerialOption('/dev/ttyUSB0@921600')).toEqual({ path: '/dev/ttyUSB0', baud: 921600 });
    expect(parseSerialOption('COM3@9600')).toEqual({ path: 'COM3', baud: 9600 });
  });
  it('refuses a baud rate a board does not use', () => {
    expect(() => parseSerialOption('/dev/ttyUSB0@12345')).toThrow(/must be one of/);
    expect(() => parseSerialOption('/dev/ttyUSB0@fast')).toThrow(/must be one of/);
  });
});
