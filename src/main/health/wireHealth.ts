import type { EventOf } from '../../shared/contract';
import { alarmAlert } from '../../shared/alertRule';
import type { IngestPipeline } from '../ingest/pipeline';
import type { Emit } from '../platform/eventBus';
import type { TwinRegistry } from '../twin/twinRegistry';
import type { HealthService } from './healthService';
import type { Log } from '../platform/log';

/** Plugs the health part in: the twins' evaluator seam, waveform blocks, events to the UIs. */
export function wireHealth(health: HealthService, ports: { twins: TwinRegistry; pipeline: IngestPipeline; emit: Emit; log: Log }): void {
  ports.twins.addEvaluator(health);
  ports.pipeline.on('waveform', (w) => {
    try {
      health.onWaveform(w.deviceId, w.ts, w.payload);
    } catch (e) {
      // A block the analysis chokes on is that block's problem, never the engine's.
      ports.log.warn({ deviceId: w.deviceId, err: e }, `waveform from ${w.deviceId} not analysed`);
    }
  });
  health.on('alarm', (a) => ports.emit('alarm', a));
  health.on('health', (s) => ports.emit('health', s));
  health.on('waveformAnalysis', (w) => ports.emit('waveformAnalysis', w));
  health.start();
}

type AlarmListener = (e: EventOf<'alarm'>) => void;
interface AlarmEvents {
  on(name: 'alarm', listener: AlarmListener): unknown;
  off(name: 'alarm', listener: AlarmListener): unknown;
}

/** What a desktop shell needs to notify the user of alarms, by the one alert rule (shared/alertRule.ts): a critical alarm raised or grown, once. */
export function onNewCriticalAlarm(bus: AlarmEvents, notify: (n: { title: string; body: string; motorId: string }) => void): () => void {
  const listener = (e: EventOf<'alarm'>) => {
    const a = alarmAlert(e);
    if (a?.desktop) notify({ title: a.title, body: a.body, motorId: a.motorId });
  };
  bus.on('alarm', listener);
  return () => bus.off('alarm', listener);
}
