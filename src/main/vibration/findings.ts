import type { Peak } from './spectrum';

// What the diagnosis (diagnosis.ts) and its bearing part (bearingFaults.ts) both speak in.

export const FAULTS = ['none', 'unbalance', 'misalignment', 'looseness', 'outer_race', 'inner_race', 'ball', 'cage', 'inconclusive'] as const;
export type Fault = (typeof FAULTS)[number];

export interface LabelledPeak extends Peak {
  label: string;
  /** Line height over the local spectral floor. */
  snr: number;
}

export interface Finding {
  fault: Exclude<Fault, 'none' | 'inconclusive'>;
  confidence: number;
  evidence: string;
  peaks: LabelledPeak[];
  /** Bearing families: the striking-rate line and its next harmonic both stand out on their own. */
  series?: boolean;
}
