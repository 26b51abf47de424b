import type { Alarm, WaveformAnalysis } from '../../../shared/healthContract';
import { upsert } from '../../engine/liveQuery';
import { useEngineQuery, useLiveQuery } from '../../engine/useEngineQuery';

export interface HealthFeed {
  alarms: Alarm[];
  analysis: WaveformAnalysis | null;
  /** Set when the engine does not answer the health methods (an older engine): overlays go on without. */
  unavailable: string | null;
}

/** The motor's open alarms and its latest waveform analysis, kept current by the engine's events. */
export function useHealthFeed(id: string): HealthFeed {
  const alarms = useEngineQuery(
    'alarms.list',
    { id, states: ['active_unacked', 'active_acked'] },
    { filter: { motor: id }, on: { alarm: (list, { alarm }) => (alarm.motorId === id ? upsert(list, alarm, (a) => a.id) : list) } },
  );
  // No waveform yet (an error): no dominant frequency, no diagnosis.
  const analysis = useLiveQuery<WaveformAnalysis | null>(`waveforms.latest ${id}`, {
    load: (c) => c.call('waveforms.latest', { id }),
    filter: { motor: id },
    on: { waveformAnalysis: (a, w) => (w.id === id ? w : a) },
  });
  return { alarms: alarms.data ?? [], analysis: analysis.data ?? null, unavailable: alarms.error === null ? null : `alarms unavailable: ${alarms.error}` };
}
