import { describe, expect, it } from 'vitest';
import { parseModbusOption } from './modbusOption';

describe('--modbus', () => {
  it('reads a TCP drive with defaults for what is not given', () => {
    expect(parseModbusOption('motor_01@tcp://10.0.0.5:1502?unit=3&profile=generic-vfd&interval=500')).toEqual({
      id: 'motor_01',
      endpoint: { kind: 'tcp', host: '10.0.0.5', port: 1502 },
      unit: 3,
      profile: 'generic-vfd',
      intervalMs: 500,
      timeoutMs: 1000,
      retries: 2,
    });
    expect(parseModbusOption('m@tcp://[::1]?unit=1&profile=p').endpoint).toEqual({ kind: 'tcp', host: '::1', port: 502 });
  });

  it('reads an RS-485 line with its framing', () => {
    expect(parseModbusOption('pump_2@rtu:/dev/ttyUSB0?baud=9600&parity=none&stopbits=2&unit=7&profile=/etc/relay.json').endpoint).toEqual({
      kind: 'rtu',
      path: '/dev/ttyUSB0',
      baud: 9600,
      parity: 'none',
      dataBits: 8,
      stopBits: 2,
    });
  });

  it('says what is wrong, naming the setting', () => {
    const bad = (spec: string) => () => parseModbusOption(spec);
    expect(bad('tcp://h?unit=1&profile=p')).toThrow('start with the motor\'s id and "@"');
    expect(bad('m@udp://h?unit=1&profile=p')).toThrow('the address must start with tcp:// or rtu:');
    expect(bad('m@tcp://h?unit=1')).toThrow('profile=NAME|PATH is required');
    expect(bad('m@tcp://h?profile=p')).toThrow('unit=N is required');
    expect(bad('m@tcp://h?unit=1&profile=p&speed=9')).toThrow('unknown setting "speed"');
    expect(bad('m@tcp://h?unit=1&profile=p&baud=9600')).toThrow('baud is a serial line setting');
    expect(bad('m@rtu:/dev/ttyS0?unit=1&profile=p&baud=12345')).toThrow('--modbus m@rtu:/dev/ttyS0?unit=1&profile=p&baud=12345: baud: baud must be one of 1200');
    expect(bad('m@rtu:/dev/ttyS0?unit=0&profile=p')).toThrow('unit: unit on an RS-485 line must be 1-247');
    expect(bad('m@tcp://h?unit=1&profile=p&interval=1.5')).toThrow('interval must be a whole number, not "1.5"');
    expect(bad('m@tcp://h?unit=1&profile=p&interval=10')).toThrow('interval: interval must be at least 100 ms');
    expect(bad('bad/id@tcp://h?unit=1&profile=p')).toThrow('ID: device_id must be 1-64 letters');
  });
});
