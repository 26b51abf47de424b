import { useSyncExternalStore } from 'react';

/**
 * A value many components read, changed by engine events. Changes are published at most once per
 * animation frame, and every store changed since the last frame is published in the same callback, so React
 * renders once a frame for all of them (a telemetry batch changes the twins and the live buffer; published
 * in separate callbacks, each was its own render of the fleet).
 */
export class Store<T> {
  private listeners = new Set<() => void>();

  constructor(private value: T) {}

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
let scheduled = false;

function schedulePublish(store: Store<unknown>): void {
  due.add(store);
  if (scheduled) return;
  scheduled = true;
  const flush = () => {
    scheduled = false;
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
