import { IngestLease, type LeaseOptions } from './ingestLease';
import type { Log } from '../platform/log';

/** What the lease switches: the persistent MQTT sessions of the instance that ingests. */
export interface LeasedParts {
  /** Before ingest resumes: catch up with what the previous holder stored (the duplicate filter's recent keys). */
  catchUp(): Promise<void>;
  resume(): Promise<void>;
  /** Must drop the connections at once: it is the fence. */
  pause(): Promise<void>;
  log: Log;
}

/**
 * Ingest switched by the lease: on taking it, catch up and resume the persistent sessions; on losing it,
 * drop them at once (before the lease can pass to another instance). Switches run one at a time, and
 * each checks the lease again, so a lease lost while resuming leaves ingest stopped.
 */
export async function startLeasedIngest(options: Omit<LeaseOptions, 'log'>, parts: LeasedParts): Promise<IngestLease> {
  const lease = new IngestLease({ ...options, log: parts.log });
  let running = false;
  let chain = Promise.resolve();
  const failed = (what: string) => (e: unknown) => parts.log.error({ err: e }, what);
  const apply = async () => {
    if (lease.active && !running) {
      await parts.catchUp();
      if (!lease.active) return;
      running = true;
      await parts.resume();
    }
    if (!lease.active && running) {
      running = false;
      await parts.pause();
    }
  };
  const settle = () =>
    (chain = chain.then(apply).catch((e) => {
      failed('switching ingest')(e);
      // Holding the lease without ingesting would keep every instance from ingesting: let it go, try again.
      if (lease.active && !running) lease.release(`could not start ingest: ${(e as Error).message}`);
    }));
  lease.on('acquired', settle);
  lease.on('lost', () => {
    // The fence first, outside the queue: a switch in progress must not delay it.
    void parts.pause().catch(failed('stopping ingest'));
    settle();
  });
  await lease.start();
  await chain;
  return lease;
}
