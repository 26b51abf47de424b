import { freePort, requireTool, startMosquitto, tempDir, waitFor } from '../tests/support/tools';
import { round, type Figure } from './figure';
import { cpuShare, serveReceived, startPublisher, startServe, startTs } from './processCpu';
import { connectFleetPage } from './uiClient';

const MOTORS = 50;
const RATE = 500; // 50 motors x 10 Hz
const IDLE_S = 15;
const BUSY_S = 30;
/** Left out at each end of a publishing run: the publisher's start and the last messages' way in. */
const MARGIN_S = 3;

/** A process's CPU over the middle of a 50 x 10 Hz run, and how many messages `received` counted meanwhile. */
async function underLoad(pid: number, brokerUrl: string, received: () => Promise<number>) {
  const pub = await startPublisher(brokerUrl, MOTORS, RATE, BUSY_S);
  const done = pub.go();
  await new Promise((r) => setTimeout(r, MARGIN_S * 1000));
  const n0 = await received();
  const { share, cpuS } = await cpuShare(pid, BUSY_S - 2 * MARGIN_S);
  const messages = (await received()) - n0;
  await done;
  return { share, cpuS, messages };
}

/**
 * Issue 16: `serve --no-sim` (as a user starts it, in its own process; the publisher in another) idle and fed
 * 50 motors x 10 Hz of QoS 1 telemetry, CPU read from /proc/PID/stat (every thread: DuckDB's too). CPU per
 * 1,000 messages against a bare mqtt.js subscriber that appends the same rows to DuckDB, both behind the same
 * Mosquitto so the broker's work counts for neither. Full runs only: a few seconds of CPU share are noise.
 */
/** How long after its start `serve` is left before idle is measured (see the memory reducer below). */
const SETTLE_S = 40;

export async function benchServeCpu(opts: { quick: boolean }): Promise<Figure[]> {
  if (opts.quick) return [];
  requireTool('mosquitto', 'mosquitto');
  const figures: Figure[] = [];

  // As a user runs it: the embedded broker in the serve process, so its work counts.
  const mqttPort = await freePort();
  const serve = await startServe(['--data-dir', tempDir('bench-serve-cpu-'), '--mqtt-port', String(mqttPort)]);
  try {
    // Idle means after start-up: about 20 s after a start V8 shrinks the heap the start-up grew (its memory
    // reducer: a few full collections on the helper threads, ~2 % of a core for ~15 s, then never again);
    // measured with `node --no-memory-reducer` the same window stays at the settled 0.5 %.
    await new Promise((r) => setTimeout(r, SETTLE_S * 1000));
    const idle = await cpuShare(serve.pid, IDLE_S);
    figures.push({
      name: 'serve_idle_cpu_share',
      value: round(idle.share, 2),
      unit: '% of one core',
      baseline: null,
      ratio: null,
      goal: '< 1 % of one core (serve --no-sim, nothing connected)',
      pass: idle.share < 1,
    });
    const busy = await underLoad(serve.pid, `mqtt://127.0.0.1:${mqttPort}`, () => serveReceived(serve.url!));
    figures.push({
      name: 'serve_cpu_share_50x10hz',
      value: round(busy.share, 1),
      unit: '% of one core',
      baseline: round(idle.share, 2),
      baselineName: `the same serve idle (${busy.messages} messages in ${BUSY_S - 2 * MARGIN_S} s, embedded broker)`,
      ratio: idle.share > 0 ? round(busy.share / idle.share) : null,
      goal: '< 10 % of one core at 50 motors x 10 Hz',
      pass: busy.share < 10,
    });
    // The same load with a browser on the fleet page: what serve spends to keep one UI live.
    const page = await connectFleetPage(serve.url!);
    try {
      const withUi = await underLoad(serve.pid, `mqtt://127.0.0.1:${mqttPort}`, () => serveReceived(serve.url!));
      figures.push({
        name: 'serve_cpu_share_50x10hz_ui',
        value: round(withUi.share, 1),
        unit: '% of one core',
        baseline: round(busy.share, 1),
        baselineName: `the same serve and load with no UI connected; CPU per 1,000 messages ${round((withUi.cpuS / withUi.messages) * 1000, 3)} s with the page (${withUi.messages} messages in, ${page.received()} sent to the page) against ${round((busy.cpuS / busy.messages) * 1000, 3)} s without`,
        ratio: busy.share > 0 ? round(withUi.share / busy.share) : null,
        goal: '< 10 % of one core at 50 motors x 10 Hz with a browser on the fleet page',
        pass: withUi.share < 10,
      });
    } finally {
      page.close();
    }
  } finally {
    await serve.stop();
  }

  const mosquitto = await startMosquitto();
  const url = `mqtt://127.0.0.1:${mosquitto.port}`;
  try {
    const bare = startTs('bench/duckSubscriber.ts', [url, tempDir('bench-bare-duck-')]);
    let bareLoad;
    try {
      await waitFor('bare subscriber ready', () => bare.output().includes('ready'), 60_000);
      // The bare subscriber counts nothing it could be asked for: the publisher's rate is its count.
      const t0 = performance.now();
      bareLoad = await underLoad(bare.pid, url, async () => Math.round(((performance.now() - t0) / 1000) * RATE));
    } finally {
      bare.child.stdin!.end();
      await new Promise((r) => bare.child.once('exit', r));
    }
    const viaMosq = await startServe(['--data-dir', tempDir('bench-serve-cpu-'), '--mqtt', url, '--no-embedded-broker']);
    try {
      await new Promise((r) => setTimeout(r, 5000));
      const load = await underLoad(viaMosq.pid, url, () => serveReceived(viaMosq.url!));
      const perK = (load.cpuS / load.messages) * 1000;
      const barePerK = (bareLoad.cpuS / bareLoad.messages) * 1000;
      figures.push({
        name: 'serve_cpu_s_per_1000_messages',
        value: round(perK, 3),
        unit: 'CPU s',
        baseline: round(barePerK, 3),
        baselineName: `a bare mqtt.js subscriber appending the same rows to DuckDB (bench/duckSubscriber.ts), both behind one Mosquitto at 50 x 10 Hz`,
        ratio: round(perK / barePerK),
        goal: '<= 2 x the bare subscriber',
        pass: perK <= 2 * barePerK,
      });
    } finally {
      await viaMosq.stop();
    }
  } finally {
    await mosquitto.stop();
  }
  return figures;
}

