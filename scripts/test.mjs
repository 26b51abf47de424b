#!/usr/bin/env node
// `npm test`: typecheck, lint, firmware host tests, then every vitest project (unit, integration, e2e).
// Each step runs even if an earlier one failed, so one run shows every problem; the exit code is the worst.
import { spawnSync } from 'node:child_process';

const steps = [
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['firmware host tests', 'npm', ['run', '--silent', 'test:firmware']],
  ['unit, integration and browser tests', 'npx', ['vitest', 'run', ...process.argv.slice(2)]],
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
