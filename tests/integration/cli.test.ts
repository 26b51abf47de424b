import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MotorDatabase } from '../../src/main/store/database';
import { ROOT, runCli, startServe } from '../support/cli';
import { stopProcess, tempDir, waitFor } from '../support/tools';
import type { ChildProcess } from 'node:child_process';

// The `motortwin` command as a user runs it: real processes, real ports, a real database file.

/**
 * Each test's time is mostly the `motortwin` processes it starts one after another, each loading Node and the
 * command's modules (serve and export load DuckDB too): under a second alone, but up to about 10 s each on the
 * two shared cores at a load average of 20-25. So a test gets this much per process it starts.
 */
const PER_PROCESS_MS = 20_000;

describe('motortwin CLI', () => {
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) await stopProcess(c, 'SIGKILL');
  });

  it('runs as `npx motortwin` in the checkout right after `npm install` (prepare builds it)', () => {
    const version = execFileSync('npx', ['--no-install', 'motortwin', '--version'], { cwd: ROOT, encoding: 'utf8' }).trim();
    expect(version).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  }, 2 * PER_PROCESS_MS);

  it('prints help, and a clear usage error for bad options', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/serve .*\n.*sim/s);
    const bad = await runCli(['serve', '--port', 'eighty']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--port must be a whole number/);
    const unknown = await runCli(['fly']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "fly"/);
    const fault = await runCli(['sim', '--fault', 'gremlins']);
    expect(fault.code).toBe(2);
    expect(fault.stderr).toMatch(/--fault must be one of bearing_outer/);
  }, 4 * PER_PROCESS_MS);

  it('refuses a bad serve option before it loads the engine (DuckDB, the broker, LangChain)', async () => {
    // Node's module hooks write down every module the command resolves, as the user's call runs it.
    const dir = tempDir('cli-loaded-');
    const loaded = join(dir, 'loaded.txt');
    writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(loaded)}, r.url + '\\n'); return r; }\n`);
    writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
    const bad = await runCli(['serve', '--port', 'eighty'], PER_PROCESS_MS, { env: { NODE_OPTIONS: `--import ${pathToFileURL(join(dir, 'register.mjs')).href}` } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--port must be a whole number/);
    const modules = readFileSync(loaded, 'utf8');
    expect(modules).toMatch(/node_modules\/zod\//);
    for (const heavy of ['@duckdb/node-api', 'aedes', 'langchain', 'esptool-js', 'pg']) expect(modules).not.toMatch(new RegExp(`node_modules/${heavy}/`));
  }, 2 * PER_PROCESS_MS);

  it('serve + sim + export: a simulated board becomes a twin whose history exports as Parquet', async () => {
    const dataDir = tempDir();
    // Ports the OS picks as serve binds them: one picked free beforehand can be taken by another test run first.
    const serve = await startServe(['--data-dir', dataDir, '--no-sim']);
    children.push(serve.child);
    const url = serve.url;
    const sim = await runCli(['sim', '--broker', serve.mqttUrl, '--id', 'motor_07', '--rate', '20', '--duration', '2']);
    expect(sim.code).toBe(0);
    expect(sim.stdout).toMatch(/simulating motor_07/);
    const twins = await waitFor('motor_07 in /api/twins', async () => {
      const list = (await (await fetch(`${url}/api/twins`)).json()) as Array<{ id: string; readings: Record<string, { value: number }> }>;
      return list.find((t) => t.id === 'motor_07' && t.readings.rpm);
    }, PER_PROCESS_MS);
    expect(twins.readings.rpm.value).toBeGreaterThan(1400);

    // While serve runs its database is locked: the CLI says so and offers --server.
    const locked = await runCli(['export', '--device', 'motor_07', '--out', join(dataDir, 'x.parquet'), '--data-dir', dataDir]);
    expect(locked.code).toBe(1);
    expect(locked.stderr).toMatch(/in use by another MotorTwin process/);
    const viaServer = await runCli(['export', '--device', 'motor_07', '--out', join(dataDir, 'via-server.csv'), '--server', url]);
    expect(viaServer.code).toBe(0);
    expect(existsSync(join(dataDir, 'via-server.csv'))).toBe(true);

    serve.child.kill('SIGINT');
    await new Promise((r) => serve.child.once('exit', r));
    const out = join(dataDir, 'motor_07.parquet');
    const exp = await runCli(['export', '--device', 'motor_07', '--out', out, '--data-dir', dataDir]);
    expect(exp.stderr).toBe('');
    expect(exp.code).toBe(0);
    const db = await MotorDatabase.open(join(tempDir(), 'check.duckdb'));
    const [row] = await db.query(`SELECT count(*) AS n, count(DISTINCT seq) AS d FROM read_parquet('${out}') WHERE device_id = 'motor_07'`);
    db.close();
    expect(row.n).toBeGreaterThanOrEqual(30);
    expect(row.d).toBe(row.n);
  }, 6 * PER_PROCESS_MS);

  it('export and ask reach a server that asks for its token, with --api-token', async () => {
    const token = 'cli-token-0123456789abcdef';
    const dataDir = tempDir();
    const serve = await startServe(['--data-dir', dataDir, '--api-token', token]);
    children.push(serve.child);
    const url = serve.url;
    await waitFor('motor_01 reporting', async () => {
      const r = await fetch(`${url}/api/twins`, { headers: { authorization: `Bearer ${token}` } });
      return ((await r.json()) as Array<{ id: string; readings: Record<string, unknown> }>).find((t) => t.id === 'motor_01' && t.readings.rpm);
    }, PER_PROCESS_MS);
    const out = join(dataDir, 'motor_01.csv');
    const refused = await runCli(['export', '--device', 'motor_01', '--out', out, '--server', url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/401.*API token/);
    const exported = await runCli(['export', '--device', 'motor_01', '--out', out, '--server', url, '--api-token', token]);
    expect(exported.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    const asked = await runCli(['ask', 'How is motor_01?', '--motor', 'motor_01', '--server', url, '--api-token', token, '--json']);
    expect(asked.code).toBe(0);
    expect(JSON.parse(asked.stdout).answer).toMatch(/motor_01/);
  }, 5 * PER_PROCESS_MS);
});
