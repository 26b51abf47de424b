import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startCli } from '../support/cli';
import { freePort, stopProcess, tempDir } from '../support/tools';

// What `npm pack` makes, installed the way a user installs it (globally, into a prefix of its own, from the
// npm cache where it can), then `motortwin serve` from there: no sources, no tsx, no vite, only the build and
// the resources beside it.
describe('the npm package', () => {
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) await stopProcess(c, 'SIGKILL');
  });

  it('packs, installs into a fresh prefix and serves the API, the UI and the shipped Modbus profiles', async () => {
    const dir = tempDir('motortwin-pack-');
    // prepack builds the UI and prepare the command, so the package carries both.
    execFileSync('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: ROOT, stdio: 'pipe' });
    const tgz = readdirSync(dir).find((f) => /^motortwin-.*\.tgz$/.test(f));
    expect(tgz).toBeDefined();
    const prefix = join(dir, 'prefix');
    // --prefer-offline: every dependency's tarball comes from the cache `npm ci` filled; npm still needs
    // each one's registry metadata, which a lockfile install never fetches (see the README).
    execFileSync('npm', ['install', '-g', '--prefer-offline', '--no-audit', '--no-fund', '--prefix', prefix, join(dir, tgz!)], { stdio: 'pipe' });
    const installed = join(prefix, 'lib', 'node_modules', 'motortwin');
    expect(existsSync(join(installed, 'out', 'cli', 'index.js'))).toBe(true);
    expect(existsSync(join(installed, 'out', 'renderer', 'index.html'))).toBe(true);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    expect(existsSync(join(installed, 'node_modules', 'tsx'))).toBe(false);

    const modbusPort = await freePort();
    const serve = await startCli(
      ['serve', '--port', '0', '--mqtt-port', '0', '--no-sim', '--data-dir', join(dir, 'data'), '--modbus', `drive_01@tcp://127.0.0.1:${modbusPort}?unit=1&profile=generic-vfd`],
      /is running: (http\S+)[\s\S]*publish/,
      120_000,
      { command: join(prefix, 'bin', 'motortwin'), cwd: dir },
    );
    children.push(serve.child);
    expect(serve.output()).toMatch(/modbus\s+drive_01.*\(generic-vfd\)/);
    const url = /is running: (http\S+)/.exec(serve.output())![1];
    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: expect.any(String) });
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<script type="module"[^>]+src="\.\/assets\//);
  }, 300_000);
});
