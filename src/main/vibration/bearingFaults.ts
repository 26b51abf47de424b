import type { DefectFrequencies } from './bearings';
import type { EnvelopeResult } from './envelope';
import { floorNear, peakNear, type Spectrum } from './spectrum';
import type { Finding, LabelledPeak } from './findings';

// Bearing faults from envelope spectra, read the way Randall & Antoni's tutorial reads them:
// - outer race: BPFO and its harmonics (the defect sits still in the load zone: little modulation);
// - inner race: BPFI and harmonics, with shaft-rate (1x) sidebands as the defect turns through the load zone;
// - ball: 2 x BSF (a ball defect strikes both races once per spin), with cage-rate (FTF) sidebands as the
//   ball carries its defect in and out of the load zone, and its harmonics; weaker and less regular than race
//   faults, so it needs that whole pattern, and no race line as strong, before it is named;
// - cage: FTF in the envelope; it also appears with ball faults and load modulation, so never a confident call.
// Each family is scored on every envelope given (the raw record's and the pre-whitened one's) and keeps its
// best. A line found near a family's frequency but nearer to another family's line (or to a shaft harmonic)
// is not evidence for it: 2 x BSF of a 6205 is 4.71x, 3 % from BPFO + 1x, and a short record cannot tell them
// apart by the search window alone.

type BearingFault = 'outer_race' | 'inner_race' | 'ball' | 'cage';
type Owner = BearingFault | 'shaft';

interface RefLine {
  hz: number;
  label: string;
  owner: Owner;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
/** Line strength: 3x its floor is nothing, 30x is certain. */
export const strength = (snr: number) => clamp01(Math.log10(snr / 3));
const pct = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)} %`;
/** Below this a finding is not even worth an "inconclusive". */
const CAGE_CAP = 0.45;
const BALL_UNDER_RACE_CAP = 0.45;

/** Every line a fault or the shaft puts into an envelope spectrum, with its owner. */
function referenceLines(d: DefectFrequencies, shaftHz: number, maxHz: number): RefLine[] {
  const out: RefLine[] = [];
  for (let k = 1; k * shaftHz <= maxHz; k++) out.push({ hz: k * shaftHz, label: `${k}x`, owner: 'shaft' });
  for (let h = 1; h <= 4; h++) {
    for (const j of [-1, 0, 1]) out.push({ hz: h * d.bpfo + j * shaftHz, label: `${h}xBPFO${j ? (j < 0 ? '-1x' : '+1x') : ''}`, owner: 'outer_race' });
    for (const j of [-2, -1, 0, 1, 2]) out.push({ hz: h * d.bpfi + j * shaftHz, label: `${h}xBPFI${j ? `${j < 0 ? '-' : '+'}${Math.abs(j)}x` : ''}`, owner: 'inner_race' });
    for (const j of [-1, 0, 1]) out.push({ hz: 2 * h * d.bsf + j * d.ftf, label: `${2 * h}xBSF${j ? (j < 0 ? '-FTF' : '+FTF') : ''}`, owner: 'ball' });
    out.push({ hz: h * d.ftf, label: `${h}xFTF`, owner: 'cage' });
  }
  return out;
}

interface Line extends LabelledPeak {
  /** The other line the peak sits nearer to, when there is one: then it is no evidence here. */
  explainedBy: string | null;
}

function lineIn(s: Spectrum, hz: number, label: string, tolShare: number, owner: Owner, refs: RefLine[]): Line {
  const tol = tolShare * hz + 2 * s.df;
  const p = peakNear(s.amplitude, s.df, hz, tol);
  const floor = floorNear(s.amplitude, s.df, hz, Math.max(5, 0.12 * hz), tol);
  const own = Math.abs(p.hz - hz);
  const other = refs.find((r) => r.owner !== owner && Math.abs(p.hz - r.hz) < own);
  return { ...p, label, snr: floor > 0 ? p.amplitude / floor : 0, explainedBy: other ? other.label : null };
}

/** Strength of a line as evidence for its own family. */
const evidence = (l: Line) => (l.explainedBy ? 0 : strength(l.snr));
/** A line and its next harmonic both 6x their floor, neither nearer another family: no chance peak. */
const isSeries = (a: Line, b: Line) => !a.explainedBy && !b.explainedBy && a.snr >= 6 && b.snr >= 6;

interface Scored extends Finding {
  fault: BearingFault;
  /** SNR of the family's own striking-rate line (0 when another line explains it). */
  mainSnr: number;
}

function describe(lines: Line[], sidebands: Line[], nominalHz: number, dominance: number, env: EnvelopeResult): string {
  const [main, ...rest] = lines;
  const off = ((main.hz - nominalHz) / nominalHz) * 100;
  const note = (l: Line) => `${l.label} ${l.snr.toFixed(1)}x${l.explainedBy ? ` (nearer ${l.explainedBy})` : ''}`;
  const sb = sidebands.map((p) => `${p.label} ${p.hz.toFixed(1)} Hz ${note(p).slice(p.label.length + 1)}`);
  return (
    `envelope line at ${main.hz.toFixed(1)} Hz for ${main.label} ${nominalHz.toFixed(1)} Hz (${pct(off)}), ${main.snr.toFixed(1)}x its local floor` +
    `${main.explainedBy ? ` but nearer ${main.explainedBy}` : ''}, ${(dominance * 100).toFixed(0)} % of the strongest envelope line; ${rest.map(note).join(', ')}` +
    `${sb.length ? `; sidebands ${sb.join(', ')}` : ''}${env.whitened ? ' (pre-whitened envelope)' : ''}`
  );
}

function familiesIn(env: EnvelopeResult, d: DefectFrequencies, shaftHz: number): Scored[] {
  const s = env.spectrum;
  const maxHz = 3.5 * Math.max(d.bpfi, d.bpfo, 2 * d.bsf);
  const refs = referenceLines(d, shaftHz, maxHz + 3 * shaftHz);
  let strongest = 0;
  const k0 = Math.max(1, Math.floor((0.3 * shaftHz) / s.df));
  for (let k = k0; k < Math.min(s.amplitude.length, maxHz / s.df); k++) strongest = Math.max(strongest, s.amplitude[k]);
  // Complex-envelope kurtosis: ~0 for noise, about 1 or more for a train of impacts.
  const impulsive = clamp01((env.band.kurtosis - 0.3) / 0.7);
  const dominanceOf = (l: Line) => (strongest > 0 ? Math.min(1, l.amplitude / strongest) : 0);
  const weigh = (lineEvidence: number, main: Line) => lineEvidence * (0.5 + 0.5 * dominanceOf(main)) * (0.4 + 0.6 * impulsive);
  const harmonics = (hz: number, name: string, hs: number[], owner: Owner) =>
    hs.map((h) => lineIn(s, h * hz, h === 1 ? name : `${h}x${name}`, 0.015, owner, refs));
  const sidebands = (main: Line, hz: number, name: string, owner: Owner) =>
    [-1, 1].map((sgn) => lineIn(s, main.hz + sgn * hz, `${main.label}${sgn < 0 ? '-' : '+'}${name}`, 0.005, owner, refs));

  const out: Scored[] = [];
  const outer = harmonics(d.bpfo, 'BPFO', [1, 2, 3], 'outer_race');
  out.push({
    fault: 'outer_race',
    confidence: weigh(0.6 * evidence(outer[0]) + 0.25 * evidence(outer[1]) + 0.15 * evidence(outer[2]), outer[0]),
    evidence: describe(outer, [], d.bpfo, dominanceOf(outer[0]), env),
    peaks: outer,
    series: isSeries(outer[0], outer[1]),
    mainSnr: outer[0].explainedBy ? 0 : outer[0].snr,
  });

  const inner = harmonics(d.bpfi, 'BPFI', [1, 2, 3], 'inner_race');
  const innerSb = sidebands(inner[0], shaftHz, '1x', 'inner_race');
  const innerSupport = Math.max(evidence(inner[2]), (evidence(innerSb[0]) + evidence(innerSb[1])) / 2);
  out.push({
    fault: 'inner_race',
    confidence: weigh(0.6 * evidence(inner[0]) + 0.25 * evidence(inner[1]) + 0.15 * innerSupport, inner[0]),
    evidence: describe(inner, innerSb, d.bpfi, dominanceOf(inner[0]), env),
    peaks: [...inner, ...innerSb],
    series: isSeries(inner[0], inner[1]),
    mainSnr: inner[0].explainedBy ? 0 : inner[0].snr,
  });

  // Ball: the 2 x BSF line alone is at most 0.4; its FTF sidebands or its harmonics make the pattern.
  const ball = harmonics(d.bsf, 'BSF', [2, 4], 'ball');
  const ballSb = sidebands(ball[0], d.ftf, 'FTF', 'ball');
  const pattern = Math.max(Math.min(evidence(ballSb[0]), evidence(ballSb[1])), evidence(ball[1]));
  out.push({
    fault: 'ball',
    confidence: weigh(evidence(ball[0]) * (0.4 + 0.6 * pattern), ball[0]),
    evidence: describe(ball, ballSb, 2 * d.bsf, dominanceOf(ball[0]), env),
    peaks: [...ball, ...ballSb],
    series: isSeries(ball[0], ball[1]),
    mainSnr: ball[0].explainedBy ? 0 : ball[0].snr,
  });

  const cage = harmonics(d.ftf, 'FTF', [1, 2, 3], 'cage');
  out.push({
    fault: 'cage',
    confidence: Math.min(CAGE_CAP, weigh(0.6 * evidence(cage[0]) + 0.25 * evidence(cage[1]) + 0.15 * evidence(cage[2]), cage[0])),
    evidence: describe(cage, [], d.ftf, dominanceOf(cage[0]), env),
    peaks: cage,
    series: isSeries(cage[0], cage[1]),
    mainSnr: cage[0].explainedBy ? 0 : cage[0].snr,
  });
  return out;
}

/**
 * Bearing findings over every envelope given, each family at its best. Race evidence dominates: a ball
 * pattern beside a race line at least as strong, or beside a race finding that is itself worth reporting,
 * stays below 0.5 (at most "inconclusive").
 */
export function bearingFindings(envelopes: EnvelopeResult[], d: DefectFrequencies, shaftHz: number): Finding[] {
  const best = new Map<BearingFault, Scored>();
  for (const env of envelopes) {
    for (const f of familiesIn(env, d, shaftHz)) {
      const prev = best.get(f.fault);
      if (!prev || f.confidence > prev.confidence) best.set(f.fault, f);
    }
  }
  const races = [best.get('outer_race'), best.get('inner_race')].filter((f): f is Scored => !!f);
  const ball = best.get('ball');
  if (ball && races.length) {
    const raceSnr = Math.max(...races.map((r) => r.mainSnr));
    const race = races.reduce((a, b) => (b.confidence > a.confidence ? b : a));
    if (ball.confidence > BALL_UNDER_RACE_CAP && (raceSnr >= ball.mainSnr || race.confidence >= 0.25)) {
      ball.confidence = BALL_UNDER_RACE_CAP;
      ball.evidence += `; a race line as strong (${race.fault} at ${race.confidence.toFixed(2)}) leaves the ball pattern unconfirmed`;
    }
  }
  return [...best.values()].map(({ mainSnr: _m, ...f }) => f);
}
