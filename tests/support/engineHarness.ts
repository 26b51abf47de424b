import mqtt, { type MqttClient } from 'mqtt';
import { createEngine, type Engine, type BrokerConfig } from '../../src/main/engine';
import { startHttpServer, type RunningServer } from '../../src/main/server/httpServer';
import type { AgentConfig } from '../../src/main/agent/wireAgent';
import type { ModbusDeviceConfigInput } from '../../src/shared/modbusContract';
import type { StoreChoice } from '../../src/main/store/postgres/storeChoice';
import { freePort, tempDir } from './tools';
import type { Log } from '../../src/main/platform/log';
import type { ShedderOptions } from '../../src/main/ingest/loadShedder';

export interface Harness {
  engine: Engine;
  dataDir: string;
  brokerUrl: string;
  publisher: MqttClient;
  server?: RunningServer;
  close(): Promise<void>;
}

/** An engine on real loopback ports and a real DuckDB file, plus a publisher that acts as a board. */
export async function startEngine(opts: { broker?: BrokerConfig; dataDir?: string; http?: boolean; uiDir?: string | null; simulate?: boolean; agent?: AgentConfig; modbus?: ModbusDeviceConfigInput[]; plantClient?: boolean; store?: StoreChoice; log?: Log; shedding?: ShedderOptions } = {}): Promise<Harness> {
  const dataDir = opts.dataDir ?? tempDir();
  const broker: BrokerConfig = opts.broker ?? { mode: 'embedded', host: '127.0.0.1', port: await freePort() };
  const engine = await createEngine({
    dataDir,
    broker,
    simulate: opts.simulate ? [{ id: 'motor_01', rateHz: 5 }] : [],
    modbus: opts.modbus,
    flushIntervalMs: 50,
    rollupIntervalMs: 500,
    log: opts.log,
    liveBatchMs: 20,
    // No model from the developer's environment unless a test asks for one.
    agent: opts.agent ?? { env: {} },
    plantClient: opts.plantClient,
    store: opts.store,
    shedding: opts.shedding,
  });
  const brokerUrl = engine.brokerForClients().url;
  const publisher = await mqtt.connectAsync(brokerUrl, { clientId: `test-board-${Math.random().toString(16).slice(2)}` });
  const server = opts.http ? await startHttpServer(engine, { host: '127.0.0.1', port: 0, uiDir: opts.uiDir ?? null }) : undefined;
  return {
    engine,
    dataDir,
    brokerUrl,
    publisher,
    server,
    async close() {
      await publisher.endAsync();
      await server?.close();
      await engine.close();
    },
  };
}
