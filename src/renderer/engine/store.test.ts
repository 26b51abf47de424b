import { describe, expect, it } from 'vitest';
import { Store } from './store';

/** Resolves with what `listener` saw when it was first told of a change. */
function nextPublish<T>(store: Store<unknown>, seen: () => T): Promise<T> {
  return new Promise((resolve) => {
    const off = store.subscribe(() => {
      off();
      resolve(seen());
    });
  });
}

describe('stores publish together', () => {
  it('tells the listeners of every store changed since the last publish in one pass, with the latest values', async () => {
    const twins = new Store(0);
    const live = new Store(0);
    const order: string[] = [];
    const offs = [twins.subscribe(() => order.push(`twins ${twins.get()}`)), live.subscribe(() => order.push(`live ${live.get()}`))];
    // Both in one synchronous pass (one render in React): a microtask queued by the first runs after both.
    const afterFirst = nextPublish(twins, () => new Promise<string[]>((r) => queueMicrotask(() => r([...order]))));
    twins.set(1);
    live.set(1);
    twins.set(2);
    expect(order).toEqual([]);
    expect(await (await afterFirst)).toEqual(['twins 2', 'live 1']);
    for (const off of offs) off();
  });

  it('publishes a store changed again after its publish once more, and one never changed not at all', async () => {
    const a = new Store('a0');
    const quiet = new Store('q');
    let quietTold = 0;
    const off = quiet.subscribe(() => quietTold++);
    const first = nextPublish(a, () => a.get());
    a.set('a1');
    expect(await first).toBe('a1');
    const second = nextPublish(a, () => a.get());
    a.set('a2');
    expect(await second).toBe('a2');
    expect(quietTold).toBe(0);
    off();
  });
});

describe('a store that may wait', () => {
  it('is published with the next prompt store, in the same pass', async () => {
    const status = new Store(0, { within: 60_000 });
    const twins = new Store(0);
    const order: string[] = [];
    const offs = [status.subscribe(() => order.push(`status ${status.get()}`)), twins.subscribe(() => order.push(`twins ${twins.get()}`))];
    const published = nextPublish(status, () => new Promise<string[]>((r) => queueMicrotask(() => r([...order]))));
    status.set(1);
    twins.set(1);
    expect(await (await published)).toEqual(['status 1', 'twins 1']);
    for (const off of offs) off();
  });

  it('is published on its own once its wait is over', async () => {
    const health = new Store('h0', { within: 20 });
    const published = nextPublish(health, () => health.get());
    health.set('h1');
    expect(await published).toBe('h1');
  });
});
