import { join } from 'node:path';
import { MotorDatabase } from './store/database';
import { DuckHistorian, type Historian } from './store/historian';
import type { PgStore } from './store/postgres/pgStore';
import { RejectedLog } from './store/rejectedLog';
import { TwinRepository } from './store/twinRepository';
import { TwinRegistry } from './twin/twinRegistry';
import { IngestPipeline } from './ingest/pipeline';
import { BrokerLinks, type BrokerConfig } from './broker/brokerLinks';
import { withoutCredentials } from './broker/urls';
import { SimFleet } from './sim/simFleet';
import { Devices } from './serial/devices';
import { EventBus, type Emit } from './platform/eventBus';
import { HealthService } from './health/healthService';
import { wireHealth } from './health/wireHealth';
import { createCommands } from './commands/wireCommands';
import { alertConfigSchema } from './commands/alerts';
import { createAgentParts } from './agent/wireAgent';
import { BenchService } from './benchtest/benchService';
import { ModbusService } from './modbus/modbusService';
import { SavedModbusDevices, savedModbusDevicesFile } from './modbus/savedDevices';
import { wireSparkplug } from './sparkplug/wireSparkplug';
import { HistoryImports } from './import/historyImport';
import { PlantLink } from './plant/plantLink';
import { createLog, reportErrors, type Log } from './platform/log';

import type { EngineConfig, EngineParts } from './engineConfig';
import { clientId, drainStore, Engine } from './runningEngine';

export type { BrokerConfig, EngineConfig } from './engineConfig';
export { Engine } from './runningEngine';

/**
 * The composition root: builds every part once, in dependency order, handing each only the ports it needs
 * (the bus's emit, a few functions, the parts below it), then starts them. Plain Node, no Electron: the same
 * engine runs in the desktop app's utility process, in `serve`, in the CLI and in tests.
 */
export async function createEngine(config: EngineConfig): Promise<Engine> {
  const log = config.log ?? createLog();
  // One DuckDB thread for the steady work (an import still gets every core): at 50 motors x 10 Hz that cost
  // about a quarter less CPU than a thread per core (see README, Performance).
  const db = await MotorDatabase.open(join(config.dataDir, 'motortwin.duckdb'), log.child({ part: 'store' }), { threads: 1 });
  let engine: Engine;
  let pg: PgStore | null = null;
  try {
    // The PostgreSQL client and its adapters load only for an engine whose store is there.
    if (config.store?.kind === 'postgres') pg = await (await import('./store/postgres/pgStore')).PgStore.open(config.store.url);
    engine = new Engine(config, db, await buildParts(config, db, pg, log));
  } catch (e) {
    // The build's own error is the one to report; a pool that fails to end as well has nothing to add.
    await pg?.close().catch(() => undefined);
    db.close();
    throw e;
  }
  try {
    await engine.start();
  } catch (e) {
    // The start's own error is the one to report; close() logs each part that also fails to close.
    await engine.close().catch(() => undefined);
    throw e;
  }
  return engine;
}

async function buildParts(config: EngineConfig, db: MotorDatabase, pg: PgStore | null, log: Log): Promise<EngineParts> {
  const partLog = (part: string) => log.child({ part });
  const bus = new EventBus();
  const emit: Emit = (name, data) => bus.emit(name, data);
  const twins = new TwinRegistry();
  const repo = new TwinRepository(db);
  const rejects = new RejectedLog(db, (e) => partLog('store').warn({ err: e }, 'storing the rejected messages failed'));
  const historian: Historian = pg ? new (await import('./store/postgres/pgHistorian')).PgHistorian(pg) : new DuckHistorian(db);
  const rollups = historian.rollups(config.rollupIntervalMs);
  const totals = { stored: 0 };
  const writer = historian.telemetryWriter({
    flushIntervalMs: config.flushIntervalMs,
    log: partLog('store'),
    onFlush: ({ rows, earliestByDevice }) => {
      totals.stored += rows.length;
      for (const r of rows) {
        const t = twins.get(r.deviceId);
        if (t) t.counts.stored++;
      }
      for (const [id, ts] of earliestByDevice) rollups.markDirty(id, ts);
    },
    onError: (error) => bus.emit('storageState', error),
  });
  const pipeline = new IngestPipeline(twins, writer, rejects, { ...config.shedding, plausibility: config.plausibility });
  const brokers = Array.isArray(config.broker) ? (config.broker as readonly BrokerConfig[]) : [config.broker as BrokerConfig];
  const links = new BrokerLinks(brokers, { pipeline, dataDir: config.dataDir, clientId: clientId(config), stored: writer, ingestOnLease: config.ingestLease !== undefined, log: partLog('broker') });
  const healthErrors = reportErrors(partLog('health'));
  const health = new HealthService(db, twins, healthErrors, pg ? new (await import('./store/postgres/pgAlarmStore')).PgAlarmStore(pg, healthErrors) : null);
  wireHealth(health, { twins, pipeline, emit, log: partLog('health') });
  const engineLog = partLog('engine');
  const sims = new SimFleet(
    (id) => links.forClients(id),
    (id, problem) => simConnectionProblem(twins, links, engineLog, id, problem),
  );
  const devices = new Devices(
    // esptool-js and pako load with the first flash: most engines never flash a board.
    { pipeline, twins, db, dataDir: config.dataDir, flasher: async () => (await import('./flash/flasher')).flashImage },
    { serialPorts: (e) => emit('serialPorts', e), serialConsole: (e) => emit('serialConsole', e), flashProgress: (e) => emit('flashProgress', e) },
    { log: partLog('serial') },
  );
  const modbus = new ModbusService({ pipeline, twins, db, log: partLog('modbus'), saved: new SavedModbusDevices(savedModbusDevicesFile(config.dataDir)) });
  const plant = new PlantLink({ enabled: config.plantClient ?? false, dataDir: config.dataDir, db, flush: () => writer.flush() });
  const sparkplug = wireSparkplug({ pipeline, twins, db, codec: () => import('./sparkplug/codec'), publish: (topic, payload) => links.publishSparkplug(topic, payload), log: partLog('sparkplug') });
  const { service: commands, alerts } = await createCommands(
    { db, pg, twins, pipeline, modbus, serial: devices.serial, alarms: health.alarms, publish: (t, p, c) => links.publish(t, p, c), bus, emit, log: partLog('commands') },
    alertConfigSchema.parse(config.alerts ?? {}),
  );
  const drain = () => drainStore(writer, rollups);
  // LangChain and the OpenAI SDK load with the first question that needs a model, not with every engine.
  const modelRuntime = async () => (await import('./agent/modelRuntime')).modelRuntime;
  const agentParts = createAgentParts({ db, source: { twins, health, historian, drain }, proposer: commands, emit, log: reportErrors(partLog('agent')), modelRuntime }, config.agent);
  const benchtest = new BenchService({
    db,
    pipeline,
    twins,
    broker: (id) => links.forClients(id),
    certificates: (id) => devices.calibration.list(id),
    onChange: (s) => emit('benchRun', s),
    commands,
    dataDir: config.dataDir,
    log: partLog('benchtest'),
  });
  const imports = new HistoryImports({ dataDir: config.dataDir, db, twins, rollups, health, emit });
  return { bus, twins, repo, rejects, historian, pg, rollups, writer, plant, pipeline, links, health, sims, devices, modbus, sparkplug, commands, alerts, agentParts, benchtest, imports, totals, log };
}

/**
 * A stable MQTT client id per data folder, so the broker resumes our persistent session; with an ingest
 * lease, the one session the instances share.
 */
/** A simulated board that cannot reach the broker says so on its twin and in the log, once per change. */
function simConnectionProblem(twins: TwinRegistry, links: BrokerLinks, log: Log, id: string, problem: string | null): void {
  const t = twins.get(id);
  if (problem) log.error({ deviceId: id, reason: problem }, `simulated motor ${id} cannot connect to ${withoutCredentials(links.forClients().url)}: ${problem}`);
  else log.info({ deviceId: id }, `simulated motor ${id} is connected again`);
  if (!t) return;
  t.statusReasons = problem ? [{ level: 'warning', reading: 'connection', text: `simulator cannot connect to the broker: ${problem}` }] : [];
  twins.emit('changed', t);
}

