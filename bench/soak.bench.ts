import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort, tempDir, waitFor } from '../tests/support/tools';
import { linearSlope, round, type Figure } from './figure';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * Engine memory under a steady 50 motors x 10 Hz: `motortwin serve` in its own process, its RSS sampled
 * from /proc; the figure is the slope of RSS over the second half of the run (the first half warms up).
 */
export async function benchSoak(opts: { quick: boolean }): Promise<Figure[]> {
  const seconds = opts.quick ? 60 : 600;
  const [port, mqttPort] = [await freePort(), await freePort()];
  const serve = spawn(process.execPath, [resolve(ROOT, 'bin/motortwin.js'), 'serve', '--port', String(port), '--mqtt-port', String(mqttPort), '--data-dir', tempDir('bench-soak-'), '--no-sim'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  serve.stdout.on('data', (d) => (out += d));
  await waitFor('serve', () => out.includes('is running'), 60_000);
  const count = 500 * seconds;
  const pub = spawn(process.execPath, [resolve(ROOT, 'bin/run-ts.js'), resolve(ROOT, 'bench/publisher.ts'), `mqtt://127.0.0.1:${mqttPort}`, String(count), '50', '500'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let pubOut = '';
  pub.stdout.on('data', (d) => (pubOut += d));
  await waitFor('publisher', () => pubOut.includes('ready'), 30_000);
  pub.stdin.write('go\n');
  const samples: Array<[number, number]> = [];
  const heap: Array<[number, number]> = [];
  const started = Date.now();
  const { readFileSync } = await import('node:fs');
  while (Date.now() - started < seconds * 1000) {
    await new Promise((r) => setTimeout(r, 2000));
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${serve.pid}/status`, 'utf8'))?.[1]);
    samples.push([(Date.now() - started) / 60_000, rssKb / 1024]);
    const health = (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as { memory: { heap_used_mb: number; duckdb_mb: number } };
    heap.push([(Date.now() - started) / 60_000, health.memory.heap_used_mb]);
    // A line a minute, so a run shows where memory goes: RSS, JS heap and DuckDB's buffers.
    if (samples.length % 30 === 0) process.stderr.write(`soak ${round(samples.at(-1)![0], 1)} min: RSS ${round(rssKb / 1024, 1)} MB, heap ${health.memory.heap_used_mb} MB, DuckDB ${health.memory.duckdb_mb} MB\n`);
  }
  pub.kill();
  serve.kill('SIGINT');
  await new Promise((r) => serve.once('exit', r));
  const half = samples.slice(Math.floor(samples.length / 2));
  const slope = linearSlope(half);
  const heapHalf = heap.slice(Math.floor(heap.length / 2));
  const heapSlope = linearSlope(heapHalf);
  const heapMean = heapHalf.reduce((a, p) => a + p[1], 0) / heapHalf.length;
  const startMb = samples[0][1];
  const endMb = samples[samples.length - 1][1];
  process.stderr.write(`soak: ${seconds} s, RSS ${round(startMb, 1)} -> ${round(endMb, 1)} MB\n`);
  // Flat means: over the second half, growth below 1 % of the footprint per minute.
  const limit = 0.01 * startMb;
  return [
    {
      name: `engine_rss_slope_50x10hz_${seconds}s`,
      value: round(slope, 3),
      unit: 'MB/min',
      baseline: round(startMb, 1),
      baselineName: 'RSS at the start of the run (MB)',
      ratio: round(slope / startMb, 4),
      goal: `flat: slope < 1 % of starting RSS per minute (< ${round(limit, 2)} MB/min)`,
      pass: slope < limit,
    },
    {
      name: `engine_js_heap_slope_50x10hz_${seconds}s`,
      value: round(heapSlope, 3),
      unit: 'MB/min',
      baseline: round(heapMean, 1),
      baselineName: 'mean JS heap over the second half (MB)',
      ratio: round(heapSlope / heapMean, 4),
      goal: 'flat: slope < 1 % of the mean heap per minute',
      pass: heapSlope < 0.01 * heapMean,
    },
  ];
}
