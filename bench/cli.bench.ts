import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { SHARED_DATA } from '../src/main/vibration/testData';
import { median, round, type Figure } from './figure';

// How long a `motortwin` call takes from the shell's point of view (wall time of the whole process), as
// scripts calling it in a loop see it: `--help`, and `analyze` of a 10.1 s recording (CWRU record 105, 12 kHz)
// end to end. Each against a bare `node -e ""` started in the same run, the three interleaved so that a load
// drifting during the measurement touches all alike; medians over the runs. Through bin/motortwin.js in
// this checkout, so the check of the build against its sources is included (an installed package skips it).

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'motortwin.js');
const RECORDING = join(SHARED_DATA, 'cwru', 'IR007_0.mat');

function wallSeconds(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  const s = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  return s;
}

export async function benchCli(opts: { quick: boolean }): Promise<Figure[]> {
  // A fresh build first: the launcher would otherwise rebuild on the first measured call.
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'cliBuild.mjs')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`the CLI build failed: ${build.stderr}`);
  const runs = opts.quick ? 5 : 11;
  const bare: number[] = [];
  const help: number[] = [];
  const analyze: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(wallSeconds(['-e', '']));
    help.push(wallSeconds([BIN, '--help']));
    analyze.push(wallSeconds([BIN, 'analyze', RECORDING, '--fs', '12000', '--rpm', '1797', '--bearing', '6205', '--json']));
  }
  const base = median(bare);
  const figure = (name: string, xs: number[], goalS: number, what: string): Figure => ({
    name,
    value: round(median(xs), 3),
    unit: 's',
    baseline: round(base, 3),
    baselineName: `node -e "" (median of ${runs}, interleaved with ${what})`,
    ratio: round(median(xs) / base),
    goal: `< ${goalS} s wall`,
    pass: median(xs) < goalS,
  });
  return [figure('cli_help_wall', help, 0.5, '`motortwin --help`'), figure('cli_analyze_10s_recording_wall', analyze, 1, '`motortwin analyze` of a 10.1 s 12 kHz recording')];
}
