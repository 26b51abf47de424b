import type { EventName, EventOf, MethodName, ParamsOf, ResultOf } from '../contract';
import { events, methods } from '../contract';
import { RpcError, serverMessageSchema, type Channel } from './envelope';
import { parseResult, type DroppedRecord } from './listResult';

/** What one list result lost to validation; an empty `records` says the latest load lost nothing. */
export interface DroppedRecords {
  method: MethodName;
  records: DroppedRecord[];
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; method: MethodName; timer: ReturnType<typeof setTimeout> };

/** The UI's side of the contract over any Channel; results and events are validated on arrival. */
export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(data: never) => void>>();
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

  on<E extends EventName>(name: E, listener: (data: EventOf<E>) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener as (data: never) => void);
    return () => set.delete(listener as (data: never) => void);
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

  private receive(raw: unknown): void {
    const parsed = serverMessageSchema.safeParse(raw);
    if (!parsed.success) {
      console.warn('engine sent a malformed message', parsed.error.issues[0]);
      return;
    }
    const msg = parsed.data;
    if (msg.kind === 'event') {
      const schema = events[msg.name as EventName];
      const set = this.listeners.get(msg.name);
      if (!schema || !set?.size) return;
      const data = schema.safeParse(msg.data);
      if (!data.success) {
        console.warn(`event ${msg.name} failed validation`, data.error.issues[0]);
        return;
      }
      for (const l of set) (l as (d: unknown) => void)(data.data);
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
