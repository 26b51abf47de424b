import { useCallback, useState, useSyncExternalStore } from 'react';

/** One timer per interval, shared by every component that asks for it. */
interface Clock {
  now: number;
  listeners: Set<() => void>;
  timer: ReturnType<typeof setInterval>;
}

const clocks = new Map<number, Clock>();

function join(everyMs: number, listener: () => void): () => void {
  let clock = clocks.get(everyMs);
  if (!clock) {
    const c: Clock = { now: Date.now(), listeners: new Set(), timer: setInterval(() => tick(c), everyMs) };
    clocks.set(everyMs, (clock = c));
  }
  clock.listeners.add(listener);
  const joined = clock;
  return () => {
    joined.listeners.delete(listener);
    if (joined.listeners.size) return;
    clearInterval(joined.timer);
    clocks.delete(everyMs);
  };
}

function tick(clock: Clock): void {
  clock.now = Date.now();
  for (const l of clock.listeners) l();
}

/**
 * The current time, refreshed every `everyMs` (0: never), so renders stay pure. Every component asking for
 * the same interval shares one timer, so ten fleet cards refresh in one render (one frame), not ten.
 */
export function useNow(everyMs: number): number {
  const [mounted] = useState(() => Date.now());
  const subscribe = useCallback((listener: () => void) => (everyMs ? join(everyMs, listener) : () => {}), [everyMs]);
  // A component that joins a running clock starts from its own first render's time until the next tick.
  return useSyncExternalStore(subscribe, () => Math.max(mounted, clocks.get(everyMs)?.now ?? 0));
}
