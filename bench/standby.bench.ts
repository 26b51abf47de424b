import { median, round, type Figure } from './figure';
import { startPostgres } from '../tests/support/postgres';
import { pairHealth, startPairInstance, startSeqFleet, type PairInstance } from '../tests/support/standbyPair';
import { startMosquitto, stopProcess, waitFor } from '../tests/support/tools';

// Hand-over of a `serve` pair (issue 15): 50 motors publish at 10 Hz with QoS 1 into Mosquitto, the active
// instance is killed with SIGKILL, and the time is taken from the kill to the standby's first stored row
// (it took the lease, resumed the persistent session and committed what the broker handed it). Each run
// starts a new standby behind the one that took over, so `runs` hand-overs need `runs + 1` instances. The
// baseline is what a plant without a standby waits for: a fresh `serve` started after the kill, from its
// start to its first stored row (a supervisor restarting the dead instance would add its own delay).

const POLL_MS = 25;

async function until<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs: number): Promise<T> {
  return waitFor('the instance', probe, timeoutMs, POLL_MS) as Promise<T>;
}

export async function benchStandby(): Promise<Figure[]> {
  const runs = 3;
  const db = await startPostgres();
  const broker = await startMosquitto();
  const brokerUrl = `mqtt://127.0.0.1:${broker.port}`;
  const instances: PairInstance[] = [];
  const start = async (name: string, dataDir?: string) => {
    const i = await startPairInstance(name, db.url, brokerUrl, dataDir);
    instances.push(i);
    return i;
  };
  const fleet = await startSeqFleet(brokerUrl, 50, 100, 'bench');
  try {
    let active = await start('bench-0');
    await until(async () => (await pairHealth(active.url)).ingest.stored > 0, 60_000);
    const handovers: number[] = [];
    const leaseTaken: number[] = [];
    let spare: string | undefined;
    for (let run = 1; run <= runs; run++) {
      // From the third instance on, the folder of the one killed before (a restarted machine keeps its disk).
      const standby = await start(`bench-${run}`, spare);
      await until(async () => (await pairHealth(standby.url)).ingest_lease?.holder === active.name, 30_000);
      const killedAt = Date.now();
      await stopProcess(active.child, 'SIGKILL');
      let leaseAt = 0;
      const storedAt = await until(async () => {
        const h = await pairHealth(standby.url);
        if (!leaseAt && h.ingest_lease?.role === 'active') leaseAt = Date.now();
        return h.ingest.stored > 0 && Date.now();
      }, 60_000);
      handovers.push((storedAt - killedAt) / 1000);
      leaseTaken.push(((leaseAt || storedAt) - killedAt) / 1000);
      spare = active.dataDir;
      active = standby;
    }
    // No standby this time: kill the active one, then start a fresh instance.
    await stopProcess(active.child, 'SIGKILL');
    const startedAt = Date.now();
    const fresh = await start('bench-cold', spare);
    await until(async () => (await pairHealth(fresh.url)).ingest.stored > 0, 60_000);
    const cold = (Date.now() - startedAt) / 1000;
    const value = median(handovers);
    return [
      {
        name: 'standby_handover_s',
        value: round(value, 2),
        unit: 's',
        baseline: round(cold, 2),
        baselineName: `a fresh serve started after the kill, no standby: start to first stored row (hand-overs ${handovers.map((h) => round(h, 2)).join(', ')} s; lease taken after ${leaseTaken.map((h) => round(h, 2)).join(', ')} s)`,
        ratio: round(value / cold),
        goal: '< 10 s from SIGKILL of the active instance to the standby holding the lease and storing (median of runs), 50 motors at 10 Hz',
        pass: value < 10,
      },
    ];
  } finally {
    await Promise.all(fleet.map((b) => b.stop(5_000)));
    for (const i of instances) await stopProcess(i.child, 'SIGKILL');
    await broker.stop();
    db.destroy();
  }
}
