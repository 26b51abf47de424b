import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { deviceIdSchema } from '../../shared/protocol/schemas';
import { isLoopback } from '../broker/embeddedBroker';
import { UsageError } from './command';
import { defaultDataDir } from './paths';
import type { BrokerConfig } from '../engine';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends Options>(args: string[], options: O, allowPositionals = false): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The one strength rule for a secret that guards a door others can knock on (API token, broker passwords). */
export const MIN_SECRET_LENGTH = 16;
const secretProblem = (value: string) => (value.length < MIN_SECRET_LENGTH ? `must be at least ${MIN_SECRET_LENGTH} characters` : null);

export function checkSecret(value: string, name: string): void {
  const problem = secretProblem(value);
  if (problem) throw new UsageError(`${name} ${problem}`);
}

export function intOption(value: string | undefined, name: string, fallback: number, min = 0, max = 65535): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

export const brokerOptions = {
  mqtt: { type: 'string' },
  'mqtt-host': { type: 'string' },
  'mqtt-port': { type: 'string' },
  'mqtt-username': { type: 'string' },
  'mqtt-password': { type: 'string' },
  'mqtt-ca': { type: 'string' },
  'mqtt-cert': { type: 'string' },
  'mqtt-key': { type: 'string' },
  'mqtt-insecure': { type: 'boolean' },
  'mqtt-devices': { type: 'string' },
  'mqtt-tls-cert': { type: 'string' },
  'mqtt-tls-key': { type: 'string' },
} as const;

export const BROKER_USAGE = `  --mqtt URL             use an external broker (mqtt://, mqtts://, ws://, wss://) instead of the embedded one
  --mqtt-port N          port of the embedded broker (default 1883)
  --mqtt-host HOST       address the embedded broker listens on (default 127.0.0.1; others need a username and
                         password, or board accounts, with passwords of at least 16 characters)
  --mqtt-username U, --mqtt-password P   broker credentials (MOTORTWIN_MQTT_PASSWORD also works)
  --mqtt-ca FILE, --mqtt-cert FILE, --mqtt-key FILE   TLS files for mqtts:// and wss://
  --mqtt-insecure        do not verify the external broker's TLS certificate (not recommended)
  --mqtt-devices FILE    embedded broker: one account per board, JSON {"motor_01": "its password", …}; a board may
                         publish only under factory/<its id>/
  --mqtt-tls-cert FILE, --mqtt-tls-key FILE   embedded broker: speak MQTT over TLS (mqtts://) with this PEM pair`;

export function brokerConfig(v: Record<string, string | boolean | undefined>): BrokerConfig {
  const username = v['mqtt-username'] as string | undefined;
  const password = (v['mqtt-password'] as string | undefined) ?? process.env.MOTORTWIN_MQTT_PASSWORD;
  if (v.mqtt) {
    const url = String(v.mqtt);
    if (!/^(mqtts?|wss?|tcp|ssl):\/\//.test(url)) throw new UsageError(`--mqtt must be a URL such as mqtt://host:1883, got "${url}"`);
    if (v['mqtt-port'] || v['mqtt-host']) throw new UsageError('--mqtt-port and --mqtt-host move the embedded broker; with --mqtt put the port in the URL');
    if (v['mqtt-devices'] || v['mqtt-tls-cert'] || v['mqtt-tls-key']) throw new UsageError('--mqtt-devices, --mqtt-tls-cert and --mqtt-tls-key set up the embedded broker; they do not apply with --mqtt');
    return {
      mode: 'external',
      url,
      username,
      password,
      caFile: v['mqtt-ca'] as string | undefined,
      certFile: v['mqtt-cert'] as string | undefined,
      keyFile: v['mqtt-key'] as string | undefined,
      rejectUnauthorized: !v['mqtt-insecure'],
    };
  }
  const certFile = v['mqtt-tls-cert'] as string | undefined;
  const keyFile = v['mqtt-tls-key'] as string | undefined;
  if (Boolean(certFile) !== Boolean(keyFile)) throw new UsageError('--mqtt-tls-cert and --mqtt-tls-key go together');
  const host = (v['mqtt-host'] as string | undefined) ?? '127.0.0.1';
  const devices = v['mqtt-devices'] ? deviceAccounts(String(v['mqtt-devices'])) : undefined;
  // Beyond loopback anyone on the network can guess: every broker password meets the API token's rule.
  if (!isLoopback(host)) {
    if (password !== undefined) checkSecret(password, '--mqtt-password');
    for (const [id, devicePassword] of Object.entries(devices ?? {})) {
      const problem = secretProblem(devicePassword);
      if (problem) throw new UsageError(`--mqtt-devices ${String(v['mqtt-devices'])}: ${id}: a board password ${problem} when the broker listens beyond loopback`);
    }
  }
  return {
    mode: 'embedded',
    host,
    port: intOption(v['mqtt-port'] as string | undefined, 'mqtt-port', 1883),
    username,
    password,
    devices,
    tls: certFile && keyFile ? { cert: readOption(certFile, 'mqtt-tls-cert'), key: readOption(keyFile, 'mqtt-tls-key') } : undefined,
  };
}

export const dataDirOf = (v: { 'data-dir'?: string | boolean }) => (typeof v['data-dir'] === 'string' ? resolve(v['data-dir']) : defaultDataDir());

const deviceAccountsSchema = z.record(deviceIdSchema, z.string().min(8, 'a board password needs at least 8 characters'));

/** The embedded broker's board accounts: device id to password. */
function deviceAccounts(file: string): Record<string, string> {
  let json: unknown;
  try {
    json = JSON.parse(readOption(file, 'mqtt-devices'));
  } catch (e) {
    throw e instanceof UsageError ? e : new UsageError(`--mqtt-devices ${file}: not valid JSON`);
  }
  const parsed = deviceAccountsSchema.safeParse(json);
  if (!parsed.success) throw new UsageError(`--mqtt-devices ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function readOption(file: string, name: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--${name} ${file}: ${(e as Error).message}`);
  }
}

/** `--api-token` for commands that talk to a running `serve` (MOTORTWIN_API_TOKEN also works): its header. */
export const serverTokenOption = { 'api-token': { type: 'string' } } as const;
export const SERVER_TOKEN_USAGE = '  --api-token TOKEN      the running MotorTwin\'s token, when it was started with one (MOTORTWIN_API_TOKEN also works)';
export function serverAuthHeaders(v: { 'api-token'?: string }): Record<string, string> {
  const token = v['api-token'] ?? process.env.MOTORTWIN_API_TOKEN;
  return token ? { authorization: `Bearer ${token}` } : {};
}
