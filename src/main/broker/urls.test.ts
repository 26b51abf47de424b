import { describe, expect, it } from 'vitest';
import { withoutCredentials } from './urls';

describe('withoutCredentials', () => {
  it('takes the user name and password out of a broker address and leaves the rest', () => {
    expect(withoutCredentials('mqtts://plant:s3cret-pw@broker.example:8883')).toBe('mqtts://broker.example:8883');
    expect(withoutCredentials('wss://u:p@broker.example/mqtt')).toBe('wss://broker.example/mqtt');
    expect(withoutCredentials('mqtt://127.0.0.1:1883')).toBe('mqtt://127.0.0.1:1883');
    expect(withoutCredentials('mqtt://user:pa%20ss@[::1]:1883')).toBe('mqtt://[::1]:1883');
  });
});
