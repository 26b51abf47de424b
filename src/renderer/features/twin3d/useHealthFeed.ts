import { useEffect, useState } from 'react';
import type { Alarm, WaveformAnalysis } from '../../../shared/healthContract';
import { useEngineClient } from '../../engine/EngineProvider';

export interface HealthFeed {
  alarms: Alarm[];
  analysis: WaveformAnalysis | null;
  /** Set when the engine does not answer the health methods (an older engine): overlays go on without. */
  unavailable: string | null;
}

/** The motor's open alarms and its latest waveform analysis, kept current by the engine's events. */
export function useHealthFeed(id: string): HealthFeed {
  const client = useEngineClient();
  const [alarms, setAlarms] = useState<Alarm[]>([]);
  const [analysis, setAnalysis] = useState<WaveformAnalysis | null>(null);
  const [unavailable, setUnavailable] = useState<string | null>(null);

  useEffect(() => {
    if (!client) return;
    let live = true;
    client
      .call('alarms.list', { id, states: ['active_unacked', 'active_acked'] })
      .then((list) => live && setAlarms(list))
      .catch((e: Error) => live && setUnavailable(`alarms unavailable: ${e.message}`));
    client
      .call('waveforms.latest', { id })
      .then((a) => live && setAnalysis(a))
      .catch(() => undefined); // no waveform yet: no dominant frequency, no diagnosis
    const offAlarm = client.on('alarm', ({ alarm }) => {
      if (alarm.motorId !== id) return;
      setAlarms((list) => [...list.filter((a) => a.id !== alarm.id), alarm]);
    });
    const offAnalysis = client.on('waveformAnalysis', (a) => {
      if (a.id === id) setAnalysis(a);
    });
    return () => {
      live = false;
      offAlarm();
      offAnalysis();
    };
  }, [client, id]);

  return { alarms, analysis, unavailable };
}
