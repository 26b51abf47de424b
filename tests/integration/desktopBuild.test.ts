import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/cli';
import { tempDir } from '../support/tools';
import { cspProblems } from '../../src/main/app/security';

// Electron's binary cannot be downloaded on the build machines, so the desktop shell is proven through
// what can be checked without it: it builds, its bundles keep Node and Electron out of the renderer,
// and electron-builder accepts the packaging configuration.
describe('desktop app build', () => {
  it('builds main, the engine utility process, a CommonJS preload and a renderer with a strict CSP', () => {
    // Built aside, so the UI other tests serve from out/ is not rebuilt under them.
    const out = tempDir('desktop-build-');
    execFileSync(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', out, '--logLevel', 'warn'], { cwd: ROOT, stdio: 'pipe' });
    const main = readFileSync(join(out, 'main/index.js'), 'utf8');
    const engine = readFileSync(join(out, 'main/engine.js'), 'utf8');
    const preload = readFileSync(join(out, 'preload/index.cjs'), 'utf8');
    const html = readFileSync(join(out, 'renderer/index.html'), 'utf8');

    expect(main).toMatch(/from "electron"/);
    expect(main).toMatch(/utilityProcess/);
    expect(main).toMatch(/contextIsolation: true/);
    expect(main).toMatch(/sandbox: true/);
    expect(main).toMatch(/nodeIntegration: false/);
    // The engine is plain Node: it must not need Electron to run.
    expect(engine).not.toMatch(/from "electron"|require\("electron"\)/);
    expect(preload).toMatch(/require\("electron"\)/);
    expect(preload).toMatch(/exposeInMainWorld\("motortwin"/);
    // No generic invoke passed through: every invoke names one of the two channels.
    expect(preload).toMatch(/SAVE_EXPORT_CHANNEL = "motortwin:save-export"/);
    expect([...preload.matchAll(/ipcRenderer\.invoke\((\w+)/g)].map((m) => m[1])).toEqual(['SAVE_EXPORT_CHANNEL', 'OPEN_REPORT_CHANNEL']);

    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline/);
    expect(cspProblems(csp)).toEqual([]);
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)![1];
    const bundle = readFileSync(join(out, 'renderer', script), 'utf8');
    expect(bundle).not.toMatch(/require\("(electron|node:\w+|fs|child_process)"\)/);
  }, 120_000);

  it('has a packaging configuration electron-builder accepts, for every platform the issue names', async () => {
    const { getConfig, validateConfiguration } = (await import('app-builder-lib/out/util/config/config.js')) as unknown as {
      getConfig(dir: string, path: string | null, fromOptions: null): Promise<Record<string, unknown>>;
      validateConfiguration(config: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
    };
    const config = await getConfig(ROOT, null, null);
    await validateConfiguration(config, { isEnabled: false, add: () => undefined });
    expect((config.linux as { target: string[] }).target).toEqual(['AppImage', 'deb']);
    expect((config.win as { target: string[] }).target).toEqual(['nsis']);
    expect((config.mac as { target: string[] }).target).toEqual(['dmg']);
    expect(config.asarUnpack).toContain('node_modules/@duckdb/**');
  });
});
