import { useSyncExternalStore } from 'react';

/**
 * A value many components read, changed by engine events. Changes are published at most once per
 * animation frame, so 10 motors at 10 Hz cost one render per frame, not one per message.
 */
export class Store<T> {
  private listeners = new Set<() => void>();
  private scheduled = false;

  constructor(private value: T) {}

  get = (): T => this.value;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(value: T): void {
    this.value = value;
    this.schedule();
  }

  update(fn: (v: T) => T): void {
    this.set(fn(this.value));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const flush = () => {
      this.scheduled = false;
      for (const l of this.listeners) l();
    };
    // Hidden tabs get no animation frames; a timer keeps them current.
    if (typeof document !== 'undefined' && document.visibilityState === 'visible') requestAnimationFrame(flush);
    else setTimeout(flush, 100);
  }
}

export function useStore<T>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.get);
}
