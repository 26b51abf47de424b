import { mkdirSync } from 'node:fs';
import { SIM_FAULTS, type SimFault } from '../../../shared/contract';
import { DEVICE_ID_PATTERN } from '../../../shared/protocol/limits';
import { SimulatedMotor } from '../../sim/simulatedMotor';
import { UsageError, type CliCommand } from '../command';
import { parse } from '../options';
import { VirtualSerialBoard } from '../../sim/virtualSerialBoard';
import type { CliIo } from '../command';

export const simCommand: CliCommand = {
  name: 'sim',
  usage: `motortwin sim [options]
  --broker URL      broker to publish to (default mqtt://127.0.0.1:1883, the app's embedded broker)
  --username U, --password P   broker credentials
  --id ID           device id (default motor_02); repeat for several motors
  --count N         run N motors named <id>_1 … <id>_N instead
  --rate HZ         telemetry messages per second per motor (default 2)
  --fault NAME      inject a fault: ${SIM_FAULTS.join(', ')}
  --speedup N       run the physics N times faster than real time (default 1)
  --cold            start the motors cold (at ambient, as after a night stopped): they warm up in the first minutes
  --duration S      stop after S seconds (default: until Ctrl+C)
  --serial DIR      run virtual USB boards instead (socat pseudo-terminals in DIR, NDJSON), to open with serve --serial`,
  async run(args, io) {
    const { values: v } = parse(args, {
      broker: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
      username: { type: 'string' },
      password: { type: 'string' },
      id: { type: 'string', multiple: true },
      count: { type: 'string' },
      rate: { type: 'string', default: '2' },
      fault: { type: 'string' },
      speedup: { type: 'string', default: '1' },
      cold: { type: 'boolean', default: false },
      duration: { type: 'string' },
      serial: { type: 'string' },
    });
    const rate = Number(v.rate);
    if (!(rate > 0 && rate <= 1000)) throw new UsageError('--rate must be a number of messages per second from 0 to 1000');
    const speedup = Number(v.speedup);
    if (!(speedup >= 1 && speedup <= 10_000)) throw new UsageError('--speedup must be from 1 to 10000');
    const fault = v.fault ?? null;
    if (fault !== null && !(SIM_FAULTS as readonly string[]).includes(fault)) throw new UsageError(`--fault must be one of ${SIM_FAULTS.join(', ')}`);
    let ids = v.id ?? ['motor_02'];
    if (v.count !== undefined) {
      const n = Number(v.count);
      if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError('--count must be from 1 to 1000');
      ids = Array.from({ length: n }, (_, i) => `${ids[0]}_${i + 1}`);
    }
    for (const id of ids) if (!DEVICE_ID_PATTERN.test(id)) throw new UsageError(`--id "${id}" is not a valid device id (letters, digits, "_", "-", ".")`);
    if (v.serial !== undefined) return runVirtualBoards(ids, rate, v.serial, v.duration, io);
    const motors = ids.map(
      (id) => new SimulatedMotor({ id, brokerUrl: v.broker!, username: v.username, password: v.password, rateHz: rate, fault: fault as SimFault | null, speedup, coldStart: v.cold }),
    );
    await Promise.all(motors.map((m) => m.start()));
    io.out(`simulating ${ids.join(', ')} at ${rate} Hz on ${v.broker}${fault ? ` with fault ${fault}` : ''} (Ctrl+C to stop)`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
      if (v.duration !== undefined) setTimeout(resolve, Number(v.duration) * 1000);
    });
    await Promise.all(motors.map((m) => m.stop()));
    io.out(`published ${motors.reduce((s, m) => s + m.published, 0)} messages`);
    return 0;
  },
};

async function runVirtualBoards(ids: string[], rate: number, dir: string, duration: string | undefined, io: CliIo): Promise<number> {
  mkdirSync(dir, { recursive: true });
  const boards = ids.map((id) => new VirtualSerialBoard({ id, rateHz: rate }));
  for (const b of boards) io.out(`virtual board ${b.id}: open ${await b.plugIn(dir)}`);
  io.out('(Ctrl+C to unplug)');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    if (duration !== undefined) setTimeout(resolve, Number(duration) * 1000);
  });
  for (const b of boards) await b.unplug();
  return 0;
}
