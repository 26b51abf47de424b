import { hostname } from 'node:os';
import { createHash } from 'node:crypto';
import type { EngineStatus, EventName, SimFault, TelemetryPoint } from '../shared/contract';
import { READING_NAMES } from '../shared/readings';
import { MotorDatabase } from './store/database';
import { type Historian, type RollupRunner, type TelemetrySink } from './store/historian';
import type { PgStore } from './store/postgres/pgStore';
import { RejectedLog } from './store/rejectedLog';
import { TwinRegistry, type TwinState } from './twin/twinRegistry';
import { IngestPipeline } from './ingest/pipeline';
import type { Ingest } from './ingest/mqttIngest';
import type { EmbeddedBroker } from './broker/embeddedBroker';
import { BrokerLinks } from './broker/brokerLinks';
import { SimFleet } from './sim/simFleet';
import { Devices } from './serial/devices';
import { VERSION } from './platform/version';
import { EventBus, type Listener } from './platform/eventBus';
import { HealthService } from './health/healthService';
import type { CommandService } from './commands/commandService';
import { type AlertForwarder } from './commands/alerts';
import { startAgentParts } from './agent/wireAgent';
import type { AgentService } from './agent/agentService';
import type { ManualLibrary } from './manuals/library';
import { BenchService } from './benchtest/benchService';
import { ModbusService } from './modbus/modbusService';
import type { SparkplugHost } from './sparkplug/sparkplugHost';
import { HistoryImports } from './import/historyImport';
import type { IngestLease } from './standby/ingestLease';
import { sharedIngestClientId } from './standby/leaseOptions';
import { PlantLink } from './plant/plantLink';
import { type Log } from './platform/log';
import { PacedFlush } from './platform/pacedFlush';
import { DemandClock } from './platform/demandClock';

import type { EngineConfig, EngineParts } from './engineConfig';

// The running engine the shells hold (Electron's utility process, serve, the CLI, tests): its parts, its start
// and stop, and the few operations that span parts. engine.ts builds it.

export function clientId(config: EngineConfig): string {
  if (config.ingestLease) return config.ingestLease.clientId ?? sharedIngestClientId(config.ingestLease.url);
  const dataDir = config.dataDir;
  return `motortwin-${hostname().slice(0, 20)}-${createHash('sha1').update(dataDir).digest('hex').slice(0, 8)}`;
}


export async function drainStore(writer: TelemetrySink, rollups: RollupRunner): Promise<void> {
  await writer.flush();
  await rollups.run();
}

/**
 * A running engine, as the outer layers (RPC, HTTP server, CLI, desktop shell, tests) use it: its parts,
 * its status, and a subscription to the bus. Parts never see it.
 */
export class Engine {
  readonly startedAt = Date.now();
  readonly twins: TwinRegistry;
  readonly rejects: RejectedLog;
  readonly writer: TelemetrySink;
  readonly rollups: RollupRunner;
  readonly pipeline: IngestPipeline;
  readonly sims: SimFleet;
  readonly devices: Devices;
  /** Rules, alarms, health index, anomaly detection, waveform analysis. */
  readonly health: HealthService;
  /** The gate every command to a motor passes: limits, approval, sending, acknowledgements, audit. */
  readonly commands: CommandService;
  readonly alerts: AlertForwarder;
  /** The maintenance manuals on this computer, searchable offline. */
  readonly manuals: ManualLibrary;
  /** "Ask the twin": the LangChain agent over the twin, its history and the manuals. */
  readonly agent: AgentService;
  /** Bench tests of new motors: procedures, runs, verdicts, reports. */
  readonly benchtest: BenchService;
  /** Drives and protection relays polled over Modbus TCP or RTU. */
  readonly modbus: ModbusService;
  /** Sparkplug B edge nodes and devices read off the broker into twins. */
  readonly sparkplug: SparkplugHost;
  /** Every broker the engine is on, and which one each device was heard on. */
  readonly links: BrokerLinks;
  /** History from other collectors (CSV, Parquet, …), one import at a time. */
  readonly imports: HistoryImports;
  /** Who ingests, with several instances on one store (null when this one always does). */
  lease: IngestLease | null = null;
  /** This laptop's link to a plant server (login, which engine the app shows, pushes). */
  readonly plant: PlantLink;
  /** Telemetry, rollups, trends and exports: the DuckDB file's or PostgreSQL's. */
  readonly historian: Historian;
  /** The plant server's PostgreSQL when `store` names one: its pool for other stores (accounts, the ingest lease). */
  readonly pg: PgStore | null;
  /** The root logger, for the outer layers (the server's security lines); parts were handed children of it. */
  readonly log: Log;
  private readonly engineLog: Log;
  private readonly bus: EventBus;
  private readonly parts: EngineParts;
  private livePoints: TelemetryPoint[] = [];
  private readonly dirtyTwins = new Set<string>();
  /** Live values go to the UIs in batches every `liveBatchMs`, on a timer set only while values arrive (an idle engine sleeps). */
  private readonly liveFlush: PacedFlush;
  /** The status clock (connection sweep, message rate, the status bar) runs while a twin is connected or a UI
   * listens to the status. */
  private readonly statusClock = new DemandClock(1000, () => this.everySecond(), () => this.bus.listenerCount('status') > 0 || this.twins.anyConnected());
  private rate = { lastReceived: 0, lastAt: Date.now(), perSecond: 0 };

  constructor(
    readonly config: EngineConfig,
    readonly db: MotorDatabase,
    parts: EngineParts,
  ) {
    this.parts = parts;
    ({ bus: this.bus, twins: this.twins, rejects: this.rejects, writer: this.writer, rollups: this.rollups, pipeline: this.pipeline } = parts);
    ({ sims: this.sims, devices: this.devices, health: this.health, commands: this.commands, alerts: this.alerts } = parts);
    ({ benchtest: this.benchtest, modbus: this.modbus, sparkplug: this.sparkplug, links: this.links, imports: this.imports } = parts);
    ({ plant: this.plant, historian: this.historian, pg: this.pg } = parts);
    ({ manuals: this.manuals, agent: this.agent } = parts.agentParts);
    this.log = parts.log;
    this.engineLog = parts.log.child({ part: 'engine' });
    this.liveFlush = new PacedFlush(config.liveBatchMs ?? 30, () => this.flushLive());
  }

  /** Listens to the engine's events (the contract's, see shared/contract.ts). */
  on<E extends EventName>(name: E, listener: Listener<E>): this {
    this.bus.on(name, listener);
    return this;
  }

  off<E extends EventName>(name: E, listener: Listener<E>): this {
    this.bus.off(name, listener);
    return this;
  }

  /** @internal createEngine's second half: restores state, then starts every part in dependency order. */
  async start(): Promise<void> {
    await this.restore();
    this.wireEvents();
    this.writer.start();
    this.rollups.start();
    await this.links.start();
    const lease = this.config.ingestLease;
    if (lease) {
      // The lease's PostgreSQL client loads only for an instance that shares a store.
      const { startLeasedIngest } = await import('./standby/leasedIngest');
      this.lease = await startLeasedIngest(
        { url: lease.url, instance: lease.instance, name: clientId(this.config) },
        { catchUp: () => this.rememberRecentKeys(), resume: () => this.links.resumeIngest(), pause: () => this.links.pauseIngest(), log: this.log.child({ part: 'lease' }) },
      );
    }
    this.statusClock.start();
    this.commands.start();
    for (const s of this.config.simulate ?? []) await this.addSimulatedMotor(s.id, s.fault ?? null, s.rateHz);
    await this.devices.start(this.config.serial);
    await this.modbus.start(this.config.modbus);
    await startAgentParts(this.parts.agentParts, this.config.agent);
    this.engineLog.info({ dataDir: this.config.dataDir, brokers: this.links.links.length, store: this.historian.kind }, 'started');
  }

  /** The embedded broker, when it runs. */
  get broker(): EmbeddedBroker | null {
    return this.links.embedded;
  }

  /** The primary broker's ingest (tests and benchmarks wait on its state). */
  get ingest(): Ingest | null {
    return this.links.links[0]?.ingest ?? null;
  }

  /** Where the engine's own MQTT clients connect (see BrokerLinks.forClients). */
  brokerForClients(deviceId?: string): { url: string; username?: string; password?: string; ca?: string | Buffer } {
    return this.links.forClients(deviceId);
  }

  private async restore(): Promise<void> {
    await this.health.load();
    await this.rejects.load();
    await this.sparkplug.load();
    const latest = new Map((await this.historian.latestReadings(READING_NAMES)).map((l) => [l.deviceId, l]));
    const { twins, skipped } = await this.parts.repo.all();
    for (const t of twins) this.twins.restore(t, latest.get(t.id));
    // A bad row (an id stored before ids were checked) costs that twin, not the start; the Rejected list says why.
    for (const { id, reason } of skipped) {
      const text = `stored twin ${JSON.stringify(id.length > 64 ? `${id.slice(0, 64)}…` : id)} not loaded: ${reason}`;
      this.engineLog.warn({ deviceId: id }, text);
      this.rejects.add({ ts: Date.now(), deviceId: null, source: 'store', topic: 'twins', reason: text, payload: id });
    }
    await this.rememberRecentKeys();
  }

  /** The duplicate filter learns what is already stored: at start, and when this instance takes over ingest. */
  private async rememberRecentKeys(): Promise<void> {
    // A reading the board did not stamp is keyed without a time, as it is when it comes again.
    for (const k of await this.historian.recentKeys(Date.now() - 10 * 60_000)) this.pipeline.dedupe.remember(k.deviceId, k.seq, k.hostStamped ? undefined : k.ts, k.uptime);
  }

  private wireEvents(): void {
    // Live values and twin changes are batched only while a UI listens: unwatched, a reading costs nothing here.
    this.pipeline.on('telemetry', (p) => {
      if (!this.bus.listenerCount('telemetry')) return;
      this.livePoints.push(p);
      this.liveFlush.poke();
    });
    this.pipeline.on('rejected', (r) => this.bus.emit('rejected', r));
    this.bus.on('storageState', () => this.emitStatus());
    // The listener counts once added, right after it is announced.
    this.bus.onListen((name) => name === 'status' && queueMicrotask(() => this.wakeStatusClock()));
    const persist = (t: TwinState) =>
      void this.parts.repo
        .save({ id: t.id, name: t.name, source: t.source, simulated: t.simulated, nameplate: t.nameplate, limits: t.limits, device: t.device })
        .catch((e) => this.engineLog.error({ err: e, deviceId: t.id }, `saving twin ${t.id} failed`));
    this.twins.on('created', (t) => {
      persist(t);
      this.dirtyTwins.add(t.id);
      this.liveFlush.poke();
    });
    this.twins.on('attributes', (t) => {
      persist(t);
      this.bus.emit('twin', this.twins.snapshot(t));
    });
    this.twins.on('changed', (t) => {
      if (!this.statusClock.running) this.wakeStatusClock();
      if (!this.bus.listenerCount('twin')) return;
      this.dirtyTwins.add(t.id);
      this.liveFlush.poke();
    });
    this.twins.on('removed', (id) => this.bus.emit('twinRemoved', { id }));
  }

  private flushLive(): void {
    // A batch or a snapshot nobody subscribed to (no UI shows it) is not built.
    if (this.livePoints.length) {
      const batch = this.livePoints;
      this.livePoints = [];
      if (this.bus.listenerCount('telemetry')) this.bus.emit('telemetry', batch);
    }
    if (this.dirtyTwins.size && this.bus.listenerCount('twin')) {
      for (const id of this.dirtyTwins) {
        const t = this.twins.get(id);
        if (t) this.bus.emit('twin', this.twins.snapshot(t));
      }
    }
    this.dirtyTwins.clear();
  }

  private everySecond(): void {
    const now = Date.now();
    this.twins.sweepConnections(now);
    const received = this.pipeline.counters.received;
    this.rate.perSecond = ((received - this.rate.lastReceived) * 1000) / Math.max(1, now - this.rate.lastAt);
    this.rate.lastReceived = received;
    this.rate.lastAt = now;
    this.emitStatus();
  }

  private wakeStatusClock(): void {
    this.statusClock.wake();
    // Messages since the clock stopped (those that woke it) count as its first second's.
    if (this.statusClock.running && this.rate.lastAt < Date.now() - 1500) this.rate.lastAt = Date.now() - 1000;
  }

  private emitStatus(): void {
    if (this.bus.listenerCount('status')) this.bus.emit('status', this.status());
  }

  status(): EngineStatus {
    const brokers = this.links.status();
    const lease = this.lease?.status();
    // A standby is not connected to external brokers on purpose: the status bar says who ingests instead.
    if (lease?.role === 'standby') {
      const note = `standby: ${lease.holder ?? 'another instance'} holds the ingest lease${lease.error ? ' (the store cannot be reached)' : ''}`;
      for (const b of brokers) if (b.mode === 'external') b.note = b.note ? `${b.note}; ${note}` : note;
    }
    const c = this.pipeline.counters;
    return {
      version: VERSION,
      uptimeS: Math.round((Date.now() - this.startedAt) / 1000),
      dataDir: this.config.dataDir,
      broker: brokers[0],
      brokers,
      ingest: {
        received: c.received,
        stored: this.parts.totals.stored,
        rejected: c.rejected,
        duplicates: c.duplicates,
        missed: c.missed,
        shed: c.shed,
        shedding: this.pipeline.shedder.shedding(),
        pendingWrites: this.writer.pendingRows,
        messagesPerSecond: Math.round(this.rate.perSecond * 10) / 10,
        storageError: this.writer.lastError,
      },
      storage: this.db.storage,
      store: { kind: this.historian.kind, location: this.historian.location },
      twins: this.twins.size,
    };
  }

  async addSimulatedMotor(id: string | undefined, fault: SimFault | null = null, rateHz?: number) {
    const simId = id ?? this.sims.nextId((x) => this.twins.get(x) !== undefined);
    this.twins.ensure(simId, 'sim', true);
    return this.sims.add(simId, fault, rateHz);
  }

  /** Waits until everything received so far is committed (tests, export, shutdown). */
  drain(): Promise<void> {
    return drainStore(this.writer, this.rollups);
  }

  private closingPart: { name: string; detail?: () => string | null } | null = null;

  /** The part close() is waiting for, and what it waits on, named when a shutdown overruns its deadline. */
  get closing(): string | null {
    if (!this.closingPart) return null;
    const detail = this.closingPart.detail?.();
    return detail ? `${this.closingPart.name}: ${detail}` : this.closingPart.name;
  }
  private dbClosed = false;

  async close(): Promise<void> {
    this.statusClock.stop();
    this.liveFlush.close();
    const step = async (part: string, close: () => unknown, detail?: () => string | null) => {
      this.closingPart = { name: part, detail };
      // One part that fails to close must not keep the others open: said in the log, and on to the next.
      await Promise.resolve()
        .then(close)
        .catch((e) => this.engineLog.error({ err: e }, `closing ${part} failed`));
    };
    await step('bench tests', () => this.benchtest.close());
    await step('simulated motors', () => this.sims.stopAll());
    await step('serial devices', () => this.devices.close());
    await step('modbus devices', () => this.modbus.close());
    // Stored first, so the broker gets the acknowledgements held for those rows before we disconnect.
    await step('ingest', async () => {
      await this.writer.flush();
      await this.links.stopIngest();
    });
    // After ingest stopped, so the standby never meets this instance on the shared MQTT session.
    await step('ingest lease', () => this.lease?.stop());
    await step('telemetry writer', () => this.writer.close());
    await step('health service', () => this.health.close(), () => this.health.store.waiting());
    await step('alerts', () => this.alerts.close());
    await step('commands', () => this.commands.close());
    await step('rollups', () => this.rollups.close());
    await step('rejected log', () => this.rejects.close());
    await step('embedded broker', () => this.links.closeBrokers());
    this.closingPart = { name: 'database' };
    // The writer has flushed above; a pool that fails to end holds nothing left to save.
    await this.historian.close().catch(() => undefined);
    this.closeDatabase();
    this.closingPart = null;
    this.engineLog.info('stopped');
  }

  /** The last resort when close() hangs: commits what the writer holds (up to 2 s), then closes the file. */
  async forceCloseDatabase(): Promise<void> {
    // Best effort on the way out: what the flush cannot store is what a crash would have cost.
    await Promise.race([this.writer.flush().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
    this.closeDatabase();
  }

  private closeDatabase(): void {
    if (this.dbClosed) return;
    this.dbClosed = true;
    this.db.close();
  }
}

