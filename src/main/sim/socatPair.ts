import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** The end MotorTwin opens, as it would open /dev/ttyUSB0. */
  hostPath: string;
  /** The end the virtual board drives. */
  devicePath: string;
  process: ChildProcess;
  /** Ends socat: the host end vanishes, as when a USB cable is pulled. */
  unplug(): Promise<void>;
}

/**
 * A pseudo-terminal pair made with socat (Debian package "socat"), linked at stable paths so that a
 * "replug" (a new pair at the same paths) looks like the same board coming back.
 */
export async function createPtyPair(opts: { dir?: string; hostName?: string; deviceName?: string } = {}): Promise<PtyPair> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'motortwin-pty-'));
  const hostPath = join(dir, opts.hostName ?? 'ttyVIRT0');
  const devicePath = join(dir, opts.deviceName ?? 'ttyVIRT0.board');
  const child = spawn('socat', ['-d', `pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${devicePath}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (e) => reject(new Error(`cannot start socat (${(e as Error).message}): install it with \`apt-get install -y socat\``))),
  );
  const ready = (async () => {
    const until = Date.now() + 5000;
    while (!(existsSync(hostPath) && existsSync(devicePath))) {
      if (child.exitCode !== null) throw new Error(`socat exited: ${stderr.trim()}`);
      if (Date.now() > until) throw new Error(`socat did not create ${hostPath} in 5 s: ${stderr.trim()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await Promise.race([ready, spawnError]);
  return {
    hostPath,
    devicePath,
    process: child,
    unplug: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
