import type { Engine } from '../engine';
import type { EventOf } from '../../shared/contract';
import { alarmAlert } from '../../shared/alertRule';

/** Plugs the health part into a running engine: the twins' evaluator seam, waveform blocks, events to the UIs. */
export function wireHealth(engine: Engine): void {
  const h = engine.health;
  engine.twins.addEvaluator(h);
  engine.pipeline.on('waveform', (w) => {
    try {
      h.onWaveform(w.deviceId, w.ts, w.payload);
    } catch (e) {
      // A block the analysis chokes on is that block's problem, never the engine's.
      console.error(`[health] waveform from ${w.deviceId}: ${(e as Error).message}`);
    }
  });
  h.on('alarm', (a) => engine.emit('alarm', a));
  h.on('health', (s) => engine.emit('health', s));
  h.on('waveformAnalysis', (w) => engine.emit('waveformAnalysis', w));
  h.start();
}

/** What a desktop shell needs to notify the user of alarms, by the one alert rule (shared/alertRule.ts): a critical alarm raised or grown, once. */
export function onNewCriticalAlarm(engine: Engine, notify: (n: { title: string; body: string; motorId: string }) => void): () => void {
  const listener = (e: EventOf<'alarm'>) => {
    const a = alarmAlert(e);
    if (a?.desktop) notify({ title: a.title, body: a.body, motorId: a.motorId });
  };
  engine.on('alarm', listener);
  return () => engine.off('alarm', listener);
}
