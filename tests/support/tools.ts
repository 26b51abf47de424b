import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * Finds a program the tests need. A missing tool is a failure that names the Debian package, never a
 * skipped test (CI installs them in .ci/run).
 */
export function requireTool(command: string, debianPackage: string): string {
  const candidates = [command, `/usr/sbin/${command}`, `/usr/bin/${command}`];
  for (const c of candidates) {
    if (c.startsWith('/') && existsSync(c)) return c;
  }
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`this test needs "${command}": install it with \`apt-get install -y ${debianPackage}\``);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix = 'motortwin-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 15_000, everyMs = 50): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await probe();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

export interface Mosquitto {
  port: number;
  /** Where it saves its sessions and queued messages. */
  persistenceFile: string;
  process: ChildProcess;
  /** SIGTERM (Mosquitto saves its state) or SIGKILL (a crash: it keeps only what it last autosaved). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  restart(signal?: NodeJS.Signals): Promise<void>;
  /** Replaces the accounts (only for a broker started with accounts) and has Mosquitto reload them. */
  setAccounts(accounts: Record<string, string>): void;
}

/**
 * A real Mosquitto on a free loopback port with its own config (persistence on, no queue limit). It saves
 * its state every second, so after a SIGKILL it still knows the engine's persistent session.
 */
export async function startMosquitto(opts: { accounts?: Record<string, string> } = {}): Promise<Mosquitto> {
  const bin = requireTool('mosquitto', 'mosquitto');
  const dir = tempDir('mosquitto-');
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  const passwords = join(dir, 'passwords');
  const writeAccounts = (accounts: Record<string, string>) => {
    const passwd = requireTool('mosquitto_passwd', 'mosquitto');
    writeFileSync(passwords, '');
    for (const [user, password] of Object.entries(accounts)) execFileSync(passwd, ['-b', passwords, user, password]);
  };
  if (opts.accounts) writeAccounts(opts.accounts);
  const access = opts.accounts ? ['allow_anonymous false', `password_file ${passwords}`] : ['allow_anonymous true'];
  writeFileSync(
    conf,
    // Run as root, Mosquitto would drop to user "mosquitto", which cannot write its persistence file here.
    [`listener ${port} 127.0.0.1`, `user ${userInfo().username}`, ...access, 'persistence true', `persistence_location ${dir}/`, 'autosave_interval 1', 'max_queued_messages 0', 'log_dest none', ''].join('\n'),
  );
  const launch = async () => {
    const child = spawn(bin, ['-c', conf], { stdio: 'ignore' });
    await waitFor('mosquitto to listen', () => canConnect(port), 10_000);
    return child;
  };
  const m: Mosquitto = {
    port,
    persistenceFile: join(dir, 'mosquitto.db'),
    process: await launch(),
    async stop(signal) {
      await stopProcess(m.process, signal);
    },
    async restart(signal) {
      await stopProcess(m.process, signal);
      m.process = await launch();
    },
    setAccounts(accounts) {
      if (!opts.accounts) throw new Error('this Mosquitto was started without accounts');
      writeAccounts(accounts);
      m.process.kill('SIGHUP');
    },
  };
  return m;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    import('node:net').then(({ connect }) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
  });
}

export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
