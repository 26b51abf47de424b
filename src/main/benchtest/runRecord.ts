import type { BenchSource, CriterionResult, StepState, Verdict } from '../../shared/benchtestContract';
import type { Procedure } from '../../shared/benchtestProcedure';
import type { Certificate } from '../../shared/serialContract';
import type { Nameplate } from '../../shared/twin';
import type { PlotSpectrum } from './blockAnalysis';
import type { CalibrationStatus } from './criteria';

/** Everything a report needs besides the readings: stored as the run's JSON row. */
export interface RunRecord {
  runId: string;
  serialNumber: string;
  deviceId: string;
  nameplate: Nameplate;
  procedure: Procedure;
  operator: string;
  source: BenchSource;
  board: { fw: string | null; board: string | null; calibrationId: string | null };
  certificates: Certificate[];
  calibration: CalibrationStatus;
  startedAt: number;
  endedAt: number | null;
  verdict: Verdict;
  criteria: CriterionResult[];
  steps: StepState[];
  abortReason: string | null;
  warnings: string[];
  plots: { spectrum: PlotSpectrum | null; envelope: PlotSpectrum | null };
}
