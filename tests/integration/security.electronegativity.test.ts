import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/cli';
import { tempDir } from '../support/tools';

// Doyensec's Electronegativity over the desktop shell: no finding may stand without a reason in
// security/electronegativity-accepted.json, and the scan makes no connection beyond this machine.

// Loaded before the script: any outbound connection is reported on stderr (the machine has no network anyway).
const GUARD = `data:text/javascript,${encodeURIComponent(
  "import net from 'node:net'; const c = net.Socket.prototype.connect; net.Socket.prototype.connect = function (...a) { const o = a[0]; const h = typeof o === 'object' && o ? o.host : a[1]; if (typeof h === 'string' && !/^(127\\.|::1$|localhost$)/.test(h)) process.stderr.write('OUTBOUND ' + h + '\\n'); return c.apply(this, a); };",
)}`;

const scan = (...inputs: string[]) => spawnSync(process.execPath, ['--import', GUARD, join(ROOT, 'scripts/electronegativity.mjs'), ...inputs], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

describe('electronegativity', () => {
  it('finds nothing unexplained in the main process, the preload and the page, offline', () => {
    const r = scan();
    expect(r.stdout + r.stderr).toMatch(/electronegativity: \d+ findings, \d+ accepted with a reason, 0 unexplained/);
    expect(r.stdout).not.toMatch(/^(FOUND|ERROR) /m);
    expect(r.stderr).not.toMatch(/OUTBOUND/);
    expect(r.status).toBe(0);
  });

  it('fails on an insecure window it has no reason for', () => {
    const dir = tempDir('insecure-shell-');
    mkdirSync(join(dir, 'main'));
    writeFileSync(
      join(dir, 'main/window.js'),
      "const { BrowserWindow, shell } = require('electron');\nconst win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\nwin.webContents.on('new-window', (e, url) => shell.openExternal(url));\n",
    );
    const r = scan(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^FOUND {2}SANDBOX_JS_CHECK /m);
    expect(r.stdout).toMatch(/^FOUND {2}LIMIT_NAVIGATION_GLOBAL_CHECK /m);
    expect(r.stdout).toMatch(/^FOUND {2}CONTEXT_ISOLATION_JS_CHECK /m);
    expect(r.stdout).toMatch(/[1-9]\d* unexplained/);
    expect(r.stderr).not.toMatch(/OUTBOUND/);
  });
});
