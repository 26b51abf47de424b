import type { EventName, EventOf, MethodName, ParamsOf, ResultOf } from '../contract';
import { events, methods } from '../contract';
import { RpcError, serverMessageSchema, type Channel } from './envelope';
import { parseResult, type DroppedRecord } from './listResult';
import { filterKey, narrowEvent, subscriptionKey, type StreamFilter } from '../streams';

/** What one list result lost to validation; an empty `records` says the latest load lost nothing. */
export interface DroppedRecords {
  method: MethodName;
  records: DroppedRecord[];
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; method: MethodName | null; timer: ReturnType<typeof setTimeout> };

/** One subscription to the engine, shared by every listener of the same stream and filter on this client. */
interface Subscribed {
  stream: EventName;
  /** The filter's motor or port; null for the whole stream. */
  keys: ReadonlySet<string> | null;
  listeners: Set<(data: never) => void>;
}

/** The UI's side of the contract over any Channel; results and events are validated on arrival. */
export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly subscriptions = new Map<string, Subscribed>();
  private readonly droppedListeners = new Set<(d: DroppedRecords) => void>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly channel: Channel,
    private readonly timeoutMs = 30_000,
  ) {
    this.unsubscribe = channel.onMessage((m) => this.receive(m));
  }

  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const id = this.nextId++;
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RpcError('timeout', `${method} got no answer within ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method, timer });
      this.channel.send({ kind: 'call', id, method, params });
    });
  }

  /**
   * Hears a stream's events, all of them or (with a filter) one motor's or one port's. The first listener of
   * a stream and filter subscribes this connection to it and the last one to leave unsubscribes, so any
   * number of components share one subscription; the engine sends nothing nobody here listens to.
   */
  on<E extends EventName>(name: E, listener: (data: EventOf<E>) => void, filter?: StreamFilter): () => void {
    const key = subscriptionKey({ stream: name, filter });
    let sub = this.subscriptions.get(key);
    if (!sub) {
      sub = { stream: name, keys: filter ? new Set([filterKey(filter)]) : null, listeners: new Set() };
      this.subscriptions.set(key, sub);
      this.request('subscribe', name, filter);
    }
    const subscribed = sub;
    subscribed.listeners.add(listener as (data: never) => void);
    return () => {
      if (!subscribed.listeners.delete(listener as (data: never) => void) || subscribed.listeners.size) return;
      this.subscriptions.delete(key);
      this.request('unsubscribe', name, filter);
    };
  }

  /** Hears, after every list result, which of its records failed validation and were left out. */
  onDropped(listener: (d: DroppedRecords) => void): () => void {
    this.droppedListeners.add(listener);
    return () => this.droppedListeners.delete(listener);
  }

  /** Fails every call in flight, e.g. when the connection drops. */
  failAll(message: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new RpcError('disconnected', message));
      this.pending.delete(id);
    }
  }

  dispose(): void {
    this.failAll('client closed');
    this.unsubscribe();
  }

  /** Tells the engine; the stream flows from its reply on. A refusal is a bug in this UI: said, not thrown. */
  private request(kind: 'subscribe' | 'unsubscribe', stream: EventName, filter: StreamFilter | undefined): void {
    const id = this.nextId++;
    const timer = setTimeout(() => this.pending.delete(id), this.timeoutMs);
    const fail = (e: Error) => {
      // A connection that closed takes its subscriptions with it; the next one subscribes afresh.
      if (e instanceof RpcError && e.code === 'disconnected') return;
      console.warn(`${kind} ${subscriptionKey({ stream, filter })} refused: ${e.message}`);
    };
    this.pending.set(id, { resolve: () => undefined, reject: fail, method: null, timer });
    this.channel.send({ kind, id, stream, filter });
  }

  private receive(raw: unknown): void {
    const parsed = serverMessageSchema.safeParse(raw);
    if (!parsed.success) {
      console.warn('engine sent a malformed message', parsed.error.issues[0]);
      return;
    }
    const msg = parsed.data;
    if (msg.kind === 'event') {
      const name = msg.name as EventName;
      const schema = events[name];
      const subs = [...this.subscriptions.values()].filter((s) => s.stream === name);
      if (!schema || !subs.length) return;
      const data = schema.safeParse(msg.data);
      if (!data.success) {
        console.warn(`event ${msg.name} failed validation`, data.error.issues[0]);
        return;
      }
      for (const sub of subs) {
        const mine = sub.keys ? narrowEvent(name, data.data as EventOf<typeof name>, sub.keys) : data.data;
        if (mine !== null) for (const l of [...sub.listeners]) (l as (d: unknown) => void)(mine);
      }
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if (!msg.ok) {
      p.reject(new RpcError(msg.error.code, msg.error.message));
      return;
    }
    if (p.method === null) return p.resolve(msg.result);
    const result = parseResult(methods[p.method].result, msg.result);
    if (!result.ok) {
      p.reject(new RpcError('bad_result', `${p.method} returned an invalid result: ${result.reason}`));
      return;
    }
    if (result.dropped) {
      if (result.dropped.length) console.warn(`${p.method}: ${result.dropped.length} record(s) failed validation and were dropped`, result.dropped);
      for (const l of this.droppedListeners) l({ method: p.method, records: result.dropped });
    }
    p.resolve(result.value);
  }
}
