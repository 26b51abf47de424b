import type { ChildProcess } from 'node:child_process';
import { startCli } from './cli';
import { startSeqBoard, type SeqBoard } from './seqBoard';
import { tempDir } from './tools';

/** One `motortwin serve` of a pair on a shared PostgreSQL store and external broker. */
export interface PairInstance {
  name: string;
  child: ChildProcess;
  url: string;
  dataDir: string;
  output(): string;
}

export interface PairHealth {
  ingest: { received: number; stored: number; duplicates: number };
  ingest_lease: { role: 'active' | 'standby'; instance: string; holder: string | null; since: string | null; store_reachable: boolean } | null;
}

/**
 * `serve --store URL --mqtt URL --no-embedded-broker --instance-name NAME`, each with its own data folder (a
 * new one unless given: a machine restarted keeps its folder, and a first start imports the starter manuals).
 */
export async function startPairInstance(name: string, storeUrl: string, brokerUrl: string, dataDir = tempDir()): Promise<PairInstance> {
  const args = ['serve', '--port', '0', '--store', storeUrl, '--mqtt', brokerUrl, '--no-embedded-broker', '--no-sim', '--data-dir', dataDir, '--instance-name', name];
  const s = await startCli(args, /is running: (http\S+)/, 120_000);
  return { name, child: s.child, url: /is running: (http\S+)/.exec(s.output())![1], dataDir, output: s.output };
}

export async function pairHealth(url: string): Promise<PairHealth> {
  return (await (await fetch(`${url}/api/health`)).json()) as PairHealth;
}

/** `count` boards publishing QoS 1 readings with sequence numbers every `everyMs` (50 at 100 ms: 50 motors at 10 Hz). */
export async function startSeqFleet(brokerUrl: string, count: number, everyMs: number, prefix = 'm'): Promise<SeqBoard[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => startSeqBoard(brokerUrl, `${prefix}_${String(i).padStart(2, '0')}`, { everyMs })));
}
