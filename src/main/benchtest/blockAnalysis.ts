import type { WaveformPayload } from '../../shared/protocol/schemas';
import type { Nameplate } from '../../shared/twin';
import { analyzeVibration, VibrationInputError } from '../vibration/analyze';
import { UnknownBearingError } from '../vibration/bearings';
import { G } from '../vibration/features';
import { peakNear } from '../vibration/spectrum';
import { decodeWaveformBlock } from '../vibration/waveformSynth';
import { maxPool } from '../health/waveformAnalysis';

// One waveform block of a bench run, reduced to what the criteria and the report need: broadband velocity,
// the 1x and 2x lines as velocity, the strongest bearing-defect finding of the envelope analysis, and a
// small spectrum for the report's plot.

const BEARING_FAULTS = new Set(['outer_race', 'inner_race', 'ball', 'cage']);
const PLOT_POINTS = 400;

export interface BlockResult {
  velocityRmsMmS: number;
  oneXMmS: number;
  twoXMmS: number;
  bearingFault: string | null;
  bearingConfidence: number;
  shaftHz: number;
}

export interface PlotSpectrum {
  df: number;
  amplitude: number[];
  markers: { label: string; hz: number }[];
}

export interface AnalysedBenchBlock {
  result: BlockResult;
  spectrum: PlotSpectrum;
  envelope: PlotSpectrum | null;
}

/** Velocity RMS (mm/s) of the line nearest `hz` in a peak-amplitude acceleration spectrum (g). */
const lineVelocity = (amplitude: Float64Array, df: number, hz: number) => (peakNear(amplitude, df, hz, 0.01 * hz + 2 * df).amplitude * G * 1000) / (2 * Math.PI * hz) / Math.SQRT2;

function pooled(amplitude: Float64Array, df: number, maxHz: number, markers: { label: string; hz: number }[]): PlotSpectrum {
  const bins = Math.min(amplitude.length, Math.ceil(maxHz / df) + 1);
  const points = maxPool(amplitude, PLOT_POINTS, bins);
  return { df: (df * bins) / points.length, amplitude: points.map((v) => Number(v.toPrecision(4))), markers: markers.filter((m) => m.hz <= maxHz) };
}

/** Null when the block cannot be analysed (no speed, too short, constant): the reason goes to `onError`. */
export function analyseBenchBlock(p: WaveformPayload, rpm: number | null, nameplate: Nameplate, onError: (reason: string) => void): AnalysedBenchBlock | null {
  if (rpm === null || !(rpm > 0)) {
    onError('a waveform block arrived without a running speed');
    return null;
  }
  try {
    const samples = decodeWaveformBlock(p);
    const a = analyzeVibration({
      samples,
      fs: p.sample_rate_hz,
      rpm,
      bearing: nameplate.bearingDe ?? '6205',
      sensorRangeG: p.scale_g_per_lsb * 32768,
      machine: { group: nameplate.isoGroup ?? 2, foundation: nameplate.foundation ?? 'rigid' },
    });
    const bearing = a.diagnosis.findings.filter((f) => BEARING_FAULTS.has(f.fault)).sort((x, y) => y.confidence - x.confidence)[0];
    const s = a.spectrum;
    const env = a.envelope;
    const envMax = Math.max(a.bearingHz.bpfi, a.bearingHz.bpfo) * 3.5;
    return {
      result: {
        velocityRmsMmS: a.velocityRmsMmS,
        oneXMmS: lineVelocity(s.amplitude, s.df, a.shaftHz),
        twoXMmS: lineVelocity(s.amplitude, s.df, 2 * a.shaftHz),
        bearingFault: bearing?.fault ?? null,
        bearingConfidence: bearing?.confidence ?? 0,
        shaftHz: a.shaftHz,
      },
      spectrum: pooled(s.amplitude, s.df, Math.min(1000, p.sample_rate_hz / 2), a.markers.filter((m) => /x$/.test(m.label))),
      envelope: env ? pooled(env.spectrum.amplitude, env.spectrum.df, Math.min(envMax, env.band.highHz - env.band.lowHz), a.markers.filter((m) => !/x$/.test(m.label))) : null,
    };
  } catch (e) {
    if (e instanceof VibrationInputError || e instanceof UnknownBearingError) {
      onError(e.message);
      return null;
    }
    throw e;
  }
}
