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
    expect(brokerConfig({ 'mqtt-host': '0.0.0.0', 'mqtt-username': 'engine', 'mqtt-password': 'a-long-enough-password' })).toMatchObject({ mode: 'embedded', host: '0.0.0.0' });
  });

  it('lets a short password pass on loopback, where only this computer can try it', () => {
    expect(brokerConfig({ 'mqtt-username': 'engine', 'mqtt-password': 'x' })).toMatchObject({ mode: 'embedded', host: '127.0.0.1', password: 'x' });
  });

  it('holds board passwords of --mqtt-devices to the same rule beyond loopback', () => {
    const file = devicesFile({ motor_01: 'eight-ch', motor_02: 'a-board-password-long-enough' });
    expect(() => brokerConfig({ 'mqtt-host': '0.0.0.0', 'mqtt-devices': file })).toThrow(/motor_01: a board password must be at least 16 characters when the broker listens beyond loopback/);
    expect(brokerConfig({ 'mqtt-devices': file })).toMatchObject({ devices: { motor_01: 'eight-ch' } });
  });
});
