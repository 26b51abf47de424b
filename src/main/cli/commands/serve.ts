import { readFileSync } from 'node:fs';
import { isLoopback, withoutCredentials } from '../../broker/urls';
import { SIM_FAULTS, type SimFault } from '../../../shared/contract';
import { BAUD_RATES, DEFAULT_BAUD } from '../../../shared/serialContract';
import { UsageError, type CliCommand } from '../command';
import { BROKER_USAGE, brokerConfig, brokerOptions, checkSecret, dataDirOf, intOption, parse } from '../options';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { Accounts } from '../../accounts/accounts';
import { DuckAccountStore } from '../../accounts/duckAccountStore';
import { PgSessionStore } from '../../accounts/pgSessionStore';
import { DuckSessionStore } from '../../accounts/duckSessionStore';
import { PgAccountStore } from '../../accounts/pgAccountStore';
import type { StoreSpec } from '../storeOption';
import { ROLES, roleSchema } from '../../../shared/roles';
import { ensureUiBuilt } from '../uiBuild';
import { closeWithin, stopSignal } from '../shutdown';
import { agentConfigOf, LLM_USAGE, llmOptions } from '../agentOptions';
import { alertConfigSchema } from '../../commands/alerts';
import { MODBUS_USAGE, ModbusOptionError, parseModbusOption } from '../../modbus/modbusOption';
import { loadProfile } from '../../modbus/profile';
import type { ModbusDeviceConfig } from '../../../shared/modbusContract';
import { parseStoreOption, redact, type StoreChoice } from '../../store/postgres/storeChoice';
import { ingestLeaseOf, LEASE_USAGE } from '../../standby/leaseOptions';
import { keepHeapQuietWhenIdle } from '../../platform/quietHeap';
import { createLog, LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../../platform/log';

export const serveCommand: CliCommand = {
  name: 'serve',
  usage: `motortwin serve [options]
  --port N               HTTP port of the UI and API (default 8787; 0 picks a free one)
  --host HOST            address to listen on (default 127.0.0.1)
  --data-dir DIR         where the history database lives (default: the desktop app's data folder)
  --store URL            keep telemetry, rollups, alarms, commands and audit in PostgreSQL instead:
                         postgres://USER[:PASSWORD]@HOST:PORT/DB (TimescaleDB used when installed there);
                         manuals, chat, 3D models and settings stay in --data-dir (MOTORTWIN_STORE also works);
                         instances on one store take turns at ingest (the ingest lease), the others stand by
${LEASE_USAGE}
${BROKER_USAGE}
  --no-sim               do not start the simulated motor motor_01
  --sim-fault NAME       start motor_01 with a fault (${SIM_FAULTS.join(', ')})
  --serial PATH[@BAUD]   open a board on a serial port at start (default 115200 baud); repeatable
${MODBUS_USAGE}
  --api-token TOKEN      a bearer token for scripts, acting as an account of its own (api-token in the audit
                         trail); once set, every request needs a login (MOTORTWIN_API_TOKEN also works)
  --api-token-role ROLE  what the token may do: ${ROLES.join(', ')} (default admin)
                         People log in with accounts made by \`motortwin users add\`: once one exists, every
                         request needs a login, on loopback too. --host other than loopback needs an account or a token
  --public-host NAME     a name besides its own addresses that the server answers to (a DNS name, a proxy's
                         NAME:PORT); requests naming any other host are refused (DNS rebinding); repeatable
  --tls-cert FILE, --tls-key FILE   serve the UI, API and WebSocket over HTTPS with this PEM pair (a plant
                         server that laptops and browsers reach over the network)
  --alert-webhook URL    POST every alert (new alarms, command outcomes) to this URL, with retries
  --no-mqtt-alerts       do not publish alerts on factory/<id>/alerts
  --log-format FORMAT    the log on stderr: text (readable lines, the default) or json (one object a line)
  --log-level LEVEL      ${LOG_LEVELS.join(', ')} (default info)
${LLM_USAGE}`,
  async run(args, io) {
    const { values: all } = parse(args, {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'instance-name': { type: 'string' },
      'ingest-client-id': { type: 'string' },
      store: { type: 'string' },
      'no-sim': { type: 'boolean' },
      'sim-fault': { type: 'string' },
      serial: { type: 'string', multiple: true },
      modbus: { type: 'string', multiple: true },
      'api-token': { type: 'string' },
      'api-token-role': { type: 'string' },
      'public-host': { type: 'string', multiple: true },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'alert-webhook': { type: 'string' },
      'no-mqtt-alerts': { type: 'boolean' },
      'log-format': { type: 'string' },
      'log-level': { type: 'string' },
      ...brokerOptions,
      ...llmOptions,
    });
    const { serial: serialArgs, 'public-host': publicHosts, mqtt: mqttUrls, modbus: modbusArgs, ...v } = all;
    const log = createLog(logOptions(v['log-format'], v['log-level']));
    const host = v.host ?? '127.0.0.1';
    const fault = v['sim-fault'];
    if (fault !== undefined && !(SIM_FAULTS as readonly string[]).includes(fault)) throw new UsageError(`--sim-fault must be one of ${SIM_FAULTS.join(', ')}`);
    // Every option is checked before anything starts.
    const port = intOption(v.port, 'port', 8787);
    const brokers = brokerConfig({ ...v, mqtt: mqttUrls });
    const dataDir = dataDirOf(v);
    const store = storeOption(v.store ?? process.env.MOTORTWIN_STORE);
    const ingestLease = leaseOption(store.kind === 'postgres' ? store.url : null, v, port);
    const serial = (serialArgs ?? []).map(parseSerialOption);
    const modbus = await modbusOptions(modbusArgs ?? []);
    const alerts = alertConfigSchema.safeParse({ mqtt: !v['no-mqtt-alerts'], webhookUrl: v['alert-webhook'] ?? null });
    if (!alerts.success) throw new UsageError(`--alert-webhook: ${alerts.error.issues[0].message}`);
    const apiToken = v['api-token'] ?? process.env.MOTORTWIN_API_TOKEN ?? null;
    if (apiToken !== null) checkSecret(apiToken, '--api-token');
    const tokenRole = roleSchema.safeParse(v['api-token-role'] ?? 'admin');
    if (!tokenRole.success) throw new UsageError(`--api-token-role must be one of ${ROLES.join(', ')}`);
    if (v['api-token-role'] !== undefined && apiToken === null) throw new UsageError('--api-token-role needs --api-token');
    if (!isLoopback(host) && apiToken === null && !(await hasAccounts(store.kind === 'postgres' ? { kind: 'postgres', url: store.url, shown: redact(store.url) } : { kind: 'duckdb', dataDir, file: join(dataDir, 'motortwin.duckdb') }))) {
      throw new UsageError(`--host ${host} makes the UI and API reachable from the network: add accounts (motortwin users add NAME --role ROLE) or set --api-token (or MOTORTWIN_API_TOKEN) so that only people who log in get in`);
    }
    for (const b of brokers) {
      if (b.mode === 'external' && b.rejectUnauthorized === false) log.warn({ url: withoutCredentials(b.url) }, `the broker's TLS certificate is not checked for ${withoutCredentials(b.url)}; anyone between here and it could read and change the data.`);
    }
    const tls = tlsOption(v['tls-cert'], v['tls-key']);
    const uiDir = await ensureUiBuilt(io.out);
    keepHeapQuietWhenIdle();
    // The engine and the server load only once every option is known to be good: a typo is refused at once.
    const [{ createEngine }, { startHttpServer }] = await Promise.all([import('../../engine'), import('../../server/httpServer')]);
    const engine = await createEngine({
      dataDir,
      broker: brokers,
      simulate: v['no-sim'] ? [] : [{ id: 'motor_01', fault: (fault as SimFault | undefined) ?? null }],
      serial,
      modbus,
      alerts: alerts.data,
      agent: agentConfigOf(v),
      // On this machine only, serve is a laptop's engine in a browser: it may open a plant server.
      plantClient: isLoopback(host),
      store,
      ingestLease,
      log,
    });
    // Accounts and login sessions live in the store serve uses: the plant's PostgreSQL (shared by a standby
    // pair), or the DuckDB file.
    const accounts = new Accounts(engine.pg ? new PgAccountStore(engine.pg.pool) : new DuckAccountStore(engine.db));
    const sessions = engine.pg ? new PgSessionStore(engine.pg.pool) : new DuckSessionStore(engine.db);
    const server = await startHttpServer(engine, { host, port, uiDir, apiToken, apiTokenRole: tokenRole.data, accounts, sessions, publicHosts, tls }).catch(async (e) => {
      await engine.close();
      throw e;
    });
    // Listening before the banner: a Ctrl+C (or a script's SIGINT) while it prints must stop serve cleanly.
    const stopped = stopSignal();
    const s = engine.status();
    io.out(`MotorTwin ${s.version} is running: ${server.url}`);
    for (const b of s.brokers) {
      io.out(`  broker   ${b.mode} ${b.url}${b.protocol ? ` (MQTT ${b.protocol})` : ''}${b.connected ? '' : ' (not connected yet)'}`);
      if (b.note) io.out(`           ${b.note}`);
    }
    io.out(`  data     ${s.dataDir}`);
    if (s.store.kind === 'postgres') io.out(`  history  ${s.store.location}`);
    const people = (await accounts.list()).length;
    io.out(`  login    ${people ? `${people} account${people === 1 ? '' : 's'}` : 'no accounts'}${apiToken ? `, API token (${tokenRole.data})` : ''}${!people && !apiToken ? ': open to this machine (motortwin users add NAME --role ROLE to require logins)' : ''}`);
    if (!isLoopback(host)) log.info({ host }, `the UI and API listen on ${host}; every request needs a login (a browser logs in at /login).`);
    const lease = engine.lease?.status();
    if (lease) io.out(`  ingest   ${lease.role === 'active' ? `${lease.instance} holds the ingest lease: ingesting` : `standby: ${lease.holder ?? 'another instance'} holds the ingest lease; ${lease.instance} takes over when it stops`}`);
    for (const p of engine.devices.serial.list().filter((x) => x.state !== 'closed')) io.out(`  serial   ${p.path} ${p.state}${p.error ? `: ${p.error}` : ''}`);
    for (const d of engine.modbus.list()) io.out(`  modbus   ${d.key} (${d.profile})`);
    io.out(`  publish  factory/<device_id>/telemetry   (Ctrl+C to stop)`);
    await stopped;
    io.out('stopping…');
    const steps = [
      { name: 'the HTTP server', close: () => server.close() },
      { name: 'the engine', close: () => engine.close(), detail: () => engine.closing },
    ];
    await closeWithin(steps, log.child({ part: 'serve' }), { lastResort: () => engine.forceCloseDatabase() });
    return 0;
  },
};

function leaseOption(...args: Parameters<typeof ingestLeaseOf>): ReturnType<typeof ingestLeaseOf> {
  try {
    return ingestLeaseOf(...args);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function storeOption(value: string | undefined): StoreChoice {
  try {
    return parseStoreOption(value);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Accounts in the store before the engine opens it: listening beyond loopback needs them (or a token). */
async function hasAccounts(spec: StoreSpec): Promise<boolean> {
  // No history file yet: no accounts either (and none is made just to look).
  if (spec.kind === 'duckdb' && !existsSync(spec.file)) return false;
  const { openAccounts } = await import('../accountsOpen');
  const { accounts, close } = await openAccounts(spec);
  try {
    return await accounts.exist();
  } finally {
    await close();
  }
}

/** Every --modbus spec parsed and its profile loaded, so a typo stops serve before anything starts. */
async function modbusOptions(specs: readonly string[]): Promise<ModbusDeviceConfig[]> {
  const out: ModbusDeviceConfig[] = [];
  for (const spec of specs) {
    try {
      const c = parseModbusOption(spec);
      await loadProfile(c.profile);
      out.push(c);
    } catch (e) {
      throw new UsageError(e instanceof ModbusOptionError ? e.message : `--modbus ${spec}: ${(e as Error).message}`);
    }
  }
  return out;
}

/** --tls-cert and --tls-key, read now so a wrong path stops serve before anything starts. */
function tlsOption(certFile: string | undefined, keyFile: string | undefined): { cert: string; key: string } | null {
  if (certFile === undefined && keyFile === undefined) return null;
  if (certFile === undefined || keyFile === undefined) throw new UsageError('--tls-cert and --tls-key go together');
  const read = (file: string, name: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`--${name} ${file}: ${(e as Error).message}`);
    }
  };
  return { cert: read(certFile, 'tls-cert'), key: read(keyFile, 'tls-key') };
}

/** "PATH" or "PATH@BAUD". */
export function parseSerialOption(value: string): { path: string; baud: number } {
  const at = value.lastIndexOf('@');
  const path = at > 0 ? value.slice(0, at) : value;
  const baud = at > 0 ? Number(value.slice(at + 1)) : DEFAULT_BAUD;
  if (!path) throw new UsageError('--serial needs a port path, e.g. /dev/ttyUSB0 or /dev/ttyUSB0@115200');
  if (!(BAUD_RATES as readonly number[]).includes(baud)) throw new UsageError(`--serial ${value}: the baud rate must be one of ${BAUD_RATES.join(', ')}`);
  return { path, baud };
}

/** --log-format and --log-level, checked. */
export function logOptions(format: string | undefined, level: string | undefined): { format: LogFormat; level: LogLevel } {
  if (format !== undefined && !(LOG_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--log-format must be one of ${LOG_FORMATS.join(', ')}`);
  if (level !== undefined && !(LOG_LEVELS as readonly string[]).includes(level)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  return { format: (format as LogFormat | undefined) ?? 'text', level: (level as LogLevel | undefined) ?? 'info' };
}
