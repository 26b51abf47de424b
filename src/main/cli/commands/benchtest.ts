import { resolve } from 'node:path';
import { createEngine, type Engine, type BrokerConfig } from '../../engine';
import { SIM_FAULTS } from '../../../shared/contract';
import { DEFAULT_BAUD } from '../../../shared/serialContract';
import type { CriterionResult } from '../../../shared/benchtestContract';
import type { Procedure } from '../../../shared/benchtestProcedure';
import { loadProcedureFile } from '../../benchtest/procedureLoader';
import { UsageError, type CliCommand, type CliIo } from '../command';
import { BROKER_USAGE, brokerConfig, brokerOptions, dataDirOf, intOption, parse } from '../options';
import { createLog } from '../../platform/log';

const BOARD_WAIT_MS = 30_000;

export const benchtestCommand: CliCommand = {
  name: 'benchtest',
  usage: `motortwin benchtest [--procedure NAME|FILE.json] (--serial PATH | --mqtt-device ID | --sim [--fault NAME]) [--speedup N] [--json] [--report FILE.pdf]
  --procedure NAME       a procedure by name, or a JSON file (default: the shipped no-load-acceptance)
  --serial PATH[@BAUD]   the sensor board on a USB serial port (default ${DEFAULT_BAUD} baud)
  --mqtt-device ID       a board publishing over MQTT as ID
  --sim                  a simulated motor; --fault NAME injects one of: ${SIM_FAULTS.join(', ')}
  --speedup N            motor seconds per real second, for the simulator only (default 1)
  --serial-number SN     the motor's serial number (default for --sim: a fresh SIM-… number)
  --operator NAME        who runs the test (default: the login name)
  --retest               test a serial number that was tested before
  --json                 print { verdict, criteria: [{ name, value, limit, unit, result }], report }
  --report FILE.pdf      write the report as PDF (FILE.html for HTML); default: HTML in the data folder
  --data-dir DIR         where the database lives (default: the desktop app's data folder)
${BROKER_USAGE}
Manual steps are confirmed without a prompt (said so in the report). Exit code: 0 pass, 1 fail, 3 incomplete.`,
  async run(args, io) {
    const { values: v } = parse(args, {
      procedure: { type: 'string' },
      serial: { type: 'string' },
      'mqtt-device': { type: 'string' },
      sim: { type: 'boolean' },
      fault: { type: 'string' },
      speedup: { type: 'string' },
      'serial-number': { type: 'string' },
      operator: { type: 'string' },
      retest: { type: 'boolean' },
      json: { type: 'boolean' },
      report: { type: 'string' },
      'data-dir': { type: 'string' },
      ...brokerOptions,
    });
    const sources = [v.serial !== undefined, v['mqtt-device'] !== undefined, Boolean(v.sim)].filter(Boolean).length;
    if (sources !== 1) throw new UsageError('give exactly one of --serial PATH, --mqtt-device ID or --sim');
    if (v.fault !== undefined && !v.sim) throw new UsageError('--fault only goes with --sim');
    if (v.fault !== undefined && !(SIM_FAULTS as readonly string[]).includes(v.fault)) throw new UsageError(`unknown --fault "${v.fault}": one of ${SIM_FAULTS.join(', ')}`);
    if (v.speedup !== undefined && !v.sim) throw new UsageError('--speedup compresses time for the simulator only: use it with --sim');
    const speedup = intOption(v.speedup, 'speedup', 1, 1, 1000);
    if (v.report !== undefined && !/\.(pdf|html)$/i.test(v.report)) throw new UsageError('--report must name a .pdf or .html file');
    const procedureFile: Procedure | undefined = v.procedure?.endsWith('.json') ? loadProcedureFile(resolve(v.procedure)) : undefined;
    const serialNumber = v['serial-number'] ?? (v.sim ? `SIM-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}-${Math.random().toString(16).slice(2, 6)}` : undefined);
    if (!serialNumber) throw new UsageError("--serial-number is required for a real motor (the nameplate's serial number)");
    let serialPort: { path: string; baud: number } | undefined;
    if (v.serial !== undefined) {
      const [path, baud] = v.serial.split('@');
      serialPort = { path: resolve(path), baud: intOption(baud, 'serial baud', DEFAULT_BAUD, 300, 4_000_000) };
    }
    // A headless run must not take the desktop app's broker port unless it is listening for a real board.
    const broker: BrokerConfig[] = brokerConfig({ ...v, 'mqtt-port': v['mqtt-port'] ?? (v['mqtt-device'] && !v.mqtt ? undefined : '0') });
    const engine = await createEngine({ dataDir: dataDirOf(v), broker, serial: serialPort ? [serialPort] : [], agent: { starterManualsDir: null }, log: createLog({ level: 'warn' }) });
    try {
      const deviceId = v.sim ? null : await waitForBoard(engine, v['mqtt-device'] ?? null, io, Boolean(v.json));
      const run = await engine.benchtest.start(
        {
          procedure: procedureFile ? procedureFile.name : (v.procedure ?? 'no-load-acceptance'),
          serialNumber,
          operator: v.operator ?? process.env.USER ?? 'operator',
          retest: Boolean(v.retest),
          source: v.sim ? { kind: 'sim', fault: v.fault ?? null, speedup } : { kind: 'device', deviceId: deviceId as string },
        },
        { autoConfirm: true, procedure: procedureFile },
      );
      const stop = () => run.isOver || run.abort('interrupted from the keyboard (Ctrl+C)');
      process.once('SIGINT', stop);
      if (!v.json) run.on('change', (s) => s.currentStep && io.err(`  ${s.currentStep}: ${s.remainingS === null ? 'waiting' : `${s.remainingS} s left`}`));
      const record = await engine.benchtest.finished(run);
      process.off('SIGINT', stop);
      const format = v.report?.toLowerCase().endsWith('.pdf') ? 'pdf' : 'html';
      const report = await engine.benchtest.report(record.runId, format, v.report ? resolve(v.report) : undefined);
      if (v.json) {
        const criteria = record.criteria.map(({ name, value, limit, unit, result }) => ({ name, value, limit, unit, result }));
        io.out(JSON.stringify({ verdict: record.verdict, criteria, report, runId: record.runId }, null, 2));
      } else io.out(summary(record.runId, serialNumber, record.verdict, record.criteria, report));
      return record.verdict === 'pass' ? 0 : record.verdict === 'fail' ? 1 : 3;
    } finally {
      await engine.close();
    }
  },
};

/** The board's twin: the one named, or the first board that speaks on the serial port. */
async function waitForBoard(engine: Engine, id: string | null, io: CliIo, quiet: boolean): Promise<string> {
  if (!quiet) io.err(id ? `waiting for ${id} to publish…` : 'waiting for the board on the serial port…');
  const until = Date.now() + BOARD_WAIT_MS;
  while (Date.now() < until) {
    const t = id ? engine.twins.get(id) : engine.twins.all().find((x) => x.source === 'serial');
    if (t && t.readings.rpm) return t.id;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(id ? `no telemetry from ${id} in ${BOARD_WAIT_MS / 1000} s: is it publishing to this broker?` : `no telemetry on the serial port in ${BOARD_WAIT_MS / 1000} s: check the cable, the port and the baud rate`);
}

function summary(runId: string, sn: string, verdict: string, criteria: CriterionResult[], report: string): string {
  const w = Math.max(...criteria.map((c) => c.name.length));
  const num = (x: number | null) => (x === null ? '—' : String(x));
  return [
    `motor ${sn}, run ${runId}: ${verdict.toUpperCase()}`,
    ...criteria.map((c) => `  ${c.result.toUpperCase().padEnd(10)} ${c.name.padEnd(w)}  ${num(c.value)} ${c.unit} (limit ${num(c.limit)} ${c.unit})`),
    `report: ${report}`,
  ].join('\n');
}
