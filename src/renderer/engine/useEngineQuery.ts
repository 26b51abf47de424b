import { useCallback, useEffect, useRef, useState } from 'react';
import type { MethodName, ParamsOf, ResultOf } from '../../shared/contract';
import { RpcError } from '../../shared/rpc/envelope';
import { useEngineClient } from './EngineProvider';
import { feedStore, LiveQuery, type LiveQuerySpec, type QueryResult } from './liveQuery';
import type { Store } from './store';

// The renderer's one way to read the engine: a LiveQuery per component (or per provider, for state many
// components share), restarted on every new connection; and one way to act on it, useEngineCall.

export interface LiveQueryHandle<T> extends QueryResult<T> {
  /** Loads again, e.g. after an action whose result has no event; resolves when the answer is in. */
  reload: () => Promise<void>;
}

const IDLE: QueryResult<never> = { data: undefined, error: null, loading: false };

/**
 * Follows `spec` while connected and while `key` is not null. A new key (another motor, other parameters)
 * starts afresh (or, with keepPrevious, shows the last key's value until its own is in); a new connection
 * reloads but keeps showing the last value until the answer is in.
 * `spec` is read when the query starts: everything it depends on belongs in `key`.
 */
export function useLiveQuery<T>(key: string | null, spec: LiveQuerySpec<T>, options: { keepPrevious?: boolean } = {}): LiveQueryHandle<T> {
  const client = useEngineClient();
  const specRef = useRef(spec);
  const query = useRef<LiveQuery<T> | null>(null);
  const [state, setState] = useState<{ key: string | null; result: QueryResult<T> }>({ key, result: IDLE });

  useEffect(() => {
    specRef.current = spec;
  });

  useEffect(() => {
    if (!client || key === null) return;
    const q = new LiveQuery(client, specRef.current, (result) =>
      setState((s) => ({ key, result: result.data === undefined && s.key === key ? { ...result, data: s.result.data } : result })),
    );
    query.current = q;
    return () => {
      q.stop();
      if (query.current === q) query.current = null;
    };
  }, [client, key]);

  const reload = useCallback(async () => query.current?.reload(), []);
  // Another key's value is shown only when asked for (a zoomed chart keeps its lines until the new window is in).
  const result = state.key === key ? state.result : { ...IDLE, data: options.keepPrevious ? state.result.data : undefined, loading: key !== null };
  return { ...result, reload };
}

/** Feeds a provider's Store from a live query while connected: state many components read. */
export function useStoreFeed<T>(store: Store<T>, spec: LiveQuerySpec<T>): void {
  const client = useEngineClient();
  const specRef = useRef(spec);
  useEffect(() => {
    specRef.current = spec;
  });
  useEffect(() => {
    if (!client) return;
    const q = feedStore(client, store, specRef.current);
    return () => q.stop();
  }, [client, store]);
}

/** One method's answer, kept current by events (`{ on: { flashProgress: … } }`) or reloads; null params: not now. */
export function useEngineQuery<M extends MethodName>(
  method: M,
  params: ParamsOf<M> | null,
  more: Omit<LiveQuerySpec<ResultOf<M>>, 'load'> = {},
): LiveQueryHandle<ResultOf<M>> {
  const key = params === null ? null : `${method} ${JSON.stringify(params)}`;
  return useLiveQuery<ResultOf<M>>(key, { ...more, load: (c) => c.call(method, params as ParamsOf<M>) });
}

/** Calls one method of the contract now. */
export type EngineCall = <M extends MethodName>(method: M, params: ParamsOf<M>) => Promise<ResultOf<M>>;

/** Calls a method now (an action); rejects with a `disconnected` error while there is no connection. */
export function useEngineCall(): EngineCall {
  const client = useEngineClient();
  return useCallback(
    <M extends MethodName>(method: M, params: ParamsOf<M>) => (client ? client.call(method, params) : Promise.reject(new RpcError('disconnected', 'not connected to the engine'))),
    [client],
  );
}

/** Whether the engine connection is up (actions wait for it). */
export function useConnected(): boolean {
  return useEngineClient() !== null;
}
