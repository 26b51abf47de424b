import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort, tempDir, waitFor } from '../tests/support/tools';
import { linearSlope, round, type Figure } from './figure';
import { LiveHeap } from './liveHeap';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * Warm-up before measuring: the engine's buffers fill to their bounds in the first minutes (ingest's dedupe
 * windows hold the last 1,024 keys of each board, 102 s at 10 Hz; DuckDB's buffer pool and the allocator's
 * arenas settle meanwhile). Growth until then is filling, not leaking; a 60 s figure taken during it read
 * 54 MB/min on a run whose RSS was flat from the third minute to the tenth.
 */
const WARM_UP_S = 120;
const SAMPLE_MS = 3000;

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Engine memory under a steady 50 motors x 10 Hz: `motortwin serve` in its own process, its RSS sampled
 * from /proc and its live JS heap (after a full GC, through its inspector); the figures are their slopes
 * over `seconds` after the warm-up.
 */
export async function benchSoak(opts: { quick: boolean }): Promise<Figure[]> {
  const seconds = opts.quick ? 60 : 600;
  const [port, mqttPort, inspectPort] = [await freePort(), await freePort(), await freePort()];
  const serve = spawn(process.execPath, [`--inspect=127.0.0.1:${inspectPort}`, resolve(ROOT, 'bin/motortwin.js'), 'serve', '--port', String(port), '--mqtt-port', String(mqttPort), '--data-dir', tempDir('bench-soak-'), '--no-sim'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  serve.stdout.on('data', (d) => (out += d));
  await waitFor('serve', () => out.includes('is running'), 60_000);
  const heapOf = await LiveHeap.connect(inspectPort);
  const count = 500 * (WARM_UP_S + seconds + 30);
  const pub = spawn(process.execPath, [resolve(ROOT, 'bin/run-ts.js'), resolve(ROOT, 'bench/publisher.ts'), `mqtt://127.0.0.1:${mqttPort}`, String(count), '50', '500'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let pubOut = '';
  pub.stdout.on('data', (d) => (pubOut += d));
  await waitFor('publisher', () => pubOut.includes('ready'), 30_000);
  pub.stdin.write('go\n');
  await sleep(2000);
  const startMb = rssMb(serve.pid!);
  const health = async () => (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as { memory: { duckdb_mb: number } };
  await sleep(WARM_UP_S * 1000 - 2000);
  const warmMb = rssMb(serve.pid!);
  const warmDuck = (await health()).memory.duckdb_mb;
  process.stderr.write(`soak: RSS ${round(startMb, 1)} MB at the start, ${round(warmMb, 1)} MB after the ${WARM_UP_S} s warm-up (DuckDB ${warmDuck} MB); measuring ${seconds} s\n`);
  const rss: Array<[number, number]> = [];
  const heap: Array<[number, number]> = [];
  const started = Date.now();
  while (Date.now() - started < seconds * 1000) {
    await sleep(SAMPLE_MS);
    const min = (Date.now() - started) / 60_000;
    heap.push([min, await heapOf.afterGc()]);
    rss.push([min, rssMb(serve.pid!)]);
    // A line a minute, so a run shows where memory goes: RSS, live JS heap and DuckDB's buffers.
    if (rss.length % 20 === 0) process.stderr.write(`soak ${round(WARM_UP_S / 60 + min, 1)} min: RSS ${round(rss.at(-1)![1], 1)} MB, live heap ${round(heap.at(-1)![1], 1)} MB, DuckDB ${(await health()).memory.duckdb_mb} MB\n`);
  }
  // DuckDB's buffers move by tens of MB between checkpoints: said beside the RSS, so a slope can be read.
  const endDuck = (await health()).memory.duckdb_mb;
  heapOf.close();
  pub.kill();
  serve.kill('SIGINT');
  await new Promise((r) => serve.once('exit', r));
  const slope = linearSlope(rss);
  const heapSlope = linearSlope(heap);
  const heapMean = heap.reduce((a, p) => a + p[1], 0) / heap.length;
  process.stderr.write(`soak: ${seconds} s after the warm-up, RSS ${round(rss[0][1], 1)} -> ${round(rss.at(-1)![1], 1)} MB, live heap ${round(heap[0][1], 1)} -> ${round(heap.at(-1)![1], 1)} MB, DuckDB ${warmDuck} -> ${endDuck} MB\n`);
  // Flat means: after the warm-up, growth below 1 % of the footprint per minute.
  const limit = 0.01 * startMb;
  return [
    {
      name: `engine_rss_slope_50x10hz_${seconds}s`,
      value: round(slope, 3),
      unit: 'MB/min',
      baseline: round(startMb, 1),
      baselineName: `RSS at the start of the run, before the ${WARM_UP_S} s warm-up (MB)`,
      ratio: round(slope / startMb, 4),
      goal: `flat after a ${WARM_UP_S} s warm-up: slope < 1 % of starting RSS per minute (< ${round(limit, 2)} MB/min)`,
      pass: slope < limit,
    },
    {
      name: `engine_js_heap_slope_50x10hz_${seconds}s`,
      value: round(heapSlope, 3),
      unit: 'MB/min',
      baseline: round(heapMean, 1),
      baselineName: 'mean live JS heap (after a full GC) over the measured time (MB)',
      ratio: round(heapSlope / heapMean, 4),
      goal: `flat after a ${WARM_UP_S} s warm-up: live heap slope < 1 % of its mean per minute`,
      pass: heapSlope < 0.01 * heapMean,
    },
  ];
}
