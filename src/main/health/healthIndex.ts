import type { SubScore, SubScoreName } from '../../shared/healthContract';
import type { Nameplate } from '../../shared/twin';
import { DIAGNOSIS_CONFIDENCE, FINDING_SCORE, diagnosisFinding, isoZone, nameplateZoneLimits } from './assessment';
import { ALLOWED_RISE_K } from './ruleDefaults';

// The health index: 0-100 from weighted sub-scores, each judged against a standard or the motor's own
// normal. It is computed from the present state every time, so it recovers when the cause goes away
// (unlike the original design's "subtract 0.2 each time"). A weighted mean alone would let one failing part
// hide behind four good ones, so the index is also capped at 20 above its worst sub-score.

export const WEIGHTS: Record<SubScoreName, number> = { thermal: 0.25, vibration: 0.3, speed: 0.1, bearing: 0.2, anomaly: 0.15 };
const WORST_CAP = 20;
/** IEC 60034-1 rates rises at this ambient; used when the board does not report one. */
const RATED_AMBIENT_C = 40;

export interface HealthInput {
  nameplate: Nameplate;
  temperature: number | null;
  ambient: number | null;
  /** Velocity RMS, mm/s: from the board, or from the latest waveform analysis. */
  velocityMmS: number | null;
  velocitySource: string;
  /** Coefficient of variation of recent rpm readings, and their mean. */
  rpmCv: number | null;
  rpmMean: number | null;
  bearing: { fault: string; confidence: number; evidence: string; ageS: number } | null;
  anomaly: { score: number; threshold: number; drivers: { feature: string; z: number }[] } | { learning: string };
}

const clamp = (v: number) => Math.max(0, Math.min(100, v));
/** Piecewise-linear through (x, score) knots, flat outside them. */
function knots(x: number, pts: [number, number][]): number {
  if (x <= pts[0][0]) return pts[0][1];
  for (let i = 1; i < pts.length; i++) {
    const [x0, y0] = pts[i - 1];
    const [x1, y1] = pts[i];
    if (x <= x1) return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return pts[pts.length - 1][1];
}

/**
 * One sub-score, every one built by this one literal: spreading a shared `{ name, weight }` base (its score
 * null, a whole number or a fraction) sent V8 down its slow object-clone path, 2-10 µs a sub-score and most of a
 * health snapshot's cost.
 */
const sub = (name: SubScoreName, score: number | null, reason: string): SubScore => ({ name, weight: WEIGHTS[name], score, reason });

const THERMAL_KNOTS: [number, number][] = [[0.7, 100], [0.9, 60], [1.1, 0]];
const SPEED_CV_KNOTS: [number, number][] = [[0.3, 100], [2, 0]];
const SPEED_DEVIATION_KNOTS: [number, number][] = [[3, 100], [10, 0]];
const ANOMALY_KNOTS: [number, number][] = [[0.5, 100], [1, 60], [2, 0]];

function thermal(i: HealthInput): SubScore {
  if (i.temperature === null) return sub('thermal', null, 'no temperature reading');
  const cls = i.nameplate.insulationClass;
  const allowed = ALLOWED_RISE_K[cls ?? 'B'];
  const ambient = i.ambient ?? RATED_AMBIENT_C;
  const rise = i.temperature - ambient;
  const share = rise / allowed;
  // Up to 70 % of the allowed rise is plain healthy; a frame sensor at the full rise means a hotter winding.
  const score = clamp(knots(share, THERMAL_KNOTS));
  const clsText = cls ? `class ${cls}` : 'class B assumed (set the insulation class on the nameplate)';
  return sub('thermal', score, `rise ${rise.toFixed(1)} K over ${i.ambient === null ? `an assumed ${RATED_AMBIENT_C} C` : 'measured'} ambient is ${(share * 100).toFixed(0)} % of the ${allowed} K allowed for ${clsText}`);
}

function vibration(i: HealthInput): SubScore {
  if (i.velocityMmS === null) return sub('vibration', null, 'no vibration velocity (the board sends no vib_velocity and no waveform arrived)');
  const group = i.nameplate.isoGroup ?? 2;
  const foundation = i.nameplate.foundation ?? 'rigid';
  const z = nameplateZoneLimits(i.nameplate);
  const v = i.velocityMmS;
  const score = clamp(knots(v, [[z.ab, 100], [z.bc, 75], [z.cd, 35], [1.5 * z.cd, 0]]));
  const zone = isoZone(v, i.nameplate);
  const assumed = i.nameplate.isoGroup === null || i.nameplate.foundation === null ? ' (assumed: set group and foundation on the nameplate)' : '';
  return sub('vibration', score, `${v.toFixed(2)} mm/s RMS (${i.velocitySource}) is ISO 20816-3 zone ${zone} for group ${group}, ${foundation}${assumed}; C/D at ${z.cd} mm/s`);
}

function speed(i: HealthInput): SubScore {
  if (i.rpmCv === null || i.rpmMean === null) return sub('speed', null, 'not enough speed readings yet');
  if (i.rpmMean < 1) return sub('speed', null, 'the motor is stopped');
  const cvPct = i.rpmCv * 100;
  let score = clamp(knots(cvPct, SPEED_CV_KNOTS));
  let reason = `speed varies ${cvPct.toFixed(2)} % (coefficient of variation of recent readings)`;
  const rated = i.nameplate.ratedRpm;
  if (rated) {
    const dev = Math.abs(i.rpmMean - rated) / rated;
    const devScore = clamp(knots(dev * 100, SPEED_DEVIATION_KNOTS));
    if (devScore < score) {
      score = devScore;
      reason = `mean speed ${i.rpmMean.toFixed(0)} rpm is ${(dev * 100).toFixed(1)} % from the rated ${rated} rpm`;
    }
  }
  return sub('speed', score, reason);
}

const BEARING_FAULTS = new Set(['outer_race', 'inner_race', 'ball', 'cage']);

/** In the assessment's words (an early-stage defect while the overall level is zone A or B is worth watching). */
function bearing(i: HealthInput): SubScore {
  const b = i.bearing;
  if (!b) return sub('bearing', null, 'no waveform analysed yet');
  const age = b.ageS > 120 ? ` (analysis ${Math.round(b.ageS / 60)} min old)` : '';
  const confidence = `confidence ${(b.confidence * 100).toFixed(0)} %`;
  const f = diagnosisFinding(b, isoZone(i.velocityMmS, i.nameplate));
  if (f && f.level !== 'normal' && BEARING_FAULTS.has(b.fault)) return sub('bearing', FINDING_SCORE[f.level], `${f.text} (${confidence}): ${b.evidence}${age}`);
  if (BEARING_FAULTS.has(b.fault)) return sub('bearing', 85, `possible ${b.fault.replace('_', ' ')} defect, ${confidence}, below the ${DIAGNOSIS_CONFIDENCE * 100} % a finding needs: ${b.evidence}${age}`);
  if (b.fault === 'inconclusive') return sub('bearing', 85, `spectrum inconclusive: ${b.evidence}${age}`);
  return sub('bearing', 100, `no bearing defect lines in the envelope spectrum${age}`);
}

function anomaly(i: HealthInput): SubScore {
  const a = i.anomaly;
  if ('learning' in a) return sub('anomaly', null, a.learning);
  const r = a.score / a.threshold;
  const score = clamp(knots(r, ANOMALY_KNOTS));
  const top = a.drivers.filter((d) => Math.abs(d.z) >= 2).slice(0, 2);
  return sub('anomaly', score, `score ${a.score.toFixed(1)} against a threshold of ${a.threshold.toFixed(1)}${top.length ? `: ${top.map((d) => `${d.feature} ${d.z >= 0 ? '+' : ''}${d.z.toFixed(1)} sigma`).join(', ')}` : ': like its baseline'}`);
}

export interface HealthResult {
  index: number | null;
  subScores: SubScore[];
  pulledDownBy: string[];
}

export function computeHealth(i: HealthInput): HealthResult {
  const subScores = [thermal(i), vibration(i), speed(i), bearing(i), anomaly(i)];
  const known = subScores.filter((s): s is SubScore & { score: number } => s.score !== null);
  if (!known.length) return { index: null, subScores, pulledDownBy: ['no readings to judge the motor by'] };
  const weight = known.reduce((a, s) => a + s.weight, 0);
  const mean = known.reduce((a, s) => a + s.score * s.weight, 0) / weight;
  const worst = known.reduce((a, s) => (s.score < a.score ? s : a));
  const index = Math.round(Math.min(mean, worst.score + WORST_CAP));
  const pulledDownBy = known
    .filter((s) => s.score < 100)
    .sort((a, b) => (a.score - 100) * a.weight - (b.score - 100) * b.weight)
    .map((s) => `${s.name} ${Math.round(s.score)}/100: ${s.reason}`);
  if (index < mean - 0.5) pulledDownBy.unshift(`capped at ${Math.round(worst.score)} + ${WORST_CAP} by the ${worst.name} score`);
  return { index, subScores, pulledDownBy };
}
