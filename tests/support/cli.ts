import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
/** The launcher users run: it runs the build in out/cli/ (built fresh by the vitest global setup). */
export const BIN = resolve(ROOT, 'bin/motortwin.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `motortwin ARGS` the way a user does and collects its output; `input` is piped to its standard input. */
export function runCli(args: string[], timeoutMs = 60_000, opts: { input?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...opts.env } });
    child.stdin.end(opts.input ?? '');
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`motortwin ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/**
 * Starts a long-running `motortwin` command and resolves once its output matches `ready`; `installed` runs
 * another `motortwin` executable (an installed package's) from another folder instead of the checkout's.
 */
export function startCli(args: string[], ready: RegExp, timeoutMs = 60_000, installed?: { command: string; cwd: string }): Promise<{ child: ChildProcess; output: () => string; stderr: () => string }> {
  return new Promise((resolvePromise, reject) => {
    const [file, ...pre] = installed ? [installed.command] : [process.execPath, BIN];
    const child = spawn(file, [...pre, ...args], { cwd: installed?.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`motortwin ${args.join(' ')} never printed ${ready}:\n${out}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d;
      if (ready.test(out)) {
        clearTimeout(timer);
        resolvePromise({ child, output: () => out, stderr: () => err });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => {
      err += d;
      onData(d);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`motortwin ${args.join(' ')} exited with ${code}:\n${out}`));
    });
  });
}

const SERVE_READY = /is running: (http\S+)[\s\S]*?broker\s+embedded (mqtt:\/\/[\d.]+:(\d+))/;

/**
 * `motortwin serve` with its embedded broker, on ports the OS picks unless given (a restart that boards
 * must find again): a free port picked beforehand can be taken by another test run before serve binds it.
 */
export async function startServe(args: string[], ports: { http?: number; mqtt?: number } = {}) {
  const s = await startCli(['serve', '--port', String(ports.http ?? 0), '--mqtt-port', String(ports.mqtt ?? 0), ...args], SERVE_READY);
  const m = SERVE_READY.exec(s.output())!;
  return { child: s.child, url: m[1], mqttUrl: m[2], mqttPort: Number(m[3]), output: s.output, stderr: s.stderr };
}
