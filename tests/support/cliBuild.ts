import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Builds `motortwin` (out/cli/) once, fresh, before the tests that spawn it: bin/motortwin.js would rebuild a
 * stale build by itself, but then once per test file, and with a note on stderr that tests check is empty.
 */
export function buildCli(): void {
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../../scripts/cliBuild.mjs')], { stdio: 'inherit' });
}
