import { median, round, type Figure } from './figure';
import { cpuShare, startTs, type Child } from './processCpu';
import { waitFor } from '../tests/support/tools';

const MOTORS = 50;
const RATE = 500; // 50 motors x 10 Hz, as serve-cpu
/**
 * Left out at the start of a run: V8 is still compiling the message path for its first ~20 s of load (its
 * compiler threads count in the process's CPU), which a broker running all day does once.
 */
const WARM_S = 15;
const MEASURE_S = 15;
/** Left out at the end: the last messages' way in. */
const MARGIN_S = 3;
const BUSY_S = WARM_S + MEASURE_S + MARGIN_S;
const ROUNDS = 3;
const MODES = ['floor', 'bare', 'embedded', 'auth'] as const;
type Mode = (typeof MODES)[number];

/** Messages the broker process has delivered to its in-process subscriber so far. */
async function delivered(node: Child): Promise<number> {
  const before = node.output().length;
  node.child.stdin!.write('?\n');
  const line = await waitFor('count', () => /n (\d+)\n/.exec(node.output().slice(before)), 10_000, 5);
  return Number(line[1]);
}

/** One broker process fed 50 x 10 Hz: CPU s per 1,000 messages over the middle of the run. */
async function once(mode: Mode, nodeArgs: string[] = []): Promise<{ share: number; perK: number }> {
  const node = startTs('bench/brokerFloorNode.ts', [mode], { nodeArgs });
  try {
    const port = Number((await waitFor('broker ready', () => /ready (\d+)/.exec(node.output()), 60_000))[1]);
    const auth = mode === 'auth' ? 'engine:bench-secret@' : '';
    // One connection per motor, as a fleet of boards: each message then arrives on its own.
    const pub = startTs('bench/publisher.ts', [`mqtt://${auth}127.0.0.1:${port}`, String(RATE * BUSY_S), String(MOTORS), String(RATE), String(MOTORS)]);
    await waitFor('publisher connected', () => pub.output().includes('ready'), 60_000);
    const done = new Promise((r) => pub.child.once('exit', r));
    pub.child.stdin!.write('go\n');
    await new Promise((r) => setTimeout(r, WARM_S * 1000));
    const n0 = await delivered(node);
    const { share, cpuS } = await cpuShare(node.pid, MEASURE_S);
    const messages = (await delivered(node)) - n0;
    await done;
    return { share, perK: (cpuS / messages) * 1000 };
  } finally {
    node.child.stdin!.end();
    await new Promise((r) => (node.child.exitCode !== null ? r(null) : node.child.once('exit', r)));
  }
}

/**
 * Issue 16, the embedded broker's share of serve at 50 motors x 10 Hz, each alone in a process with an
 * in-process subscriber that does nothing, fed QoS 1 by bench/publisher.ts over one connection per motor:
 * the floor of any Node broker (aedes's packet parser and a PUBACK per message, nothing else), bare aedes as
 * serve creates it, and our startEmbeddedBroker (MQTT 5 note, topic checks, packet-size cap; then with an
 * account, its login). Rounds alternate the modes so a busy spell of the machine falls on all of them.
 */
export async function benchBrokerFloor(opts: { quick: boolean }): Promise<Figure[]> {
  if (opts.quick) return [];
  const runs = new Map<Mode, Array<{ share: number; perK: number }>>(MODES.map((m) => [m, []]));
  for (let i = 0; i < ROUNDS; i++) for (const m of MODES) runs.get(m)!.push(await once(m));
  const med = (m: Mode) => ({ share: median(runs.get(m)!.map((r) => r.share)), perK: median(runs.get(m)!.map((r) => r.perK)) });
  const says = (m: Mode) => `${round(med(m).share, 2)} % (runs ${runs.get(m)!.map((r) => round(r.share, 1)).join('/')}), ${round(med(m).perK, 3)} CPU s per 1,000 messages`;
  const figure = (m: Mode, base: Mode, name: string, baseName: string): Figure => ({
    name,
    value: round(med(m).share, 2),
    unit: '% of one core',
    baseline: round(med(base).share, 2),
    baselineName: `${baseName}: ${says(base)}; measured: ${says(m)}`,
    ratio: med(base).share > 0 ? round(med(m).share / med(base).share) : null,
    goal: `< 5 % of one core (half of serve's 10 % at 50 motors x 10 Hz)`,
    pass: med(m).share < 5,
  });
  return [
    figure('embedded', 'floor', 'embedded_broker_cpu_share_50x10hz', "the floor of any Node broker (aedes's parser and a PUBACK per message, nothing else)"),
    figure('auth', 'bare', 'embedded_broker_cpu_share_50x10hz_auth', 'bare aedes as serve creates it, no hooks'),
  ];
}
