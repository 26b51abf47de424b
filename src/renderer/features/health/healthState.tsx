import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { Alarm, HealthSnapshot, WaveformAnalysis } from '../../../shared/healthContract';
import { useEngineClient } from '../../engine/EngineProvider';
import { Store, useStore } from '../../engine/store';
import './health.css';

// What the UI knows about motor health: alarms, each motor's health index, the latest waveform analysis per
// motor. Loaded once per connection, then kept current by the engine's alarm, health and waveform events.

export class HealthState {
  readonly alarms = new Store<ReadonlyMap<string, Alarm>>(new Map());
  readonly health = new Store<ReadonlyMap<string, HealthSnapshot>>(new Map());
  readonly waveforms = new Store<ReadonlyMap<string, WaveformAnalysis>>(new Map());

  putAlarm(a: Alarm): void {
    this.alarms.update((m) => new Map(m).set(a.id, a));
  }

  putHealth(h: HealthSnapshot): void {
    this.health.update((m) => new Map(m).set(h.id, h));
  }

  putWaveform(w: WaveformAnalysis): void {
    this.waveforms.update((m) => new Map(m).set(w.id, w));
  }
}

const HealthContext = createContext<HealthState | null>(null);

export function HealthProvider({ children }: { children: ReactNode }) {
  const client = useEngineClient();
  const [state] = useState(() => new HealthState());
  useEffect(() => {
    if (!client) return;
    const offs = [
      client.on('alarm', ({ alarm }) => state.putAlarm(alarm)),
      client.on('health', (h) => state.putHealth(h)),
      client.on('waveformAnalysis', (w) => state.putWaveform(w)),
    ];
    void Promise.all([client.call('alarms.list', { limit: 2000 }), client.call('health.list', {})]).then(
      ([alarms, health]) => {
        state.alarms.set(new Map(alarms.map((a) => [a.id, a])));
        state.health.set(new Map(health.map((h) => [h.id, h])));
      },
      () => undefined, // the connection dropped: the provider reconnects and this runs again
    );
    return () => offs.forEach((off) => off());
  }, [client, state]);
  return <HealthContext.Provider value={state}>{children}</HealthContext.Provider>;
}

function useHealthState(): HealthState {
  const s = useContext(HealthContext);
  if (!s) throw new Error('useHealthState outside HealthProvider');
  return s;
}

export const useAlarms = () => useStore(useHealthState().alarms);
export const useHealth = (id: string) => useStore(useHealthState().health).get(id);
export const useLatestWaveform = (id: string) => useStore(useHealthState().waveforms).get(id);

export const isUnacked = (a: Alarm) => a.state === 'active_unacked' || a.state === 'cleared_unacked';
export const isShelved = (a: Alarm, now = Date.now()) => a.shelvedUntil !== null && a.shelvedUntil > now;
