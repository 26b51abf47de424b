import { useState } from 'react';
import type { AnomalyStatus, VibrationLevels } from '../../../shared/healthContract';
import { useTwin } from '../../engine/EngineProvider';
import { useConnected, useEngineCall } from '../../engine/useEngineQuery';
import { formatDateTime } from '../../ui/format';

// The motor's anomaly baseline in words: learning (how much of its window of running), or scored against the
// baseline of its present operating state; the warm-up model's time constant; the "learn baseline now" button
// (which starts the window again); and the ISO 20816-3 zone with the ALERT and TRIP levels set from the baseline.

const mmS = (v: number) => `${v.toFixed(2)} mm/s`;
const zoneOf = (v: number, l: VibrationLevels['limits']) => (v < l.ab ? 'A' : v < l.bc ? 'B' : v < l.cd ? 'C' : 'D');

function tauText(w: NonNullable<AnomalyStatus['warmUp']>): string {
  const min = w.tauS / 60;
  return `warm-up modelled with a thermal time constant of ${min < 10 ? min.toFixed(1) : Math.round(min)} min (${w.tauSource === 'typical' ? 'typical value until one is learned' : `from the ${w.tauSource === 'nameplate' ? 'nameplate' : 'warm-ups seen'}`})`;
}

export function BaselineStatus({ id, anomaly: a }: { id: string; anomaly: AnomalyStatus | undefined }) {
  const call = useEngineCall();
  const connected = useConnected();
  const [message, setMessage] = useState<string | null>(null);
  const learn = async () => {
    try {
      const s = await call('anomaly.learnBaseline', { id });
      setMessage(`Learning again: ${s.note}`);
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  const scored = a && a.phase === 'scoring' && a.score !== null;
  return (
    <div className="baseline-status small" data-testid="anomaly-status">
      <div className="inline-form">
        <span className="muted" data-testid="anomaly-note">
          Anomaly detection: {!a ? '–' : a.note}
          {scored && ` (score ${a.score!.toFixed(1)} / ${a.threshold?.toFixed(1)}${a.abnormal ? ', abnormal' : ''})`}
          {a?.learnedAt ? `; baseline from ${formatDateTime(a.learnedAt)}` : ''}
        </span>
        <button onClick={() => void learn()} disabled={!connected} title="Start learning the baseline again from the next readings: the motor's behaviour from now on is its normal" data-testid="learn-baseline">
          Learn baseline now
        </button>
        {message && <span data-testid="learn-baseline-result">{message}</span>}
      </div>
      {a?.warmUp && <div className="muted">{tauText(a.warmUp)}</div>}
      {a?.vibrationLevels && <IsoLevels id={id} levels={a.vibrationLevels} />}
    </div>
  );
}

function IsoLevels({ id, levels: v }: { id: string; levels: VibrationLevels }) {
  const velocity = useTwin(id)?.readings.vib_velocity?.value ?? null;
  const zone = velocity === null ? null : zoneOf(velocity, v.limits);
  return (
    <div data-testid="iso-levels" title={`${v.basis}; zones A/B ${v.limits.ab}, B/C ${v.limits.bc}, C/D ${v.limits.cd} mm/s. ${v.how}.`}>
      {zone ? (
        <span className={`iso-zone zone-${zone}`}>
          ISO zone {zone} ({mmS(velocity!)})
        </span>
      ) : (
        <span className="muted">ISO zone: no velocity reading</span>
      )}
      {' · '}
      <span data-testid="iso-alert">ALERT {mmS(v.alertMmS)}</span>
      {' · '}
      <span data-testid="iso-trip">TRIP {mmS(v.tripMmS)}</span>
      <span className="muted"> {v.baselineMmS === null ? '(no baseline yet: ALERT at the B/C boundary)' : `(baseline ${mmS(v.baselineMmS)}, zone ${v.baselineZone})`}</span>
    </div>
  );
}
