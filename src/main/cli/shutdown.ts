import type { Log } from '../platform/log';

export interface ShutdownStep {
  name: string;
  close: () => Promise<void>;
  /** What the step is waiting for, when it overruns (e.g. the engine's current part). */
  detail?: () => string | null;
}

export interface ShutdownOptions {
  deadlineMs?: number;
  /** Run once the deadline has passed: keep what can be kept (the database) before the process exits. */
  lastResort: () => Promise<void>;
  exit?: (code: number) => void;
}

/** Resolves on the first SIGINT or SIGTERM; a second one ends the process the default way. */
export const stopSignal = () =>
  new Promise<NodeJS.Signals>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

/** The handles keeping Node's event loop alive, counted by kind ("TCPSocketWrap ×2, Timeout"). */
const openHandles = () => {
  const counts = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([kind, n]) => (n > 1 ? `${kind} ×${n}` : kind)).join(', ') || 'none';
};

/**
 * Closes the steps in order. A stop must never leave a process that holds the database (the next start
 * is refused as "in use"): if closing, or whatever still holds the process open afterwards, outlasts the
 * deadline, it says in the log what was still open, runs the last resort and exits.
 */
export async function closeWithin(steps: ShutdownStep[], log: Log, opts: ShutdownOptions): Promise<void> {
  const deadlineMs = opts.deadlineMs ?? 10_000;
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let current: ShutdownStep | null = null;
  // Unref'd: it fires only if something else keeps the process alive that long.
  setTimeout(() => {
    const s = (deadlineMs / 1000).toFixed(1);
    if (current) {
      const detail = current.detail?.();
      log.error(`still closing after ${s} s: ${current.name}${detail ? ` (${detail})` : ''}; open handles: ${openHandles()}. Exiting anyway.`);
    } else {
      log.warn(`closed, but after ${s} s the process was still held open by: ${openHandles()}. Exiting anyway.`);
    }
    void opts
      .lastResort()
      .catch((e: Error) => log.error({ err: e }, 'closing the database failed'))
      .finally(() => exit(current ? 1 : 0));
  }, deadlineMs).unref();
  for (const step of steps) {
    current = step;
    await step.close().catch((e: Error) => log.error({ err: e }, `closing ${step.name} failed`));
  }
  current = null;
}
