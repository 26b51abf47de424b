import { bearingFindings } from './bearingFaults';
import type { DefectFrequencies } from './bearings';
import type { EnvelopeResult } from './envelope';
import { G } from './features';
import { floorNear, peakNear, type Spectrum } from './spectrum';
import type { Fault, Finding, LabelledPeak } from './findings';

// Rule-based diagnosis in the way an analyst reads spectra:
// - shaft faults from the velocity spectrum: unbalance = 1x dominant, misalignment = strong 2x,
//   looseness = a long series of harmonics; each weighed by its severity against the ISO zone A/B limit;
// - bearing faults from the envelope spectra (bearingFaults.ts): a line at the defect frequency standing out
//   of its local floor, its harmonics and sidebands, weighed by how impulsive the demodulated band is and
//   whether the line dominates the envelope spectrum.
// Weak or contradictory evidence gives "inconclusive", never a guess.

export { FAULTS, type Fault, type Finding, type LabelledPeak } from './findings';

export interface Diagnosis {
  fault: Fault;
  confidence: number;
  evidence: string;
  peaks: LabelledPeak[];
  /** Every fault considered, strongest first. */
  findings: Finding[];
}

export interface ShaftCheck {
  ok: boolean;
  /** Height of the 1x line over its local floor in the acceleration spectrum. */
  snr: number;
  warning: string | null;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
/** Band kurtosis (median over segments) that only impacts reach: healthy CWRU records stay below 1. */
const IMPULSIVE_KURTOSIS = 1.5;

function line(s: Spectrum, hz: number, label: string, tolShare: number): LabelledPeak {
  const tol = tolShare * hz + 2 * s.df;
  const p = peakNear(s.amplitude, s.df, hz, tol);
  const floor = floorNear(s.amplitude, s.df, hz, Math.max(5, 0.12 * hz), tol);
  return { ...p, label, snr: floor > 0 ? p.amplitude / floor : 0 };
}

/**
 * Is the 1x line where the rpm says? A wrong sample rate scales every frequency: the true shaft lines then
 * sit at fractions (0.25x, 0.5x, …) of the stated 1x, or the 1x is simply missing.
 */
export function checkShaftLine(s: Spectrum, shaftHz: number): ShaftCheck {
  const one = line(s, shaftHz, '1x', 0.01);
  const fractions = [0.25, 1 / 3, 0.5, 2 / 3, 0.75, 1.25, 1.5].map((r) => ({ r, l: line(s, r * shaftHz, `${r}x`, 0.01) }));
  const worst = fractions.reduce((a, b) => (b.l.snr > a.l.snr ? b : a));
  if (one.snr < 4) {
    return { ok: false, snr: one.snr, warning: `no 1x line at ${shaftHz.toFixed(2)} Hz (the rpm's running speed): check the rpm and the sample rate; every frequency, and so every bearing line, scales with the sample rate` };
  }
  if (worst.l.snr >= Math.max(6, 0.3 * one.snr)) {
    return {
      ok: false,
      snr: one.snr,
      warning: `a strong line at ${worst.l.hz.toFixed(2)} Hz (${worst.r.toFixed(2)}x the rpm's running speed) next to the 1x at ${one.hz.toFixed(2)} Hz: the sample rate or rpm is probably wrong (or the machine has sub-harmonics from severe looseness)`,
    };
  }
  return { ok: true, snr: one.snr, warning: null };
}

export interface DiagnosisInput {
  spectrum: Spectrum;
  /** Envelope spectra to read bearing faults from (the raw record's, the pre-whitened one's); none at low rates. */
  envelopes: EnvelopeResult[];
  shaftHz: number;
  defects: DefectFrequencies;
  /** Zone A/B limit of the machine's ISO group (mm/s RMS): the level below which shaft faults do not matter. */
  zoneAB: number;
  /** Set when the data cannot support a verdict (clipping, wrong sample rate …): the reasons. */
  distrust: string[];
}

function shaftFindings(inp: DiagnosisInput): Finding[] {
  const { spectrum: s, shaftHz: f, zoneAB } = inp;
  const harmonics = Array.from({ length: 10 }, (_, i) => line(s, (i + 1) * f, `${i + 1}x`, 0.01));
  // Velocity RMS of each line, mm/s: v = a / ω.
  const v = harmonics.map((h, i) => (h.amplitude * G * 1000) / (2 * Math.PI * (i + 1) * f) / Math.SQRT2);
  const present = harmonics.map((h) => h.snr >= 6);
  const shaftEnergy = v.reduce((a, x, i) => a + (present[i] ? x * x : 0), 0);
  const share1 = shaftEnergy > 0 && present[0] ? (v[0] * v[0]) / shaftEnergy : 0;
  const mm = (x: number) => `${x.toFixed(2)} mm/s`;
  const out: Finding[] = [];
  const unbalance = clamp01((share1 - 0.5) / 0.3) * clamp01(v[0] / zoneAB);
  out.push({
    fault: 'unbalance',
    confidence: unbalance,
    evidence: `1x at ${harmonics[0].hz.toFixed(1)} Hz is ${mm(v[0])} RMS, ${(share1 * 100).toFixed(0)} % of the shaft-harmonic energy (zone A/B limit ${zoneAB} mm/s)`,
    peaks: [harmonics[0]],
  });
  const ratio = present[1] ? v[1] / Math.max(v[0], 1e-12) : 0;
  out.push({
    fault: 'misalignment',
    confidence: clamp01((ratio - 0.5) / 0.5) * clamp01(v[1] / (0.5 * zoneAB)),
    evidence: `2x at ${harmonics[1].hz.toFixed(1)} Hz is ${mm(v[1])} RMS, ${(ratio * 100).toFixed(0)} % of 1x`,
    peaks: [harmonics[0], harmonics[1]],
  });
  const upper = harmonics.slice(2).filter((h, i) => present[i + 2] && v[i + 2] >= 0.1 * v[0]);
  const overall = Math.sqrt(shaftEnergy);
  out.push({
    fault: 'looseness',
    confidence: clamp01((upper.length - 2) / 4) * clamp01(overall / zoneAB),
    evidence: `${upper.length} harmonics from 3x to 10x stand out at 10 % of 1x or more (${upper.map((h) => h.label).join(', ') || 'none'}); shaft lines total ${mm(overall)}`,
    peaks: [harmonics[0], ...upper],
  });
  return out;
}

export function diagnose(inp: DiagnosisInput): Diagnosis {
  const findings = [...shaftFindings(inp), ...bearingFindings(inp.envelopes, inp.defects, inp.shaftHz)].sort((a, b) => b.confidence - a.confidence);
  const best = findings[0];
  const bands = inp.envelopes.map((e) => `${e.whitened ? 'pre-whitened ' : ''}${e.band.lowHz.toFixed(0)}-${e.band.highHz.toFixed(0)} Hz, kurtosis ${e.band.kurtosis.toFixed(2)}`);
  const bandNote = bands.length ? ` (envelope bands ${bands.join('; ')})` : ' (no envelope: the sample rate is too low to demodulate a resonance band)';
  if (inp.distrust.length) {
    return {
      fault: 'inconclusive',
      confidence: Math.min(0.3, best.confidence),
      evidence: `the data does not support a verdict: ${inp.distrust.join('; ')}. Strongest pattern, for what it is worth: ${best.fault} (${best.evidence})`,
      peaks: best.peaks,
      findings,
    };
  }
  if (best.confidence >= 0.5) return { fault: best.fault, confidence: best.confidence, evidence: best.evidence + bandNote, peaks: best.peaks, findings };
  if (best.confidence >= 0.25) {
    return {
      fault: 'inconclusive',
      confidence: best.confidence,
      evidence: `weak evidence only: possibly ${best.fault.replace('_', ' ')} (low confidence, ${best.confidence.toFixed(2)}): ${best.evidence}${bandNote}`,
      peaks: best.peaks,
      findings,
    };
  }
  // "No fault" needs quiet envelopes too: a line series at a defect rate, or impacts at no defect rate, is
  // something an analyst would look at again (CWRU 118 and 189 are both; see README of the shared data).
  const series = findings.find((f) => f.series);
  const impulsive = inp.envelopes.find((e) => e.band.kurtosis >= IMPULSIVE_KURTOSIS);
  if (series || impulsive) {
    const why = series
      ? `a ${series.fault.replace('_', ' ')} line series stands out but too weakly or in too quiet a band for a verdict: ${series.evidence}`
      : `the ${impulsive!.whitened ? 'pre-whitened ' : ''}band ${impulsive!.band.lowHz.toFixed(0)}-${impulsive!.band.highHz.toFixed(0)} Hz is impulsive (kurtosis ${impulsive!.band.kurtosis.toFixed(2)}) but its impacts keep none of this bearing's defect rates: irregular impacts (a rolling-element defect can strike irregularly), another bearing, looseness or electrical spikes`;
    return { fault: 'inconclusive', confidence: best.confidence, evidence: `${why}${bandNote}`, peaks: series?.peaks ?? [], findings };
  }
  return {
    fault: 'none',
    confidence: 1 - best.confidence,
    evidence: `no fault pattern found: strongest candidate ${best.fault} at ${best.confidence.toFixed(2)}${bandNote}`,
    peaks: [],
    findings,
  };
}
