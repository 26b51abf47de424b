import { modbusDeviceConfigSchema, type ModbusDeviceConfig } from '../../shared/modbusContract';
import { describeIssues } from './profile';

export const MODBUS_USAGE = `  --modbus SPEC           poll a drive or relay over Modbus into motor ID's twin; repeatable. SPEC is
                         ID@tcp://HOST[:PORT]?unit=N&profile=NAME|PATH[&interval=MS&timeout=MS&retries=N]
                         or ID@rtu:PATH?unit=N&profile=…[&baud=19200&parity=even|odd|none&databits=8&stopbits=1]
                         (profiles shipped: generic-vfd, generic-motor-protection-relay)`;

const QUERY_KEYS = ['unit', 'profile', 'interval', 'timeout', 'retries', 'baud', 'parity', 'databits', 'stopbits'] as const;
const RTU_ONLY = ['baud', 'parity', 'databits', 'stopbits'];
const FLAG_OF: Record<string, string> = { intervalMs: 'interval', timeoutMs: 'timeout', 'endpoint.dataBits': 'databits', 'endpoint.stopBits': 'stopbits', 'endpoint.baud': 'baud', 'endpoint.parity': 'parity', 'endpoint.port': 'port', 'endpoint.host': 'host', 'endpoint.path': 'path', id: 'ID' };

/** Thrown with a message that names the spec and what is wrong in it. */
export class ModbusOptionError extends Error {}

/** `ID@tcp://HOST:PORT?unit=1&profile=generic-vfd` or `ID@rtu:/dev/ttyUSB0?baud=19200&…` as a device configuration. */
export function parseModbusOption(spec: string): ModbusDeviceConfig {
  const fail = (why: string): never => {
    throw new ModbusOptionError(`--modbus ${spec}: ${why}`);
  };
  const at = spec.indexOf('@');
  if (at <= 0) fail('start with the motor\'s id and "@", e.g. motor_01@tcp://10.0.0.5:502?unit=1&profile=generic-vfd');
  const id = spec.slice(0, at);
  const rest = spec.slice(at + 1);
  const q = rest.indexOf('?');
  const where = q < 0 ? rest : rest.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : rest.slice(q + 1));
  for (const key of query.keys()) if (!(QUERY_KEYS as readonly string[]).includes(key)) fail(`unknown setting "${key}" (known: ${QUERY_KEYS.join(', ')})`);
  const num = (key: string): number | undefined => {
    const v = query.get(key);
    if (v === null) return undefined;
    if (!/^\d+$/.test(v)) fail(`${key} must be a whole number, not "${v}"`);
    return Number(v);
  };
  let endpoint: Record<string, unknown>;
  if (where.startsWith('tcp://')) {
    for (const key of RTU_ONLY) if (query.has(key)) fail(`${key} is a serial line setting; a TCP device has none`);
    const m = /^tcp:\/\/(\[[^\]]+\]|[^:/[\]]+)(?::(\d+))?\/?$/.exec(where);
    if (!m) fail('the address must be tcp://HOST or tcp://HOST:PORT');
    endpoint = { kind: 'tcp', host: m![1].replace(/^\[|\]$/g, ''), port: m![2] === undefined ? undefined : Number(m![2]) };
  } else if (where.startsWith('rtu:')) {
    const path = where.slice(4);
    if (!path) fail('name the serial port: rtu:/dev/ttyUSB0');
    endpoint = { kind: 'rtu', path, baud: num('baud'), parity: query.get('parity') ?? undefined, dataBits: num('databits'), stopBits: num('stopbits') };
  } else return fail('the address must start with tcp:// or rtu:');
  if (!query.get('profile')) fail('profile=NAME|PATH is required (shipped: generic-vfd, generic-motor-protection-relay)');
  if (query.get('unit') === null) fail('unit=N is required (the device\'s Modbus address)');
  const r = modbusDeviceConfigSchema.safeParse({ id, endpoint, unit: num('unit'), profile: query.get('profile'), intervalMs: num('interval'), timeoutMs: num('timeout'), retries: num('retries') });
  if (!r.success) fail(describeIssues(r.error).replace(/(^|; )([\w.]+):/g, (_, sep: string, path: string) => `${sep}${FLAG_OF[path] ?? path}:`));
  return r.data!;
}
