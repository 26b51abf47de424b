import type { EventName, EventOf } from '../../shared/contract';
import type { EngineClient } from '../../shared/rpc/client';
import type { Store } from './store';
import { STREAMS, type StreamFilter } from '../../shared/streams';

/**
 * How each engine event changes a query's value. A reducer returns the value unchanged for an event that
 * is not its query's, and must be idempotent: an event that arrives while the first answer is on its way
 * may already be in that answer, and is applied to it again.
 */
export type EventReducers<T> = { [E in EventName]?: (value: T, event: EventOf<E>) => T };

export interface LiveQuerySpec<T> {
  /** The first answer (and every reload's). */
  load: (client: EngineClient) => Promise<T>;
  on?: EventReducers<T>;
  /**
   * One motor or port this query is about: its streams that can be narrowed that way carry only that
   * motor's or port's events (the others, such as the port list, come whole).
   */
  filter?: StreamFilter;
  /** Load again this often (for state the engine sends no events about, such as polled devices). */
  refreshMs?: number;
}

export interface QueryResult<T> {
  /** Undefined until the first answer. */
  data: T | undefined;
  /** The latest load's failure; cleared by the next answer. */
  error: string | null;
  loading: boolean;
}

/**
 * One piece of engine state kept current: it subscribes to its events first, then loads, and applies every
 * event on top of the answer. Events that arrive before the answer wait, in order, and are applied to it, so
 * none is lost; while a reload is on its way they change the value shown and wait for the new answer too.
 * `stop()` unsubscribes (the client's last listener for a stream and filter ends the engine's subscription to it).
 */
export class LiveQuery<T> {
  private result: QueryResult<T> = { data: undefined, error: null, loading: true };
  /** Events since the oldest load still on its way; null when no load is. */
  private waiting: ((value: T) => T)[] | null = null;
  private loads = 0;
  private readonly offs: (() => void)[] = [];
  private stopped = false;
  private readonly timer: ReturnType<typeof setInterval> | undefined;
  /** Settles when the first load has answered or failed. */
  readonly ready: Promise<void>;

  constructor(
    private readonly client: EngineClient,
    private readonly spec: LiveQuerySpec<T>,
    private readonly onChange: (result: QueryResult<T>) => void,
  ) {
    const by = spec.filter && ('motor' in spec.filter ? 'motor' : 'port');
    for (const [name, reduce] of Object.entries(spec.on ?? {}) as [EventName, (v: T, e: unknown) => T][]) {
      const filter = STREAMS[name].by === by ? spec.filter : undefined;
      this.offs.push(client.on(name, (event) => this.apply((v) => reduce(v, event)), filter));
    }
    this.ready = this.reload();
    if (spec.refreshMs) this.timer = setInterval(() => void this.reload(), spec.refreshMs);
  }

  get current(): QueryResult<T> {
    return this.result;
  }

  /** Loads again; resolves when this load has answered or failed (never rejects). */
  async reload(): Promise<void> {
    if (this.stopped) return;
    const load = ++this.loads;
    this.waiting ??= [];
    if (!this.result.loading) this.publish({ ...this.result, loading: true });
    try {
      const answer = await this.spec.load(this.client);
      if (this.stopped || load !== this.loads) return;
      const data = (this.waiting ?? []).reduce<T>((v, change) => change(v), answer);
      this.waiting = null;
      this.publish({ data, error: null, loading: false });
    } catch (e) {
      if (this.stopped || load !== this.loads) return;
      this.waiting = null;
      this.publish({ ...this.result, error: (e as Error).message, loading: false });
    }
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    for (const off of this.offs.splice(0)) off();
  }

  private apply(change: (value: T) => T): void {
    if (this.stopped) return;
    this.waiting?.push(change);
    if (this.result.data === undefined) return;
    const data = change(this.result.data);
    if (data !== this.result.data) this.publish({ ...this.result, data });
  }

  private publish(result: QueryResult<T>): void {
    this.result = result;
    this.onChange(result);
  }
}

/** A list keyed by `key`, with `item` in place of the one of the same key, or added at the front. */
export function upsert<T>(list: readonly T[], item: T, key: (t: T) => string, max = Infinity): T[] {
  const k = key(item);
  const i = list.findIndex((x) => key(x) === k);
  if (i >= 0) return list.map((x, j) => (j === i ? item : x));
  return [item, ...list].slice(0, max);
}

/** A map with `value` at `key` (a new map, so readers see the change). */
export function mapPut<K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> {
  return new Map(map).set(key, value);
}

/** A map without `key` (the same map when it had none). */
export function mapDelete<K, V>(map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> {
  if (!map.has(key)) return map;
  const next = new Map(map);
  next.delete(key);
  return next;
}

/** A live query whose value is a Store's, for state many components read (a provider's). */
export function feedStore<T>(client: EngineClient, store: Store<T>, spec: LiveQuerySpec<T>): LiveQuery<T> {
  return new LiveQuery(client, spec, (r) => {
    if (r.data !== undefined) store.set(r.data);
  });
}
