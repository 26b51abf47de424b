import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// A child Node that grows its old generation until V8 starts a full collection, with --trace-gc: V8 marks
// incrementally ("since start of marking" in the trace) unless keepHeapQuietWhenIdle ran, and the memory
// reducer can only start its collections that way.
const GROW = `
  const keep = [];
  for (let i = 0; i < 150; i++) keep.push(new Array(20000).fill(i).map((x) => ({ x })));
  console.log('kept', keep.length);
`;

function traceGc(quiet: boolean): string {
  const setup = quiet ? `const { keepHeapQuietWhenIdle } = await import(${JSON.stringify(resolve(import.meta.dirname, 'quietHeap.ts'))}); keepHeapQuietWhenIdle();` : '';
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--trace-gc', '--input-type=module', '-e', `${setup}${GROW}`], { encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe('keepHeapQuietWhenIdle', () => {
  it('makes full collections atomic, so the memory reducer cannot start one', () => {
    const before = traceGc(false);
    expect(before).toMatch(/Mark-Compact/);
    expect(before).toMatch(/since start of marking/);
    const after = traceGc(true);
    expect(after).toMatch(/Mark-Compact/);
    expect(after).not.toMatch(/since start of marking/);
  });
});
