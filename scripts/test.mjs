#!/usr/bin/env node
// `npm test`: typecheck, lint, firmware host tests, then the vitest projects one after the other (unit,
// integration, browser): run together they would share two cores with Chromium's software WebGL, and
// timing-sensitive tests (a board unplugged, a broker restarted) would measure the machine, not the code.
// Each step runs even if an earlier one failed, so one run shows every problem; the exit code is the worst.
import { spawnSync } from 'node:child_process';

const steps = [
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['firmware host tests', 'npm', ['run', '--silent', 'test:firmware']],
  ['unit tests', 'npx', ['vitest', 'run', '--project', 'unit', ...process.argv.slice(2)]],
  ['integration tests', 'npx', ['vitest', 'run', '--project', 'integration', ...process.argv.slice(2)]],
  ['browser tests', 'npx', ['vitest', 'run', '--project', 'e2e', ...process.argv.slice(2)]],
];

const results = [];
for (const [name, cmd, args] of steps) {
  const started = Date.now();
  process.stdout.write(`\n=== ${name} ===\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  results.push({ name, ok: r.status === 0, seconds: Math.round((Date.now() - started) / 1000) });
}
process.stdout.write('\n=== summary ===\n');
for (const r of results) process.stdout.write(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.name} (${r.seconds} s)\n`);
const failed = results.filter((r) => !r.ok).length;
process.stdout.write(`steps: ${results.length - failed} passed, ${failed} failed\n`);
process.exit(failed ? 1 : 0);
