import { useSyncExternalStore } from 'react';

/** How long state a person reads rather than watches may wait for a frame that telemetry asked for anyway. */
export const READ_NOT_WATCHED_MS = 250;

export interface StoreOptions {
  /**
   * How long a change may wait to be published with another store's (ms; default 0, the next frame). State a
   * person reads rather than watches (the status bar, health indices) waits for the next telemetry frame instead
   * of asking for a frame of its own: every frame costs the page a render and the compositor a frame.
   */
  within?: number;
}

/**
 * A value many components read, changed by engine events. Changes are published at most once per
 * animation frame, and every store changed since the last frame is published in the same callback, so React
 * renders once a frame for all of them (a telemetry batch changes the twins and the live buffer; published
 * in separate callbacks, each was its own render of the fleet).
 */
export class Store<T> {
  private listeners = new Set<() => void>();
  readonly within: number;

  constructor(
    private value: T,
    options: StoreOptions = {},
  ) {
    this.within = options.within ?? 0;
  }

  get = (): T => this.value;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(value: T): void {
    this.value = value;
    schedulePublish(this);
  }

  update(fn: (v: T) => T): void {
    this.set(fn(this.value));
  }

  /** Tells every listener now (the frame scheduler's call). */
  publish(): void {
    for (const l of this.listeners) l();
  }
}

/** Stores changed since the last published frame, in the order they first changed. */
const due = new Set<Store<unknown>>();
let frameAsked = false;
/** A frame asked for later, for stores that may wait: when, and its timer. */
let later: { at: number; timer: ReturnType<typeof setTimeout> } | null = null;

function schedulePublish(store: Store<unknown>): void {
  due.add(store);
  if (frameAsked) return;
  if (!store.within) return askFrame();
  const at = Date.now() + store.within;
  if (later && later.at <= at) return;
  if (later) clearTimeout(later.timer);
  later = { at, timer: setTimeout(askFrame, store.within) };
}

function askFrame(): void {
  if (later) clearTimeout(later.timer);
  later = null;
  if (frameAsked) return;
  frameAsked = true;
  const flush = () => {
    frameAsked = false;
    const stores = [...due];
    due.clear();
    for (const s of stores) s.publish();
  };
  // Hidden tabs get no animation frames; a timer keeps them current.
  if (typeof document !== 'undefined' && document.visibilityState === 'visible') requestAnimationFrame(flush);
  else setTimeout(flush, 100);
}

export function useStore<T>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.get);
}

/**
 * One part of a store's value: the component renders again only when that part changes (`select` must
 * return the same object for the same state, as a map's get does).
 */
export function useStoreSelect<T, U>(store: Store<T>, select: (value: T) => U): U {
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}
