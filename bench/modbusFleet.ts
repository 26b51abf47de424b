import { startTcpSim, SimUnit, type TcpSim } from '../tests/support/modbusSim';

// A plant's worth of drives for the Modbus benchmark, in its own process so its CPU is not counted as the
// engine's: N Modbus TCP servers (modbus-serial's own), each a drive with 10 holding registers from 0.
// Prints "ready PORT,PORT,…" and stops when stdin closes.

const n = Number(process.argv[2] ?? 50);
const sims: TcpSim[] = [];
for (let i = 0; i < n; i++) {
  const unit = new SimUnit().set('holding', 0, 1234, 1480, 452, 4000, 565, 852, 415, 0, 42, 3);
  sims.push(await startTcpSim(new Map([[1, unit]])));
}
process.stdin.resume();
process.stdin.on('end', () => void Promise.all(sims.map((s) => s.close())).then(() => process.exit(0)));
process.stdout.write(`ready ${sims.map((s) => s.port).join(',')}\n`);
