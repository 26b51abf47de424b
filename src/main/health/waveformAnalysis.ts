import type { WaveformDetail, WaveformAnalysis } from '../../shared/healthContract';
import type { WaveformPayload } from '../../shared/protocol/schemas';
import type { Nameplate } from '../../shared/twin';
import { analyzeVibration, VibrationInputError, type VibrationAnalysis } from '../vibration/analyze';
import { UnknownBearingError } from '../vibration/bearings';
import { decodeWaveformBlock } from '../vibration/waveformSynth';

// A waveform block from a board or the simulator, analysed on arrival: the shaft speed is the motor's latest
// rpm reading, the bearing its nameplate's drive-end bearing (the CWRU 6205 when none is set, and said so).
// What goes to the UI is cut down for the wire: spectra max-pooled to a few thousand points.

export const DEFAULT_BEARING = '6205';
const WATERFALL_POINTS = 256;
const PLOT_POINTS = 4096;

export interface AnalysedBlock {
  summary: WaveformAnalysis;
  detail: WaveformDetail;
  /** The samples in g, for storing. */
  samples: Float64Array;
}

/** Max-pooling keeps peaks (a mean would flatten a bearing line into the floor). */
export function maxPool(x: ArrayLike<number>, count: number, upTo = x.length): number[] {
  const n = Math.min(upTo, x.length);
  if (n <= count) return Array.from({ length: n }, (_, i) => x[i]);
  const out = new Array<number>(count);
  for (let j = 0; j < count; j++) {
    let m = 0;
    for (let i = Math.floor((j * n) / count); i < Math.floor(((j + 1) * n) / count); i++) if (x[i] > m) m = x[i];
    out[j] = m;
  }
  return out;
}

function plot(amplitude: Float64Array, df: number, maxHz: number, peaks: { hz: number; amplitude: number }[]) {
  const bins = Math.min(amplitude.length, Math.ceil(maxHz / df) + 1);
  const pooled = maxPool(amplitude, PLOT_POINTS, bins);
  return { df: (df * bins) / pooled.length, amplitude: pooled, peaks };
}

export function analyseBlock(motorId: string, ts: number, p: WaveformPayload, rpm: number | null, nameplate: Nameplate): AnalysedBlock {
  const samples = decodeWaveformBlock(p);
  const fs = p.sample_rate_hz;
  const bearing = nameplate.bearingDe ?? DEFAULT_BEARING;
  const base: WaveformAnalysis = {
    id: motorId,
    ts,
    axis: p.axis,
    fs,
    samples: samples.length,
    rpm,
    bearing,
    error: null,
    rmsG: null,
    peakG: null,
    crestFactor: null,
    kurtosis: null,
    velocityRmsMmS: null,
    isoZone: null,
    diagnosis: null,
    warnings: nameplate.bearingDe ? [] : [`no drive-end bearing on the nameplate: bearing lines are those of a ${DEFAULT_BEARING}`],
    waterfall: null,
  };
  const failed = (error: string): AnalysedBlock => ({ summary: { ...base, error }, detail: { ...base, error, spectrum: null, envelope: null, markers: [] }, samples });
  if (rpm === null || !(rpm > 0)) return failed('no running speed: the motor reports no rpm (or is stopped), so shaft and bearing lines cannot be placed');
  let a: VibrationAnalysis;
  try {
    a = analyzeVibration({
      samples,
      fs,
      rpm,
      bearing,
      sensorRangeG: p.scale_g_per_lsb * 32768,
      machine: { group: nameplate.isoGroup ?? 2, foundation: nameplate.foundation ?? 'rigid' },
    });
  } catch (e) {
    if (e instanceof VibrationInputError || e instanceof UnknownBearingError) return failed(e.message);
    throw e;
  }
  const db = maxPool(a.spectrum.amplitude, WATERFALL_POINTS).map((v) => Math.round(20 * Math.log10(Math.max(v, 1e-7)) * 10) / 10);
  const summary: WaveformAnalysis = {
    ...base,
    rmsG: a.rmsG,
    peakG: a.peakG,
    crestFactor: a.crestFactor,
    kurtosis: a.kurtosis,
    velocityRmsMmS: a.velocityRmsMmS,
    isoZone: a.iso.zone,
    diagnosis: { fault: a.diagnosis.fault, confidence: a.diagnosis.confidence, evidence: a.diagnosis.evidence, peaks: a.diagnosis.peaks },
    warnings: [...base.warnings, ...a.warnings],
    waterfall: { maxHz: fs / 2, db },
  };
  const env = a.envelope;
  const envMax = Math.max(a.bearingHz.bpfi, a.bearingHz.bpfo, 2 * a.bearingHz.bsf) * 4;
  return {
    summary,
    detail: {
      ...summary,
      spectrum: plot(a.spectrum.amplitude, a.spectrum.df, fs / 2, a.spectrumPeaks),
      envelope: env ? { ...plot(env.spectrum.amplitude, env.spectrum.df, Math.min(envMax, env.band.highHz - env.band.lowHz), env.peaks), band: { lowHz: env.band.lowHz, highHz: env.band.highHz } } : null,
      markers: a.markers,
    },
    samples,
  };
}
