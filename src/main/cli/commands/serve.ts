import { Engine } from '../../engine';
import { startHttpServer } from '../../server/httpServer';
import { isLoopback } from '../../broker/embeddedBroker';
import { SIM_FAULTS, type SimFault } from '../../../shared/contract';
import { UsageError, type CliCommand } from '../command';
import { BROKER_USAGE, brokerConfig, brokerOptions, dataDirOf, intOption, parse } from '../options';
import { ensureUiBuilt } from '../uiBuild';

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'run the engine and the UI headless (open the printed address in a browser)',
  usage: `motortwin serve [options]
  --port N               HTTP port of the UI and API (default 8787; 0 picks a free one)
  --host HOST            address to listen on (default 127.0.0.1)
  --data-dir DIR         where the history database lives (default: the desktop app's data folder)
${BROKER_USAGE}
  --no-sim               do not start the simulated motor motor_01
  --sim-fault NAME       start motor_01 with a fault (${SIM_FAULTS.join(', ')})`,
  async run(args, io) {
    const { values: v } = parse(args, {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'no-sim': { type: 'boolean' },
      'sim-fault': { type: 'string' },
      ...brokerOptions,
    });
    const host = v.host ?? '127.0.0.1';
    if (!isLoopback(host)) io.err(`warning: the UI and API listen on ${host}, reachable from the network; there is no login yet, so keep it on a trusted network.`);
    const fault = v['sim-fault'];
    if (fault !== undefined && !(SIM_FAULTS as readonly string[]).includes(fault)) throw new UsageError(`--sim-fault must be one of ${SIM_FAULTS.join(', ')}`);
    // Every option is checked before anything starts.
    const port = intOption(v.port, 'port', 8787);
    const broker = brokerConfig(v);
    const dataDir = dataDirOf(v);
    const uiDir = await ensureUiBuilt(io.out);
    const engine = await Engine.create({
      dataDir,
      broker,
      simulate: v['no-sim'] ? [] : [{ id: 'motor_01', fault: (fault as SimFault | undefined) ?? null }],
    });
    const server = await startHttpServer(engine, { host, port, uiDir }).catch(async (e) => {
      await engine.close();
      throw e;
    });
    const s = engine.status();
    io.out(`MotorTwin ${s.version} is running: ${server.url}`);
    io.out(`  broker   ${s.broker.mode} ${s.broker.url}${s.broker.connected ? '' : ' (not connected yet)'}`);
    io.out(`  data     ${s.dataDir}`);
    io.out(`  publish  factory/<device_id>/telemetry   (Ctrl+C to stop)`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    io.out('stopping…');
    await server.close();
    await engine.close();
    return 0;
  },
};
