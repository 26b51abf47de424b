import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

// A command run in a process of its own with its memory watched from outside: the resident set of every thread
// (Node's and DuckDB's) from /proc/PID/status, sampled through the run. VmHWM is the kernel's own high-water
// mark, so a peak between two samples is not missed while the process lives; the samples' maximum covers its
// last moments.

export interface Watched {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallS: number;
  /** Highest resident set seen (bytes). */
  peakRss: number;
}

const KB = 1024;

/** VmRSS and VmHWM of a live process, in bytes (null once it has gone). */
export function residentOf(pid: number): { rss: number; hwm: number } | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    // The process has ended between two samples: nothing more to read.
    return null;
  }
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * KB;
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/**
 * Runs `node args…` and samples its memory every `everyMs`. `watch` is called with the pid and its stderr so
 * far on every sample (to kill it at a chosen moment, say).
 */
export function runWatched(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; everyMs?: number; watch?: (pid: number, stderr: string) => void }): Promise<Watched> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid!;
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  let peakRss = 0;
  const sample = () => {
    const m = residentOf(pid);
    if (m) peakRss = Math.max(peakRss, m.rss, m.hwm);
    opts.watch?.(pid, stderr);
  };
  const timer = setInterval(sample, opts.everyMs ?? 100);
  return new Promise((resolve, reject) => {
    child.once('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.once('close', (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, stdout, stderr, wallS: (performance.now() - t0) / 1000, peakRss });
    });
  });
}
