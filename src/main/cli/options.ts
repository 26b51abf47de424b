import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { deviceIdSchema } from '../../shared/protocol/schemas';
import { isLoopback } from '../broker/urls';
import { UsageError } from './command';
import { defaultDataDir } from '../platform/paths';
import type { BrokerConfig, ExternalBrokerConfig } from '../broker/brokerLinks';

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
  mqtt: { type: 'string', multiple: true },
  'no-embedded-broker': { type: 'boolean' },
  'use-found-broker': { type: 'boolean' },
  'mqtt-session-expiry': { type: 'string' },
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

export const BROKER_USAGE = `  --mqtt URL             also use an external broker (mqtt://, mqtts://, ws://, wss://); repeatable. Its own TLS
                         files and login go in its URL: mqtts://user:password@host:8883?ca=FILE&cert=FILE&key=FILE
                         (&insecure=1 skips the certificate check). The first --mqtt is the primary broker
  --no-embedded-broker   do not start the embedded broker (needs at least one --mqtt)
  --use-found-broker     when the embedded broker's port is taken by another MQTT broker, use that one instead of
                         moving the embedded broker to a free port (the default)
  --mqtt-session-expiry S   MQTT 5: how long an external broker keeps MotorTwin's session while it is away
                         (default 86400 s)
  --mqtt-port N          port of the embedded broker (default 1883)
  --mqtt-host HOST       address the embedded broker listens on (default 127.0.0.1; others need a username and
                         password, or board accounts, with passwords of at least 16 characters)
  --mqtt-username U, --mqtt-password P   broker credentials (MOTORTWIN_MQTT_PASSWORD also works): of the one --mqtt
                         broker when given, else the embedded broker's account
  --mqtt-ca FILE, --mqtt-cert FILE, --mqtt-key FILE   TLS files of the one --mqtt broker (same as ?ca= in its URL)
  --mqtt-insecure        do not verify the one --mqtt broker's TLS certificate (not recommended)
  --mqtt-devices FILE    embedded broker: one account per board, JSON {"motor_01": "its password", …}; a board may
                         publish only under factory/<its id>/
  --mqtt-tls-cert FILE, --mqtt-tls-key FILE   embedded broker: speak MQTT over TLS (mqtts://) with this PEM pair`;

/** Every broker to be on: each --mqtt URL (the first is the primary), then the embedded one unless --no-embedded-broker. */
export function brokerConfig(v: Record<string, string | boolean | string[] | undefined>): BrokerConfig[] {
  const username = v['mqtt-username'] as string | undefined;
  const password = (v['mqtt-password'] as string | undefined) ?? process.env.MOTORTWIN_MQTT_PASSWORD;
  const urls = (v.mqtt as string[] | undefined) ?? [];
  const sessionExpiryS = v['mqtt-session-expiry'] === undefined ? undefined : intOption(v['mqtt-session-expiry'] as string, 'mqtt-session-expiry', 0, 0, 0xffffffff);
  const perBroker = (['mqtt-username', 'mqtt-password', 'mqtt-ca', 'mqtt-cert', 'mqtt-key', 'mqtt-insecure'] as const).filter((f) => v[f] !== undefined);
  if (urls.length > 1 && perBroker.length) throw new UsageError(`with more than one --mqtt, ${perBroker.map((f) => `--${f}`).join(', ')} cannot tell which broker it is for: put each broker's login and TLS files in its URL, e.g. mqtts://user:password@host:8883?ca=ca.pem`);
  const externals = urls.map((url): ExternalBrokerConfig => ({ ...externalBroker(url), sessionExpiryS }));
  if (externals.length === 1) {
    const [e] = externals;
    Object.assign(e, {
      username: e.username ?? username,
      password: e.password ?? password,
      caFile: e.caFile ?? fileOption(v['mqtt-ca'], 'mqtt-ca'),
      certFile: e.certFile ?? fileOption(v['mqtt-cert'], 'mqtt-cert'),
      keyFile: e.keyFile ?? fileOption(v['mqtt-key'], 'mqtt-key'),
      rejectUnauthorized: e.rejectUnauthorized && !v['mqtt-insecure'],
    });
  }
  if (v['no-embedded-broker']) {
    if (!externals.length) throw new UsageError('--no-embedded-broker leaves no broker: give at least one --mqtt URL');
    const embeddedOnly = ['mqtt-port', 'mqtt-host', 'mqtt-devices', 'mqtt-tls-cert', 'mqtt-tls-key', 'use-found-broker'].filter((f) => v[f] !== undefined);
    if (embeddedOnly.length) throw new UsageError(`${embeddedOnly.map((f) => `--${f}`).join(', ')} set up the embedded broker, which --no-embedded-broker leaves out`);
    return externals;
  }
  // With --mqtt the shared account belongs to that broker; the embedded one then takes board accounts only.
  return [...externals, embeddedBroker(v, externals.length ? undefined : username, externals.length ? undefined : password)];
}

/** One --mqtt URL with its own TLS files and certificate check as query parameters, taken out of the URL. */
function externalBroker(given: string): ExternalBrokerConfig {
  if (!/^(mqtts?|wss?|tcp|ssl):\/\//.test(given)) throw new UsageError(`--mqtt must be a URL such as mqtt://host:1883, got "${given}"`);
  let u: URL;
  try {
    u = new URL(given);
  } catch {
    throw new UsageError(`--mqtt ${given}: not a valid URL`);
  }
  const params = Object.fromEntries(u.searchParams);
  const unknown = Object.keys(params).filter((k) => !['ca', 'cert', 'key', 'insecure'].includes(k));
  if (unknown.length) throw new UsageError(`--mqtt ${u.host}: unknown parameter ${unknown.join(', ')} (known: ca, cert, key, insecure)`);
  if (params.insecure !== undefined && !['1', 'true', '0', 'false'].includes(params.insecure)) throw new UsageError(`--mqtt ${u.host}: insecure must be 1 or 0`);
  u.search = '';
  return {
    mode: 'external',
    url: u.toString().replace(/\/$/, ''),
    caFile: fileOption(params.ca, 'mqtt ?ca'),
    certFile: fileOption(params.cert, 'mqtt ?cert'),
    keyFile: fileOption(params.key, 'mqtt ?key'),
    rejectUnauthorized: !['1', 'true'].includes(params.insecure ?? ''),
  };
}

function embeddedBroker(v: Record<string, string | boolean | string[] | undefined>, username: string | undefined, password: string | undefined): BrokerConfig {
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
    whenPortTaken: v['use-found-broker'] ? 'use' : undefined,
  };
}

/** A PEM file named on the command line, checked now rather than when the broker connects. */
function fileOption(file: unknown, name: string): string | undefined {
  if (file === undefined) return undefined;
  readOption(String(file), name);
  return resolve(String(file));
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
