import type { StepState } from '../../shared/benchtestContract';
import type { Procedure } from '../../shared/benchtestProcedure';
import type { Nameplate } from '../../shared/twin';
import { mean, median, targetRpm, type BenchSample } from './criteria';

// What the report shows of speed steps and run-downs, from the stored readings of each step's latest
// attempt: the speed reached and the vibration at each set speed, and how the rotor ran down (time to
// stop, and the vibration peak on the way, which is where a mount or structural resonance shows).

export interface SpeedStepSummary {
  id: string;
  title: string;
  setRpm: number | null;
  meanRpm: number | null;
  velocityMmS: number | null;
  readings: number;
}

export interface RundownSummary {
  id: string;
  title: string;
  fromRpm: number | null;
  stoppedBelowRpm: number;
  /** Motor seconds from the drive switched off to the shaft below `stoppedBelowRpm`; null if it did not stop. */
  stopS: number | null;
  peakVelocityMmS: number | null;
  peakAtRpm: number | null;
  /** Speed against velocity through the run-down, for the plot. */
  curve: Array<{ rpm: number; velocity: number }>;
}

const nums = (xs: Array<number | null>) => xs.filter((x): x is number => x !== null && Number.isFinite(x));
const round = (v: number | null, digits = 3) => (v === null ? null : Number(v.toPrecision(digits)));

function stepReadings(samples: BenchSample[], step: StepState): BenchSample[] {
  return samples.filter((s) => s.step === step.id && s.attempt === step.attempt).sort((a, b) => a.t - b.t);
}

export function speedStepSummaries(procedure: Procedure, np: Nameplate, steps: StepState[], samples: BenchSample[]): SpeedStepSummary[] {
  return procedure.steps.flatMap((def) => {
    const st = steps.find((s) => s.id === def.id);
    if (def.kind !== 'speed' || !st) return [];
    const own = stepReadings(samples, st);
    const rpm = nums(own.map((s) => s.rpm));
    const vel = nums(own.map((s) => s.vibVelocity));
    return [{ id: def.id, title: def.title, setRpm: targetRpm(def, np), meanRpm: rpm.length ? round(mean(rpm), 4) : null, velocityMmS: vel.length ? round(median(vel)) : null, readings: own.length }];
  });
}

export function rundownSummaries(procedure: Procedure, steps: StepState[], samples: BenchSample[]): RundownSummary[] {
  return procedure.steps.flatMap((def) => {
    const st = steps.find((s) => s.id === def.id);
    if (def.kind !== 'rundown' || !st) return [];
    // From the moment the drive went off (a refused command, then the operator's hand, restarts it).
    const from = st.measuredFromS;
    const own = stepReadings(samples, st).filter((s) => s.rpm !== null && (from === null || s.t >= from));
    const stop = own.find((s) => (s.rpm as number) < def.stoppedBelowRpm);
    const withVel = own.filter((s) => s.vibVelocity !== null);
    const peak = withVel.reduce<BenchSample | null>((a, b) => (a === null || (b.vibVelocity as number) > (a.vibVelocity as number) ? b : a), null);
    return [
      {
        id: def.id,
        title: def.title,
        fromRpm: own[0]?.rpm ?? null,
        stoppedBelowRpm: def.stoppedBelowRpm,
        stopS: stop && from !== null ? Math.round(stop.t - from) : null,
        peakVelocityMmS: round(peak?.vibVelocity ?? null),
        peakAtRpm: peak?.rpm ?? null,
        curve: withVel.map((s) => ({ rpm: s.rpm as number, velocity: s.vibVelocity as number })),
      },
    ];
  });
}
