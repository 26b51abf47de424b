import type { EnvelopeResult } from './envelope';
import type { Finding, LabelledPeak } from './findings';
import { floorNear, peakNear, type Spectrum } from './spectrum';

// Lines of an envelope spectrum read as evidence for one bearing-fault family (bearingFaults.ts, ballFault.ts).

export type BearingFault = 'outer_race' | 'inner_race' | 'ball' | 'cage';
export type Owner = BearingFault | 'shaft';

export interface RefLine {
  hz: number;
  label: string;
  owner: Owner;
}

export const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
/** Line strength: 3x its floor is nothing, 30x is certain. */
export const strength = (snr: number) => clamp01(Math.log10(snr / 3));
const pct = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)} %`;
/** Below this a finding is not even worth an "inconclusive". */
export const CAGE_CAP = 0.45;
/** Cap of a ball finding that a race explains as well, or whose pattern is incomplete or not distinctive. */
export const BALL_CAP = 0.45;

export interface Line extends LabelledPeak {
  /** The other line the peak sits nearer to, when there is one: then it is no evidence here. */
  explainedBy: string | null;
}

export function lineIn(s: Spectrum, hz: number, label: string, tolShare: number, owner: Owner, refs: RefLine[]): Line {
  const tol = tolShare * hz + 2 * s.df;
  const p = peakNear(s.amplitude, s.df, hz, tol);
  const floor = floorNear(s.amplitude, s.df, hz, Math.max(5, 0.12 * hz), tol);
  const own = Math.abs(p.hz - hz);
  const other = refs.find((r) => r.owner !== owner && Math.abs(p.hz - r.hz) < own);
  return { ...p, label, snr: floor > 0 ? p.amplitude / floor : 0, explainedBy: other ? other.label : null };
}

/** Strength of a line as evidence for its own family. */
export const evidence = (l: Line) => (l.explainedBy ? 0 : strength(l.snr));
/** A line and its next harmonic both 6x their floor, neither nearer another family: no chance peak. */
export const isSeries = (a: Line, b: Line) => !a.explainedBy && !b.explainedBy && a.snr >= 6 && b.snr >= 6;

export interface Scored extends Finding {
  fault: BearingFault;
  /** SNR of the family's own striking-rate line (0 when another line explains it). */
  mainSnr: number;
}

export function describe(lines: Line[], sidebands: Line[], nominalHz: number, dominance: number, env: EnvelopeResult): string {
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

