import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokerConfig, checkSecret } from './options';

const devicesFile = (accounts: Record<string, string>) => {
  const file = join(mkdtempSync(join(tmpdir(), 'motortwin-options-')), 'devices.json');
  writeFileSync(file, JSON.stringify(accounts));
  return file;
};

describe('one strength rule for secrets that guard a network door', () => {
  it('wants at least 16 characters', () => {
    expect(() => checkSecret('short-token', '--api-token')).toThrow('--api-token must be at least 16 characters');
    expect(() => checkSecret('sixteen-chars-ok', '--api-token')).not.toThrow();
  });

  it('refuses a short --mqtt-password when the embedded broker listens beyond loopback', () => {
    expect(() => brokerConfig({ 'mqtt-host': '0.0.0.0', 'mqtt-username': 'engine', 'mqtt-password': 'x' })).toThrow(/--mqtt-password must be at least 16 characters/);
    expect(brokerConfig({ 'mqtt-host': '0.0.0.0', 'mqtt-username': 'engine', 'mqtt-password': 'a-long-enough-password' })).toMatchObject([{ mode: 'embedded', host: '0.0.0.0' }]);
  });

  it('lets a short password pass on loopback, where only this computer can try it', () => {
    expect(brokerConfig({ 'mqtt-username': 'engine', 'mqtt-password': 'x' })).toMatchObject([{ mode: 'embedded', host: '127.0.0.1', password: 'x' }]);
  });

  it('holds board passwords of --mqtt-devices to the same rule beyond loopback', () => {
    const file = devicesFile({ motor_01: 'eight-ch', motor_02: 'a-board-password-long-enough' });
    expect(() => brokerConfig({ 'mqtt-host': '0.0.0.0', 'mqtt-devices': file })).toThrow(/motor_01: a board password must be at least 16 characters when the broker listens beyond loopback/);
    expect(brokerConfig({ 'mqtt-devices': file })).toMatchObject([{ devices: { motor_01: 'eight-ch' } }]);
  });
});

describe('several brokers at once', () => {
  const ca = devicesFile({});

  it('lists each --mqtt broker first, with its own TLS file and check from its URL, then the embedded broker', () => {
    const brokers = brokerConfig({ mqtt: [`mqtts://plant:8883?ca=${ca}`, 'mqtts://bench.local:8883?insecure=1'], 'mqtt-port': '1884' });
    expect(brokers).toMatchObject([
      { mode: 'external', url: 'mqtts://plant:8883', caFile: ca, rejectUnauthorized: true },
      { mode: 'external', url: 'mqtts://bench.local:8883', caFile: undefined, rejectUnauthorized: false },
      { mode: 'embedded', port: 1884 },
    ]);
  });

  it('keeps the single form: one --mqtt takes --mqtt-username, --mqtt-ca and --mqtt-insecure; the embedded broker keeps no shared account', () => {
    const brokers = brokerConfig({ mqtt: ['mqtts://plant:8883'], 'mqtt-username': 'engine', 'mqtt-password': 'pw', 'mqtt-ca': ca, 'mqtt-insecure': true });
    expect(brokers).toMatchObject([{ url: 'mqtts://plant:8883', username: 'engine', password: 'pw', caFile: ca, rejectUnauthorized: false }, { mode: 'embedded', username: undefined }]);
    expect(brokerConfig({ mqtt: ['mqtt://plant:1883'], 'no-embedded-broker': true })).toHaveLength(1);
  });

  it('refuses what cannot tell which broker it is for, a typo in a URL parameter, and no broker at all', () => {
    expect(() => brokerConfig({ mqtt: ['mqtt://a:1883', 'mqtt://b:1883'], 'mqtt-ca': ca })).toThrow(/with more than one --mqtt, --mqtt-ca cannot tell which broker/);
    expect(() => brokerConfig({ mqtt: ['mqtts://a:8883?cafile=x'] })).toThrow(/unknown parameter cafile/);
    expect(() => brokerConfig({ mqtt: ['mqtts://a:8883?ca=/no/such/ca.pem'] })).toThrow(/no\/such\/ca\.pem/);
    expect(() => brokerConfig({ 'no-embedded-broker': true })).toThrow(/leaves no broker/);
    expect(() => brokerConfig({ mqtt: ['mqtt://a:1883'], 'no-embedded-broker': true, 'use-found-broker': true })).toThrow(/--use-found-broker set up the embedded broker/);
  });

  it('--use-found-broker and --mqtt-session-expiry reach the broker configs', () => {
    expect(brokerConfig({ 'use-found-broker': true })).toMatchObject([{ mode: 'embedded', whenPortTaken: 'use' }]);
    expect(brokerConfig({ mqtt: ['mqtt://a:1883'], 'mqtt-session-expiry': '3600' })).toMatchObject([{ sessionExpiryS: 3600 }, { mode: 'embedded' }]);
  });
});
