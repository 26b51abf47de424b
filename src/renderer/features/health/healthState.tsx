import { createContext, useContext, useState, type ReactNode } from 'react';
import type { Alarm, HealthSnapshot, WaveformAnalysis } from '../../../shared/healthContract';
import { mapPut } from '../../engine/liveQuery';
import { READ_NOT_WATCHED_MS, Store, useStore, useStoreSelect } from '../../engine/store';
import { useStoreFeed } from '../../engine/useEngineQuery';
import './health.css';

// What the UI knows about motor health: alarms, each motor's health index, the latest waveform analysis per
// motor. Loaded on every connection, then kept current by the engine's alarm, health and waveform events.

export class HealthState {
  readonly alarms = new Store<ReadonlyMap<string, Alarm>>(new Map());
  /** Health indices move slowly and are read, not watched: they ride on telemetry's frames. */
  readonly health = new Store<ReadonlyMap<string, HealthSnapshot>>(new Map(), { within: READ_NOT_WATCHED_MS });
  readonly waveforms = new Store<ReadonlyMap<string, WaveformAnalysis>>(new Map(), { within: READ_NOT_WATCHED_MS });
}

const HealthContext = createContext<HealthState | null>(null);

export function HealthProvider({ children }: { children: ReactNode }) {
  const [state] = useState(() => new HealthState());
  useStoreFeed(state.alarms, {
    load: async (c) => new Map((await c.call('alarms.list', { limit: 2000 })).map((a) => [a.id, a])),
    on: { alarm: (m, { alarm }) => mapPut(m, alarm.id, alarm) },
  });
  useStoreFeed(state.health, { load: async (c) => new Map((await c.call('health.list', {})).map((h) => [h.id, h])), on: { health: (m, h) => mapPut(m, h.id, h) } });
  // The engine has no list of the latest analyses: they come as blocks are analysed.
  useStoreFeed(state.waveforms, { load: async () => new Map(), on: { waveformAnalysis: (m, w) => mapPut(m, w.id, w) } });
  return <HealthContext.Provider value={state}>{children}</HealthContext.Provider>;
}

function useHealthState(): HealthState {
  const s = useContext(HealthContext);
  if (!s) throw new Error('useHealthState outside HealthProvider');
  return s;
}

export const useAlarms = () => useStore(useHealthState().alarms);
/** One motor's health: its component renders again when that motor's health changes, not another's. */
export const useHealth = (id: string) => useStoreSelect(useHealthState().health, (m) => m.get(id));
export const useLatestWaveform = (id: string) => useStore(useHealthState().waveforms).get(id);

export const isUnacked = (a: Alarm) => a.state === 'active_unacked' || a.state === 'cleared_unacked';
export const isShelved = (a: Alarm, now = Date.now()) => a.shelvedUntil !== null && a.shelvedUntil > now;
