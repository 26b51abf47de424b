import type { DefectFrequencies } from './bearings';
import type { EnvelopeResult } from './envelope';
import { BALL_CAP, describe, evidence, isSeries, lineIn, strength, type Line, type RefLine, type Scored } from './envelopeLines';
import { floorNear, peakNear, type Spectrum } from './spectrum';

// A ball defect in the envelope spectrum (Randall & Antoni 2011; Smith & Randall 2015): it strikes both races
// once per ball spin, so its line is 2 x BSF; the ball carries the defect in and out of the load zone at the
// cage rate, so the line has FTF sidebands; 4 x BSF follows when the strikes are sharp. The pattern is scored
// as a whole (the 2 x BSF line half of it, the sideband pair 0.3, the harmonic 0.2) and stays "possible, low
// confidence" (at most BALL_CAP) unless
// - it is complete: 2 x BSF at least 6x its floor and both its FTF sidebands above 3x, 4x on average, and
// - it is distinctive: the same comb (a line, FTF sidebands at the same spacing, its second harmonic) scores
//   lower everywhere else from -25 % to +25 % of 2 x BSF. An envelope full of lines (shaft harmonics, a race
//   fault's sidebands, a cage comb) fits a comb somewhere; only a real pattern fits best at the ball's rate.

/** How far from 2 x BSF the comb is tried elsewhere, and the gap left around it (its search window and more). */
const RIVAL_SPAN = 0.25;
const RIVAL_GAP = 0.03;
const RIVAL_STEP = 0.005;

/** Score of the comb centred near `hz`, each line by its height over its floor alone (no owner checks). */
function combScore(s: Spectrum, hz: number, ftf: number): number {
  const snr = (at: number, tolShare: number) => {
    const tol = tolShare * at + 2 * s.df;
    const p = peakNear(s.amplitude, s.df, at, tol);
    const floor = floorNear(s.amplitude, s.df, at, Math.max(5, 0.12 * at), tol);
    return { hz: p.hz, snr: floor > 0 ? p.amplitude / floor : 0 };
  };
  const main = snr(hz, 0.015);
  const sb = (strength(snr(main.hz - ftf, 0.005).snr) + strength(snr(main.hz + ftf, 0.005).snr)) / 2;
  return 0.5 * strength(main.snr) + 0.3 * sb + 0.2 * strength(snr(2 * hz, 0.015).snr);
}

/** The best score of the ball's comb away from 2 x BSF, and where. */
function rivalComb(s: Spectrum, d: DefectFrequencies): { hz: number; score: number } {
  let best = { hz: 0, score: 0 };
  for (let off = RIVAL_GAP; off <= RIVAL_SPAN + 1e-9; off += RIVAL_STEP) {
    for (const hz of [2 * d.bsf * (1 - off), 2 * d.bsf * (1 + off)]) {
      if (2 * hz + 0.03 * hz >= s.df * s.amplitude.length) continue;
      const score = combScore(s, hz, d.ftf);
      if (score > best.score) best = { hz, score };
    }
  }
  return best;
}

/** The ball family in one envelope; `weigh` applies the envelope's impulsiveness and the line's dominance. */
export function ballPattern(env: EnvelopeResult, d: DefectFrequencies, refs: RefLine[], weigh: (lineEvidence: number, main: Line) => number, dominanceOf: (l: Line) => number): Scored {
  const s = env.spectrum;
  const main = lineIn(s, 2 * d.bsf, '2xBSF', 0.015, 'ball', refs);
  const harmonic = lineIn(s, 4 * d.bsf, '4xBSF', 0.015, 'ball', refs);
  const sidebands = [-1, 1].map((sgn) => lineIn(s, main.hz + sgn * d.ftf, `2xBSF${sgn < 0 ? '-' : '+'}FTF`, 0.005, 'ball', refs));
  const modulation = (evidence(sidebands[0]) + evidence(sidebands[1])) / 2;
  const score = 0.5 * evidence(main) + 0.3 * modulation + 0.2 * evidence(harmonic);
  let confidence = weigh(score, main);
  const doubts: string[] = [];
  const bothSidebands = evidence(sidebands[0]) > 0 && evidence(sidebands[1]) > 0;
  if (evidence(main) < strength(6) || !bothSidebands || modulation < strength(4)) {
    doubts.push('the pattern is incomplete (a ball call needs 2xBSF 6x its floor and both FTF sidebands above 3x, 4x on average)');
  }
  // The comb is tried elsewhere only for a pattern that would otherwise be called (it costs ~90 comb scores).
  const here = !doubts.length && confidence > BALL_CAP ? combScore(s, 2 * d.bsf, d.ftf) : 0;
  const rival = here > 0 ? rivalComb(s, d) : { hz: 0, score: 0 };
  if (here > 0 && rival.score >= here) doubts.push(`the same comb fits as well at ${rival.hz.toFixed(1)} Hz (score ${rival.score.toFixed(2)} against ${here.toFixed(2)}), away from 2xBSF: the envelope has lines a comb fits anywhere, not a ball pattern`);
  if (doubts.length && confidence > BALL_CAP) confidence = BALL_CAP;
  // The cage line itself is context, not evidence: unequal balls on a race defect put it there too.
  const cage = lineIn(s, d.ftf, 'FTF', 0.02, 'cage', refs);
  return {
    fault: 'ball',
    confidence,
    evidence: `${describe([main, harmonic], sidebands, 2 * d.bsf, dominanceOf(main), env)}; pattern score ${score.toFixed(2)}; the cage rate FTF ${cage.snr.toFixed(1)}x its floor${doubts.length ? `; ${doubts.join('; ')}` : ''}`,
    peaks: [main, harmonic, ...sidebands],
    series: isSeries(main, harmonic),
    mainSnr: main.explainedBy ? 0 : main.snr,
  };
}
