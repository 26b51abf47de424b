import type { SimFault } from '../shared/contract';
import type { PlausibleRanges } from '../shared/plausibility';
import type { Historian, RollupRunner, TelemetrySink } from './store/historian';
import type { PgStore } from './store/postgres/pgStore';
import type { StoreChoice } from './store/postgres/storeChoice';
import type { RejectedLog } from './store/rejectedLog';
import type { TwinRepository } from './store/twinRepository';
import type { TwinRegistry } from './twin/twinRegistry';
import type { IngestPipeline } from './ingest/pipeline';
import type { ShedderOptions } from './ingest/loadShedder';
import type { BrokerLinks, BrokerConfig } from './broker/brokerLinks';
import type { SimFleet } from './sim/simFleet';
import type { Devices } from './serial/devices';
import type { EventBus } from './platform/eventBus';
import type { HealthService } from './health/healthService';
import type { CommandService } from './commands/commandService';
import type { AlertConfig, AlertForwarder } from './commands/alerts';
import type { AgentConfig, AgentParts } from './agent/wireAgent';
import type { BenchService } from './benchtest/benchService';
import type { ModbusService } from './modbus/modbusService';
import type { ModbusDeviceConfigInput } from '../shared/modbusContract';
import type { SparkplugHost } from './sparkplug/sparkplugHost';
import type { HistoryImports } from './import/historyImport';
import type { IngestLeaseConfig } from './standby/leaseOptions';
import type { PlantLink } from './plant/plantLink';
import type { Log } from './platform/log';

// What createEngine is given (EngineConfig) and what it builds (EngineParts): the types the composition
// root in engine.ts and the running Engine in runningEngine.ts share.

export type { BrokerConfig } from './broker/brokerLinks';

export interface EngineConfig {
  dataDir: string;
  /** One broker or several at once (the embedded one, the plant's, the bench's); the first is the primary. */
  broker: BrokerConfig | readonly BrokerConfig[];
  /** Simulated motors to start with (the first run shows motor_01). */
  simulate?: Array<{ id: string; fault?: SimFault | null; rateHz?: number }>;
  /** Serial ports to open at start (`serve --serial PATH@BAUD`). */
  serial?: Array<{ path: string; baud: number }>;
  /** Drives and relays to poll from the start (`serve --modbus`). */
  modbus?: ModbusDeviceConfigInput[];
  flushIntervalMs?: number;
  rollupIntervalMs?: number;
  /** How often batched live telemetry goes to the UIs. */
  liveBatchMs?: number;
  /** Where alerts go besides the UI: the MQTT alerts topic (default on) and an optional webhook. */
  alerts?: Partial<AlertConfig>;
  /** The chat's model settings and key store, and the starter manuals. */
  agent?: AgentConfig;
  /** Physically plausible range per reading, over the defaults of shared/plausibility.ts; outside is rejected. */
  plausibility?: PlausibleRanges;
  /** Per device, the message rate and burst over which its messages are dropped before decoding (ingest/loadShedder.ts). */
  shedding?: ShedderOptions;
  /**
   * Several instances on one PostgreSQL store: only the holder of the ingest lease (an advisory lock on
   * `url`) ingests from external brokers, with one persistent session shared by the instances (`clientId`,
   * by default derived from `url`); the others serve the UI and API and wait.
   */
  ingestLease?: IngestLeaseConfig;
  /** A laptop's own engine: its UI may log in to a plant server, show it and push to it (off in a server). */
  plantClient?: boolean;
  /**
   * Where telemetry, rollups, alarms, commands and audit live: the DuckDB file in dataDir (the default) or a
   * PostgreSQL database. What belongs to this computer (manuals, chat, 3D models, settings) stays in the file.
   */
  store?: StoreChoice;
  /** The logger every part writes to, each as a child named after it (default: readable lines on stderr, level info). */
  log?: Log;
}

/** Every part of a running engine, built by createEngine in dependency order. */
export interface EngineParts {
  bus: EventBus;
  twins: TwinRegistry;
  repo: TwinRepository;
  rejects: RejectedLog;
  /** Telemetry, rollups, trends and exports: the DuckDB file's or PostgreSQL's. */
  historian: Historian;
  /** The plant server's PostgreSQL when `store` names one: its pool for other stores (accounts, the ingest lease). */
  pg: PgStore | null;
  rollups: RollupRunner;
  writer: TelemetrySink;
  pipeline: IngestPipeline;
  links: BrokerLinks;
  health: HealthService;
  sims: SimFleet;
  devices: Devices;
  modbus: ModbusService;
  sparkplug: SparkplugHost;
  commands: CommandService;
  alerts: AlertForwarder;
  agentParts: AgentParts;
  benchtest: BenchService;
  imports: HistoryImports;
  plant: PlantLink;
  /** Rows committed so far (the writer counts them as it flushes). */
  totals: { stored: number };
  /** The root logger; the engine's own lines go to its child `engine`. */
  log: Log;
}
