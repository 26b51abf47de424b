import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stopProcess, waitFor } from '../tests/support/tools';

// Pieces for figures measured on another process: its CPU from /proc (every thread: DuckDB's, the loader's),
// `serve` started as a user starts it, and a paced publisher in a process of its own.

const ROOT = resolve(import.meta.dirname, '..');
/** Kernel clock ticks per second for /proc/PID/stat (USER_HZ: 100 on every Linux that Node runs on). */
const TICKS_PER_S = 100;

/** CPU seconds (user + system, all threads) a running process has used so far. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields from after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}

/** A process's CPU share (% of one core) over `seconds` of wall clock while `during` runs (if given). */
export async function cpuShare(pid: number, seconds: number): Promise<{ share: number; cpuS: number }> {
  const c0 = processCpuSeconds(pid);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpuS = processCpuSeconds(pid) - c0;
  return { share: (cpuS / ((performance.now() - t0) / 1000)) * 100, cpuS };
}

export interface Child {
  child: ChildProcess;
  /** The UI and API address (serve only). */
  url?: string;
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts a TypeScript entry point in its own Node process (`nodeArgs` such as --cpu-prof go to Node). */
export function startTs(file: string, args: string[], opts: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {}): Child {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), resolve(ROOT, 'bin/run-ts.js'), resolve(ROOT, file), ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, pid: child.pid!, output: () => out, stop: () => stopProcess(child, 'SIGINT') };
}

/** `motortwin serve` as a user types it (`node bin/motortwin.js serve`), without the simulated motor; resolves once it says it is running. */
export async function startServe(args: string[], opts: { nodeArgs?: string[] } = {}): Promise<Child> {
  const node = opts.nodeArgs ?? [];
  const child = spawn(process.execPath, [...node, resolve(ROOT, 'bin/motortwin.js'), 'serve', '--no-sim', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await Promise.race([
    waitFor('serve running', () => out.includes('is running'), 120_000),
    exited.then(() => {
      throw new Error(`serve stopped before it ran: ${out.slice(-500)}`);
    }),
  ]);
  const url = /is running: (\S+)/.exec(out)![1];
  return { child, pid: child.pid!, url, output: () => out, stop: () => stopServe(child) };
}

/** Ctrl+C, as a user stops it; killed when it has not stopped within 20 s (a figure must not hang the bench). */
async function stopServe(child: ChildProcess): Promise<void> {
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await stopProcess(child, 'SIGINT');
  clearTimeout(killer);
}

/** Messages a running serve has received so far (its /api/health counters). */
export async function serveReceived(url: string): Promise<number> {
  const health = (await (await fetch(`${url}/api/health`)).json()) as { ingest: { received: number } };
  return health.ingest.received;
}

/**
 * The fleet of boards in a process of its own: `devices` boards, each on its own MQTT connection as in a plant,
 * QoS 1 telemetry at `rate` messages a second in all, for `seconds`. Resolves once they are connected; `go()`
 * starts them and resolves when they are done.
 */
export async function startPublisher(url: string, devices: number, rate: number, seconds: number): Promise<{ go: () => Promise<void>; pid: number }> {
  const p = startTs('bench/publisher.ts', [url, String(rate * seconds), String(devices), String(rate), String(devices)]);
  await waitFor('publisher connected', () => p.output().includes('ready'), 60_000);
  return {
    pid: p.pid,
    go: async () => {
      const done = new Promise((r) => p.child.once('exit', r));
      p.child.stdin!.write('go\n');
      await done;
    },
  };
}
