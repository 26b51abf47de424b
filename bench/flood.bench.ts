import { freePort, tempDir, waitFor } from '../tests/support/tools';
import { median, round, type Figure } from './figure';
import { startServe, startTs } from './processCpu';

/** How often the API is asked, as a load balancer's health check or an open page would. */
const ASK_EVERY_MS = 250;

/** Times `/api/health` answers, one call every ASK_EVERY_MS, for `seconds`. */
async function healthTimes(url: string, seconds: number): Promise<number[]> {
  const times: number[] = [];
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const t0 = performance.now();
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(60_000) });
    if (res.status !== 200) throw new Error(`/api/health answered ${res.status} during the flood`);
    await res.json();
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, ASK_EVERY_MS));
  }
  return times;
}

/**
 * The API while one board floods the embedded broker with 50,000 messages/s (QoS 0, tests/support/floodBoard.ts):
 * `motortwin serve` in its own process sheds the flood, and `/api/health` must keep answering.
 * Baseline: the same calls to the same server just before the flood.
 */
export async function benchFlood(opts: { quick: boolean }): Promise<Figure[]> {
  const seconds = opts.quick ? 8 : 30;
  const mqttPort = await freePort();
  const serve = await startServe(['--mqtt-port', String(mqttPort), '--data-dir', tempDir('bench-flood-')]);
  try {
    const quiet = await healthTimes(serve.url!, 3);
    const board = startTs('tests/support/floodBoard.ts', [`mqtt://127.0.0.1:${mqttPort}`, 'flood_01', '50000', String(seconds + 10)]);
    await waitFor('flooding board connected', () => board.output().includes('ready'), 60_000);
    board.child.stdin!.write('go\n');
    const during = await healthTimes(serve.url!, seconds);
    board.child.stdin!.write('stop\n');
    await waitFor('flooding board done', () => /done \d+/.test(board.output()) || board.child.exitCode !== null, 30_000);
    await board.stop();
    const done = /done (\d+) (\d+)/.exec(board.output());
    const sent = done ? Number(done[1]) : 0;
    const quietMedian = median(quiet);
    const floodMedian = median(during);
    const worst = Math.max(...during);
    const what = `${sent} messages reached the broker in ${seconds} s; ${during.length} calls`;
    return [
      {
        name: 'api_health_median_during_flood',
        value: round(floodMedian, 1),
        unit: 'ms',
        baseline: round(quietMedian, 1),
        baselineName: `the same calls just before the flood (median; ${what})`,
        ratio: null,
        goal: '<= 2000 ms median while one board floods 50,000 messages/s',
        pass: floodMedian <= 2000 && sent > 0,
      },
      {
        name: 'api_health_worst_during_flood',
        value: round(worst, 1),
        unit: 'ms',
        baseline: round(Math.max(...quiet), 1),
        baselineName: 'the same calls just before the flood (worst)',
        ratio: null,
        goal: '<= 5000 ms worst while one board floods 50,000 messages/s',
        pass: worst <= 5000 && sent > 0,
      },
    ];
  } finally {
    await serve.stop();
  }
}
