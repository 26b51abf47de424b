import type { CriterionResult, Verdict } from '../../shared/benchtestContract';
import type { Criterion, MeasuredStep, Procedure, ProcedureStep } from '../../shared/benchtestProcedure';
import type { Nameplate } from '../../shared/twin';
import { isoZone, zoneLimits } from '../vibration/iso20816';

// The acceptance criteria, judged on the stored data of a run: pure, so a run re-opened later from the
// database gives the same verdict. Every limit is an upper one; a criterion without data is "incomplete".

export interface BenchSample {
  t: number;
  step: string;
  attempt: number;
  temperature: number | null;
  rpm: number | null;
  vibVelocity: number | null;
  ambient: number | null;
}

export interface BenchBlock {
  t: number;
  step: string;
  attempt: number;
  velocityRmsMmS: number;
  oneXMmS: number;
  twoXMmS: number;
  bearingFault: string | null;
  bearingConfidence: number;
}

/** Where the board's calibration stands: "sim" for the simulator, which has none to check. */
export interface CalibrationStatus {
  state: 'ok' | 'missing' | 'expired' | 'sim';
  detail: string;
}

export interface StepOutcome {
  id: string;
  attempt: number;
  valid: boolean;
  done: boolean;
  note: string | null;
}

export interface EvaluationInput {
  procedure: Procedure;
  nameplate: Nameplate;
  samples: BenchSample[];
  blocks: BenchBlock[];
  steps: StepOutcome[];
  calibration: CalibrationStatus;
  aborted: boolean;
}

/** Allowed temperature rise by resistance at 40 °C ambient, IEC 60034-1 / IEC 60085. */
export const ALLOWED_RISE_K = { A: 60, B: 80, F: 105, H: 125 } as const;

export const CRITERION_NAMES: Record<Criterion['kind'], string> = {
  iso_zone: 'Vibration severity (ISO 20816-3 zone)',
  temperature_rise: 'Temperature rise',
  temperature_rise_rate: 'Temperature rise rate',
  speed: 'Speed against nameplate',
  speed_stability: 'Speed stability',
  bearing_tones: 'Bearing defect tones (envelope)',
  line_1x: '1x line (balance)',
  line_2x: '2x line (alignment)',
  sensor_sanity: 'Sensor sanity',
};

const nums = (xs: Array<number | null>) => xs.filter((x): x is number => x !== null && Number.isFinite(x));
export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
export const std = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / Math.max(1, xs.length - 1));
};
/** Least-squares slope of y over t. */
export function slope(points: Array<{ t: number; y: number }>): number {
  const mt = mean(points.map((p) => p.t));
  const my = mean(points.map((p) => p.y));
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.y - my);
    den += (p.t - mt) ** 2;
  }
  return den > 0 ? num / den : 0;
}
const round = (v: number, digits = 3) => Number(v.toPrecision(digits));

/** The speed a step runs at: a speed step's share of the nameplate speed, else the nameplate speed. */
export function targetRpm(step: ProcedureStep | undefined, np: Nameplate): number | null {
  if (!np.ratedRpm) return null;
  return step?.kind === 'speed' ? Math.round((np.ratedRpm * step.speedPct) / 100) : np.ratedRpm;
}

type Judged = Pick<CriterionResult, 'value' | 'limit' | 'unit' | 'detail'> & { result?: CriterionResult['result'] };

function judge(c: Criterion, samples: BenchSample[], blocks: BenchBlock[], np: Nameplate, cal: CalibrationStatus, runSamples: BenchSample[], step: ProcedureStep | undefined): Judged {
  const group = np.isoGroup ?? 2;
  const foundation = np.foundation ?? 'rigid';
  const zones = zoneLimits(group, foundation);
  const none = (unit: string, detail: string, limit: number | null = null): Judged => ({ value: null, limit, unit, detail, result: 'incomplete' });
  switch (c.kind) {
    case 'iso_zone': {
      const v = blocks.length ? blocks.map((b) => b.velocityRmsMmS) : nums(samples.map((s) => s.vibVelocity));
      const top = c.acceptZones.includes('C') ? zones.cd : c.acceptZones.includes('B') ? zones.bc : zones.ab;
      if (!v.length) return none('mm/s', 'no vibration velocity measured', top);
      const value = median(v);
      const z = isoZone(value, group, foundation);
      const from = blocks.length ? `median of ${blocks.length} waveform blocks` : `median of ${v.length} telemetry readings (no waveform blocks)`;
      return { value: round(value), limit: top, unit: 'mm/s', detail: `zone ${z.zone} (${z.meaning}); group ${group}, ${foundation} support; ${from}`, result: (c.acceptZones as string[]).includes(z.zone) ? 'pass' : 'fail' };
    }
    case 'temperature_rise': {
      if (!np.insulationClass) return none('K', 'no insulation class on the nameplate');
      const limit = ALLOWED_RISE_K[np.insulationClass] - c.frameMarginK;
      const temps = samples.filter((s) => s.temperature !== null);
      if (!temps.length) return none('K', 'no temperature readings', limit);
      const end = temps[temps.length - 1].t;
      const start = temps[0].t;
      const last = temps.filter((s) => s.t >= end - 0.2 * (end - start)).map((s) => s.temperature as number);
      const ambients = nums(runSamples.map((s) => s.ambient));
      const firstTemp = nums(runSamples.map((s) => s.temperature))[0];
      const ambient = ambients.length ? median(ambients) : firstTemp;
      const how = ambients.length ? `ambient ${ambient.toFixed(1)} °C measured` : `no ambient sensor: the run's first temperature ${ambient.toFixed(1)} °C taken as ambient`;
      return { value: round(mean(last) - ambient), limit, unit: 'K', detail: `frame ${mean(last).toFixed(1)} °C at the end of the step, ${how}; class ${np.insulationClass} allows ${ALLOWED_RISE_K[np.insulationClass]} K, less ${c.frameMarginK} K margin` };
    }
    case 'temperature_rise_rate': {
      const temps = samples.filter((s) => s.temperature !== null);
      if (temps.length < 3) return none('K/min', 'fewer than 3 temperature readings', c.maxKPerMin);
      const end = temps[temps.length - 1].t;
      const window = temps.filter((s) => s.t >= end - c.windowS).map((s) => ({ t: s.t, y: s.temperature as number }));
      const value = slope(window) * 60;
      return { value: round(value), limit: c.maxKPerMin, unit: 'K/min', detail: `least-squares slope over the last ${c.windowS} s of the step (${window.length} readings)` };
    }
    case 'speed': {
      const target = targetRpm(step, np);
      if (!target) return none('%', 'no rated speed on the nameplate');
      const rpm = nums(samples.map((s) => s.rpm));
      if (!rpm.length) return none('%', 'no speed readings', c.tolerancePct);
      const m = mean(rpm);
      const against = step?.kind === 'speed' ? `the set speed ${target} r/min (${step.speedPct} % of ${np.ratedRpm} r/min on the nameplate)` : `${target} r/min on the nameplate`;
      return { value: round((Math.abs(m - target) / target) * 100), limit: c.tolerancePct, unit: '%', detail: `mean ${m.toFixed(1)} r/min against ${against}` };
    }
    case 'speed_stability': {
      const rpm = nums(samples.map((s) => s.rpm));
      if (rpm.length < 3) return none('r/min', 'fewer than 3 speed readings', c.maxStdRpm);
      return { value: round(std(rpm)), limit: c.maxStdRpm, unit: 'r/min', detail: `standard deviation of ${rpm.length} readings, range ${Math.min(...rpm).toFixed(1)}-${Math.max(...rpm).toFixed(1)} r/min` };
    }
    case 'bearing_tones': {
      if (!blocks.length) return none('', 'no waveform blocks: the envelope spectrum could not be analysed', c.maxConfidence);
      const value = median(blocks.map((b) => b.bearingConfidence));
      const faults = new Map<string, number>();
      for (const b of blocks) if (b.bearingFault && b.bearingConfidence > c.maxConfidence) faults.set(b.bearingFault, (faults.get(b.bearingFault) ?? 0) + 1);
      const named = [...faults].map(([f, n]) => `${f} in ${n}`).join(', ');
      return { value: round(value, 2), limit: c.maxConfidence, unit: '', detail: `median confidence of the strongest bearing finding over ${blocks.length} blocks${named ? `; ${named} of them` : ''}`, result: value < c.maxConfidence ? 'pass' : 'fail' };
    }
    case 'line_1x':
    case 'line_2x': {
      const limit = round(c.shareOfZoneAB * zones.ab);
      if (!blocks.length) return none('mm/s', 'no waveform blocks: no spectrum', limit);
      const v = median(blocks.map((b) => (c.kind === 'line_1x' ? b.oneXMmS : b.twoXMmS)));
      return { value: round(v), limit, unit: 'mm/s', detail: `median over ${blocks.length} blocks; ${c.shareOfZoneAB * 100} % of the zone A/B boundary ${zones.ab} mm/s (group ${group}, ${foundation})` };
    }
    case 'sensor_sanity': {
      if (!samples.length) return none('%', `no readings; calibration: ${cal.detail}`, c.maxMissingPct);
      const missing = samples.filter((s) => s.temperature === null || s.rpm === null).length;
      const value = round((missing / samples.length) * 100);
      const ok = value <= c.maxMissingPct;
      const calOk = cal.state === 'ok' || cal.state === 'sim';
      return { value, limit: c.maxMissingPct, unit: '%', detail: `${missing} of ${samples.length} readings missing; calibration: ${cal.detail}`, result: !ok ? 'fail' : calOk ? 'pass' : 'warn' };
    }
  }
}

/**
 * A measured step with too many missing readings, or a long silence between `fromS` and `nowS` (motor
 * time), is invalid: it proves nothing either way.
 */
export function stepValidity(def: MeasuredStep, s: BenchSample[], fromS: number, nowS: number): ['done' | 'invalid', string | null] {
  if (!s.length) return ['invalid', 'no readings arrived during the step'];
  const missing = (s.filter((x) => x.temperature === null || x.rpm === null).length / s.length) * 100;
  let gap = s[0].t - fromS;
  for (let i = 1; i < s.length; i++) gap = Math.max(gap, s[i].t - s[i - 1].t);
  gap = Math.max(gap, nowS - s[s.length - 1].t);
  if (missing > def.maxMissingPct) return ['invalid', `sensor dropout: ${missing.toFixed(0)} % of readings missing (at most ${def.maxMissingPct} %)`];
  if (gap > def.maxGapS) return ['invalid', `sensor dropout: no reading for ${gap.toFixed(0)} s (at most ${def.maxGapS} s)`];
  return ['done', null];
}

/** Every criterion of the procedure judged on its step's latest attempt, and the run's verdict. */
export function evaluate(inp: EvaluationInput): { verdict: Verdict; criteria: CriterionResult[] } {
  const criteria = inp.procedure.criteria.map((c): CriterionResult => {
    const step = inp.steps.find((s) => s.id === c.step);
    const def = inp.procedure.steps.find((s) => s.id === c.step);
    const name = def?.kind === 'speed' ? `${c.kind === 'speed' ? 'Speed against set speed' : CRITERION_NAMES[c.kind]}, at ${def.speedPct} % speed` : CRITERION_NAMES[c.kind];
    const base = { id: c.id, name, source: c.source, step: c.step };
    const attempt = step?.attempt ?? 0;
    const samples = inp.samples.filter((s) => s.step === c.step && s.attempt === attempt).sort((a, b) => a.t - b.t);
    const blocks = inp.blocks.filter((b) => b.step === c.step && b.attempt === attempt);
    const j = judge(c, samples, blocks, inp.nameplate, inp.calibration, inp.samples, def);
    let result = j.result ?? (j.value === null || j.limit === null ? 'incomplete' : j.value <= j.limit ? 'pass' : 'fail');
    let detail = j.detail;
    if (!step?.done) {
      result = result === 'fail' ? 'fail' : 'incomplete';
      detail = `step "${c.step}" was not completed; ${detail}`;
    } else if (!step.valid && c.kind !== 'sensor_sanity' && result !== 'fail') {
      // An invalid step proves nothing good: what would have passed is not passed.
      result = 'incomplete';
      detail = `step "${c.step}" is invalid (${step.note ?? 'sensor dropout'}); ${detail}`;
    }
    return { ...base, value: j.value, limit: j.limit, unit: j.unit, result, detail };
  });
  const verdict: Verdict = inp.aborted ? 'incomplete' : criteria.some((c) => c.result === 'fail') ? 'fail' : criteria.some((c) => c.result === 'incomplete') ? 'incomplete' : 'pass';
  return { verdict, criteria };
}
