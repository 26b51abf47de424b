import { ballPattern } from './ballFault';
import type { DefectFrequencies } from './bearings';
import type { EnvelopeResult } from './envelope';
import { BALL_CAP, CAGE_CAP, clamp01, describe, evidence, isSeries, lineIn, type BearingFault, type Line, type Owner, type RefLine, type Scored } from './envelopeLines';
import type { Finding } from './findings';

// Bearing faults from envelope spectra, read the way Randall & Antoni's tutorial reads them:
// - outer race: BPFO and its harmonics (the defect sits still in the load zone: little modulation);
// - inner race: BPFI and harmonics, with shaft-rate (1x) sidebands as the defect turns through the load zone;
// - ball: 2 x BSF (a ball defect strikes both races once per spin), with cage-rate (FTF) sidebands as the
//   ball carries its defect in and out of the load zone, and its harmonics; weaker and less regular than race
//   faults, so it needs that whole pattern, and no race line as strong, before it is named. On a 6205 the
//   pattern sits within 1.4 % of cage harmonics (2 x BSF = 11.8 x FTF; BPFO = 9 x FTF, so an outer-race
//   defect struck unequally by the balls puts BPFO + 2, 3, 4 x FTF right there): its lines count only when
//   nearer the ball's lines than any FTF harmonic, and a confident call needs the pattern to score higher at
//   2 x BSF than the same comb (FTF-spaced, with its harmonic) anywhere else from -25 % to +25 %;
// - cage: FTF in the envelope; it also appears with ball faults and load modulation, so never a confident call.
// Each family is scored on every envelope given (the raw record's and the pre-whitened one's) and keeps its
// best. A line found near a family's frequency but nearer to another family's line (or to a shaft harmonic)
// is not evidence for it: 2 x BSF of a 6205 is 4.71x, 3 % from BPFO + 1x, and a short record cannot tell them
// apart by the search window alone.

/** How much taller than any race's striking-rate line the 2xBSF line must be for a confident ball call. */
const RACE_MARGIN = 1.5;

/** Every line a fault or the shaft puts into an envelope spectrum, with its owner. */
function referenceLines(d: DefectFrequencies, shaftHz: number, maxHz: number): RefLine[] {
  const out: RefLine[] = [];
  for (let k = 1; k * shaftHz <= maxHz; k++) out.push({ hz: k * shaftHz, label: `${k}x`, owner: 'shaft' });
  for (let h = 1; h <= 4; h++) {
    for (const j of [-1, 0, 1]) out.push({ hz: h * d.bpfo + j * shaftHz, label: `${h}xBPFO${j ? (j < 0 ? '-1x' : '+1x') : ''}`, owner: 'outer_race' });
    for (const j of [-2, -1, 0, 1, 2]) out.push({ hz: h * d.bpfi + j * shaftHz, label: `${h}xBPFI${j ? `${j < 0 ? '-' : '+'}${Math.abs(j)}x` : ''}`, owner: 'inner_race' });
    for (const j of [-1, 0, 1]) out.push({ hz: 2 * h * d.bsf + j * d.ftf, label: `${2 * h}xBSF${j ? (j < 0 ? '-FTF' : '+FTF') : ''}`, owner: 'ball' });
  }
  return out;
}

/** Cage harmonics up to maxHz (FTF and every BPFO ± k x FTF), leaving out those that are another family's line. */
function cageComb(d: DefectFrequencies, maxHz: number, refs: RefLine[]): RefLine[] {
  const out: RefLine[] = [];
  for (let k = 1; k * d.ftf <= maxHz; k++) {
    const hz = k * d.ftf;
    if (!refs.some((r) => Math.abs(r.hz - hz) < 1e-3 * hz)) out.push({ hz, label: `${k}xFTF`, owner: 'cage' });
  }
  return out;
}

function familiesIn(env: EnvelopeResult, d: DefectFrequencies, shaftHz: number): Scored[] {
  const s = env.spectrum;
  const maxHz = 3.5 * Math.max(d.bpfi, d.bpfo, 2 * d.bsf);
  const refs = referenceLines(d, shaftHz, maxHz + 3 * shaftHz);
  // Only the ball's lines are checked against the cage comb: BPFI's 1x sidebands also sit near FTF harmonics.
  const cageRefs = [...refs, ...cageComb(d, maxHz + 3 * shaftHz, refs)];
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

  out.push(ballPattern(env, d, cageRefs, weigh, dominanceOf));
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
 * pattern beside a race line nearly as strong, or beside a race finding that is itself worth reporting,
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
    // A ball call needs evidence clearly stronger than any race explanation: its 2xBSF line half as tall
    // again as the tallest race line, and no race finding worth an "inconclusive".
    if (ball.confidence > BALL_CAP && (RACE_MARGIN * raceSnr >= ball.mainSnr || race.confidence >= 0.25)) {
      ball.confidence = BALL_CAP;
      ball.evidence += `; a race explanation close behind (${race.fault} at ${race.confidence.toFixed(2)}, its line ${raceSnr.toFixed(1)}x against 2xBSF ${ball.mainSnr.toFixed(1)}x) leaves the ball pattern unconfirmed`;
    }
  }
  return [...best.values()].map(({ mainSnr: _m, ...f }) => f);
}
