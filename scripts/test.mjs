#!/usr/bin/env node
// `npm test`: typecheck, lint, firmware host tests, the vitest projects one after the other (unit,
// integration, browser), then the quick benchmark against its reference. One after the other: run together
// they would share two cores with Chromium's software WebGL, and timing-sensitive tests (a board unplugged,
// a broker restarted) would measure the machine, not the code.
// Each step runs even if an earlier one failed, so one run shows every problem; the exit code is the worst.
// The summary at the end names every failed test with the first lines of its error: CI keeps only the tail
// of the output, and a failure must be readable from there.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const reports = mkdtempSync(join(tmpdir(), 'motortwin-test-'));
const vitest = (project) => {
  const out = join(reports, `${project}.json`);
  const args = ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json'];
  return { cmd: 'npx', args: [...args, `--outputFile.json=${out}`, ...process.argv.slice(2)], report: out };
};

const steps = [
  { name: 'typecheck', cmd: 'npm', args: ['run', '--silent', 'typecheck'] },
  { name: 'lint', cmd: 'npm', args: ['run', '--silent', 'lint'] },
  { name: 'firmware host tests', cmd: 'npm', args: ['run', '--silent', 'test:firmware'] },
  { name: 'unit tests', ...vitest('unit') },
  { name: 'integration tests', ...vitest('integration') },
  { name: 'browser tests', ...vitest('e2e') },
  // The quick benchmark, gated only on more-than-2x regressions against bench/reference-quick.json.
  { name: 'bench regressions (quick)', cmd: 'npm', args: ['run', '--silent', 'bench', '--', '--quick', '--check=bench/reference-quick.json'] },
];

function failedTests(report) {
  if (!report || !existsSync(report)) return [];
  const json = JSON.parse(readFileSync(report, 'utf8'));
  const failures = [];
  for (const file of json.testResults ?? []) {
    const where = file.name.replace(process.cwd() + '/', '');
    const tests = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    if (!tests.length && file.status === 'failed') failures.push({ where, title: '(file)', message: file.message ?? '' });
    for (const t of tests) failures.push({ where, title: t.fullName ?? t.title, message: (t.failureMessages ?? []).join('\n') });
  }
  return failures;
}

const results = [];
for (const step of steps) {
  const started = Date.now();
  process.stdout.write(`\n=== ${step.name} ===\n`);
  const r = spawnSync(step.cmd, step.args, { stdio: 'inherit' });
  results.push({ name: step.name, ok: r.status === 0, seconds: Math.round((Date.now() - started) / 1000), failures: failedTests(step.report) });
}
process.stdout.write('\n=== summary ===\n');
for (const r of results) {
  process.stdout.write(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.name} (${r.seconds} s)\n`);
  for (const f of r.failures) {
    const message = f.message.split('\n').filter((l) => l.trim()).slice(0, 6).map((l) => `        ${l.trim().slice(0, 200)}`);
    process.stdout.write(`      ✗ ${f.where} > ${f.title}\n${message.join('\n')}\n`);
  }
}
const failed = results.filter((r) => !r.ok).length;
process.stdout.write(`steps: ${results.length - failed} passed, ${failed} failed\n`);
process.exit(failed ? 1 : 0);
