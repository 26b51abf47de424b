import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './tools';

/** Debian installs PostgreSQL's server programs here, outside PATH. */
const PG_BIN = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'];

export interface Postgres {
  port: number;
  /** postgres://postgres@127.0.0.1:PORT/DB of the database made for this test. */
  url: string;
  database: string;
  dataDir: string;
  /** `fast` (clean) or `immediate` (a crash: PostgreSQL recovers from its WAL on the next start). */
  stop(mode?: 'fast' | 'immediate'): void;
  start(): void;
  restart(mode?: 'fast' | 'immediate'): void;
  /** Another database on the same server (a second test's history). */
  createDatabase(name: string): string;
  /** Stops the server and removes its folder. */
  destroy(): void;
}

function pgBin(program: string): string {
  for (const dir of PG_BIN) if (existsSync(join(dir, program))) return join(dir, program);
  throw new Error(`this test needs PostgreSQL's "${program}": install it with \`apt-get install -y postgresql\``);
}

/**
 * A real PostgreSQL on a free loopback port, in a temporary folder, with trust authentication on loopback
 * only. PostgreSQL refuses to run as root, so as root its programs run as the `postgres` user (which the
 * Debian package creates) on a folder it owns.
 */
export async function startPostgres(database = 'motortwin'): Promise<Postgres> {
  const initdb = pgBin('initdb');
  const pgCtl = pgBin('pg_ctl');
  const asRoot = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), 'motortwin-pg-'));
  const dataDir = join(dir, 'data');
  const socketDir = join(dir, 'sock');
  execFileSync('mkdir', ['-p', dataDir, socketDir]);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    for (const d of [dir, dataDir, socketDir]) chownSync(d, uid, gid);
  }
  chmodSync(dataDir, 0o700);
  const run = (program: string, args: string[]) => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
    return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };
  run(initdb, ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  // fsync stays on: the crash tests count on what PostgreSQL acknowledged being on disk.
  const options = `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c max_connections=100`;
  const start = () => run(pgCtl, ['-D', dataDir, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  const stop = (mode: 'fast' | 'immediate' = 'fast') => {
    try {
      run(pgCtl, ['-D', dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
    } catch (e) {
      // Already stopped (a test stopped it, or it never started): nothing to do.
      if (!/Is server running\?|No such file/.test(String((e as { stderr?: string }).stderr ?? e))) throw e;
    }
  };
  start();
  const psql = pgBin('psql');
  const createDatabase = (name: string) => {
    run(psql, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE "${name}"`]);
    return `postgres://postgres@127.0.0.1:${port}/${name}`;
  };
  const url = createDatabase(database);
  return {
    port,
    url,
    database,
    dataDir,
    stop,
    start,
    restart(mode) {
      stop(mode);
      start();
    },
    createDatabase,
    destroy() {
      stop('immediate');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
