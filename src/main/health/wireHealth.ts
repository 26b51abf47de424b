import type { Engine } from '../engine';
import type { EventOf } from '../../shared/contract';

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

/** What a desktop shell needs to notify the user: each newly raised critical alarm, once. */
export function onNewCriticalAlarm(engine: Engine, notify: (n: { title: string; body: string; motorId: string }) => void): () => void {
  const listener = ({ alarm, transition, historical }: EventOf<'alarm'>) => {
    if (alarm.severity === 'critical' && transition.action === 'raise' && !historical) notify({ title: `${alarm.motorId}: ${alarm.condition}`, body: alarm.message, motorId: alarm.motorId });
  };
  engine.on('alarm', listener);
  return () => engine.off('alarm', listener);
}
