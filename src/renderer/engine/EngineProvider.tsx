import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { EngineClient } from '../../shared/rpc/client';
import type { ChannelOpener } from './channels';
import { EngineState } from './engineState';
import { useStore } from './store';
import { LIVE_WINDOW_MS } from './liveBuffer';
import { PRIMARY_READINGS } from '../../shared/readings';

interface EngineContextValue {
  state: EngineState;
  /** Null while (re)connecting. */
  client: EngineClient | null;
}

const EngineContext = createContext<EngineContextValue | null>(null);

const RETRY_MS = [500, 1000, 2000, 5000];

/** Opens the engine channel, keeps it open (reconnecting with backoff) and feeds EngineState. */
export function EngineProvider({ open, children }: { open: ChannelOpener; children: ReactNode }) {
  const [state] = useState(() => new EngineState());
  const [client, setClient] = useState<EngineClient | null>(null);

  useEffect(() => {
    let stopped = false;
    let attempt = 0;
    let current: EngineClient | null = null;
    let stopFollowing = () => {};
    let retry: ReturnType<typeof setTimeout> | undefined;

    const connect = async () => {
      state.connection.set({ phase: 'connecting', error: null });
      try {
        const channel = await open();
        if (stopped) return;
        const c = new EngineClient(channel);
        current = c;
        c.onDropped((d) => state.putDropped(d));
        channel.onClose?.(() => {
          if (current === c) lost('the connection to the engine closed');
        });
        const followed = state.follow(c);
        stopFollowing = followed.stop;
        await Promise.all(followed.queries.map((q) => q.ready));
        const error = followed.queries.map((q) => q.current.error).find((e) => e !== null);
        if (error) throw new Error(error);
        void seedLiveHistory(c, state, [...state.twins.get().keys()]);
        attempt = 0;
        state.connection.set({ phase: 'connected', error: null });
        setClient(c);
      } catch (e) {
        lost((e as Error).message);
      }
    };

    const lost = (error: string) => {
      stopFollowing();
      current?.dispose();
      current = null;
      setClient(null);
      if (stopped) return;
      state.connection.set({ phase: 'disconnected', error });
      clearTimeout(retry);
      retry = setTimeout(() => void connect(), RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]);
    };

    void connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      stopFollowing();
      current?.dispose();
    };
  }, [open, state]);

  return <EngineContext.Provider value={{ state, client }}>{children}</EngineContext.Provider>;
}

/** After a (re)load the live buffer is empty; the last minutes come from the engine's history once. */
async function seedLiveHistory(client: EngineClient, state: EngineState, ids: string[]): Promise<void> {
  const to = Date.now();
  const metrics = [...PRIMARY_READINGS];
  for (const id of ids) {
    try {
      const h = await client.call('history.query', { id, metrics, from: to - LIVE_WINDOW_MS, to, maxPoints: 300 });
      state.appendLive(h.t.map((ts, i) => ({ id, ts, values: Object.fromEntries(metrics.map((m) => [m, h.series[m]?.avg[i] ?? null])) })));
    } catch {
      // A motor without history yet simply starts empty.
    }
  }
}

function useEngineContext(): EngineContextValue {
  const ctx = useContext(EngineContext);
  if (!ctx) throw new Error('useEngine outside EngineProvider');
  return ctx;
}

export const useEngineState = () => useEngineContext().state;
export const useEngineClient = () => useEngineContext().client;
export const useTwins = () => useStore(useEngineState().twins);
export const useTwin = (id: string) => useTwins().get(id);
export const useEngineStatus = () => useStore(useEngineState().status);
export const useRejected = () => useStore(useEngineState().rejected);
export const useConnection = () => useStore(useEngineState().connection);
export const useLiveVersion = () => useStore(useEngineState().liveVersion);
export const useLiveTrendVersion = () => useStore(useEngineState().liveTrend);
export const useDroppedRecords = () => useStore(useEngineState().dropped);
