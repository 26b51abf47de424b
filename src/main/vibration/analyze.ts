import { bearingDefectFrequencies, findBearing, parseBearingGeometry, type BearingGeometry, type DefectFrequencies } from './bearings';
import { checkShaftLine, diagnose, type Diagnosis, type ShaftCheck } from './diagnosis';
import { envelopeAnalysis, type EnvelopeBand } from './envelope';
import { isoVelocityBand, velocityRmsMmS, waveformFeatures, type ClippingReport, type VelocityBand } from './features';
import { isoZone, type Foundation, type MachineGroup, type ZoneVerdict } from './iso20816';
import { amplitudeSpectrum, nextPow2, pickPeaks, realFft, reused, type Peak, type Spectrum } from './spectrum';

export class VibrationInputError extends Error {}

/** The record's FFTs are read only within one analysis: one array per size, for the next analysis too. */
const spectra = { record: new Map<number, Float64Array>(), search: new Map<number, Float64Array>() };
const spectrumOf = (use: keyof typeof spectra, size: number) => reused(spectra[use], size, size, () => new Float64Array(2 * size));

/** 2^16 samples (a power of two: the first ones of a longer record): 5.5 s at 12 kHz, 1.4 s (41 revolutions at 1800 r/min) at 48 kHz. */
const BAND_SEARCH_SAMPLES = 65536;

export interface AnalyzeInput {
  /** Acceleration in g. */
  samples: ArrayLike<number>;
  /** Sample rate, Hz. */
  fs: number;
  /** Shaft speed, r/min. */
  rpm: number;
  /** A catalogue designation ("6205") or a geometry (validated). */
  bearing: string | Partial<BearingGeometry>;
  /** Finest line spacing needed, Hz; the record must be at least 1/resolutionHz seconds long. Default: a quarter of the running speed. */
  resolutionHz?: number;
  /** Upper corner of the sensor's usable band (MPU6050 DLPF: 184 or 260 Hz), Hz. */
  sensorBandwidthHz?: number;
  /** Full-scale range of the sensor, g: samples at it count as clipped. */
  sensorRangeG?: number;
  /** ISO 20816-3 class of the machine. Default: group 2, rigid foundation. */
  machine?: { group: MachineGroup; foundation: Foundation };
  /** Demodulate this band instead of searching for the most impulsive one. */
  envelopeBand?: { lowHz: number; highHz: number };
}

export interface VibrationAnalysis {
  fs: number;
  samples: number;
  durationS: number;
  rpm: number;
  shaftHz: number;
  bearing: BearingGeometry;
  bearingHz: DefectFrequencies;
  rmsG: number;
  peakG: number;
  crestFactor: number;
  kurtosis: number;
  offsetG: number;
  velocityRmsMmS: number;
  velocityBand: VelocityBand;
  iso: ZoneVerdict & { group: MachineGroup; foundation: Foundation };
  clipping: ClippingReport;
  spectrum: Spectrum;
  spectrumPeaks: Peak[];
  /** Where to draw 1x, 2x, 3x and the bearing defect lines on the plots. */
  markers: { label: string; hz: number }[];
  envelope: { band: EnvelopeBand; method: string; candidates: EnvelopeBand[]; spectrum: Spectrum; peaks: Peak[] } | null;
  /** The band and kurtosis the pre-whitened (CPW) envelope used; its lines are in the diagnosis' evidence. */
  whitenedBand: EnvelopeBand | null;
  shaftCheck: ShaftCheck;
  diagnosis: Diagnosis;
  warnings: string[];
}

function resolveBearing(b: AnalyzeInput['bearing']): BearingGeometry {
  if (typeof b === 'string') {
    const c = findBearing(b);
    return { designation: c.designation, balls: c.balls, ballDiameterMm: c.ballDiameterMm, pitchDiameterMm: c.pitchDiameterMm, contactAngleDeg: c.contactAngleDeg };
  }
  return parseBearingGeometry(b);
}

function checkInput(inp: AnalyzeInput): void {
  if (!Number.isFinite(inp.fs) || inp.fs <= 0) throw new VibrationInputError(`sample rate must be a positive number of Hz, got ${inp.fs}`);
  if (!Number.isFinite(inp.rpm) || inp.rpm <= 0) throw new VibrationInputError(`rpm must be a positive number, got ${inp.rpm}: bearing and shaft lines are computed from it`);
  const x = inp.samples;
  let bad = 0;
  let first = -1;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      bad++;
      if (first < 0) first = i;
    }
  }
  if (bad) throw new VibrationInputError(`${bad} of ${x.length} samples are not numbers (NaN or infinite; first at index ${first}): repair or cut the record, a gap cannot be analysed as vibration`);
  const shaftHz = inp.rpm / 60;
  const resolution = inp.resolutionHz ?? shaftHz / 4;
  const needed = Math.ceil(inp.fs / resolution);
  if (x.length < Math.max(256, needed)) {
    throw new VibrationInputError(
      `record too short: ${x.length} samples (${(x.length / inp.fs).toFixed(3)} s) at ${inp.fs} Hz; a ${resolution.toPrecision(3)} Hz resolution needs at least ${Math.max(256, needed)} samples (${(needed / inp.fs).toFixed(2)} s)`,
    );
  }
}

/** The whole analysis of one record: features, ISO zone, spectrum, envelope, diagnosis, with every doubt as a warning. */
export function analyzeVibration(inp: AnalyzeInput): VibrationAnalysis {
  checkInput(inp);
  const bearing = resolveBearing(inp.bearing);
  const { fs, rpm } = inp;
  const x = inp.samples;
  const n = x.length;
  const shaftHz = rpm / 60;
  const warnings: string[] = [];
  const distrust: string[] = [];
  const bearingHz = bearingDefectFrequencies(bearing, shaftHz);

  const features = waveformFeatures(x, inp.sensorRangeG);
  if (features.rmsG <= 1e-9 * Math.max(1, Math.abs(features.offsetG))) throw new VibrationInputError('the signal is constant: no vibration reached the sensor (disconnected, or the machine is stopped)');
  if (features.clipping.clipped) {
    warnings.push(features.clipping.detail);
    distrust.push('the signal is clipped');
  }
  if (rpm < 120) warnings.push(`ISO 20816-3 covers machines from 120 r/min; ${rpm} r/min is below its range`);
  const revolutions = (n / fs) * shaftHz;
  if (revolutions < 20) warnings.push(`only ${revolutions.toFixed(1)} shaft revolutions in the record: lines are broad and the diagnosis is less certain`);

  const spectrum = amplitudeSpectrum(x, fs, features.offsetG);
  const velocityBand = isoVelocityBand(rpm, fs, spectrum.df, inp.sensorBandwidthHz);
  if (velocityBand.limitedBy) warnings.push(`velocity RMS over ${velocityBand.limitedBy}: it covers only part of the ISO band and reads low against the zone limits`);
  const velocity = velocityRmsMmS(spectrum, velocityBand);
  const machine = inp.machine ?? { group: 2 as const, foundation: 'rigid' as const };
  const iso = { ...isoZone(velocity, machine.group, machine.foundation), ...machine };

  const shaftCheck = checkShaftLine(spectrum, shaftHz);
  if (!shaftCheck.ok && shaftCheck.warning) {
    warnings.push(shaftCheck.warning);
    distrust.push('the 1x line is not where the rpm says');
  }

  const fftSize = nextPow2(n);
  const raw = realFft(x, fftSize, undefined, features.offsetG, spectrumOf('record', fftSize));
  const maxDefect = Math.max(bearingHz.bpfi, bearingHz.bpfo, 2 * bearingHz.bsf);
  // The band search reads at most BAND_SEARCH_SAMPLES (its cost grows with the record, the resonance does not
  // change along it), in stretches of at least 4 revolutions, so each holds several strikes of any defect.
  const searchN = Math.min(n, BAND_SEARCH_SAMPLES);
  const searchSize = nextPow2(searchN);
  const search = searchN < n ? { X: realFft(x, searchSize, undefined, features.offsetG, spectrumOf('search', searchSize)), fftSize: searchSize, n: searchN } : undefined;
  const segments = Math.min(8, Math.max(1, Math.floor((searchN / fs) * (shaftHz / 4))));
  const envOpts = { minBandwidthHz: 4 * maxDefect, minLowHz: 3 * maxDefect, band: inp.envelopeBand, segments, search };
  // The raw record's envelope is the one shown (in g); the pre-whitened one finds what discrete lines hide.
  // Each searches its own band: the raw record's impulsive band also tells of impacts at no defect rate.
  const env = envelopeAnalysis(raw, fftSize, n, fs, envOpts);
  const whitened = env && envelopeAnalysis(raw, fftSize, n, fs, { ...envOpts, whiten: true });
  if (!env) warnings.push(`no envelope analysis: at ${fs} Hz there is no band above ${(3 * maxDefect).toFixed(0)} Hz wide enough (${(4 * maxDefect).toFixed(0)} Hz) to demodulate; bearing faults cannot be judged`);

  const envelopes = [env, whitened].filter((e) => e !== null);
  const diagnosis = diagnose({ spectrum, envelopes, shaftHz, defects: bearingHz, zoneAB: iso.limits.ab, distrust });
  const envelope = env && {
    ...env,
    peaks: pickPeaks(env.spectrum.amplitude, env.spectrum.df, { count: 10, minHz: 0.3 * shaftHz, maxHz: Math.min(env.band.highHz - env.band.lowHz, 3.5 * maxDefect), minSeparationHz: Math.max(3 * env.spectrum.df, 1) }),
  };
  return {
    fs,
    samples: n,
    durationS: n / fs,
    rpm,
    shaftHz,
    bearing,
    bearingHz,
    rmsG: features.rmsG,
    peakG: features.peakG,
    crestFactor: features.crestFactor,
    kurtosis: features.kurtosis,
    offsetG: features.offsetG,
    velocityRmsMmS: velocity,
    velocityBand,
    iso,
    clipping: features.clipping,
    spectrum,
    spectrumPeaks: pickPeaks(spectrum.amplitude, spectrum.df, { count: 10, minHz: Math.max(2, 0.3 * shaftHz), maxHz: 0.45 * fs, minSeparationHz: Math.max(3 * spectrum.df, 1) }),
    markers: [
      { label: '1x', hz: shaftHz },
      { label: '2x', hz: 2 * shaftHz },
      { label: '3x', hz: 3 * shaftHz },
      { label: 'BPFO', hz: bearingHz.bpfo },
      { label: 'BPFI', hz: bearingHz.bpfi },
      { label: 'BSF', hz: bearingHz.bsf },
      { label: '2xBSF', hz: 2 * bearingHz.bsf },
      { label: 'FTF', hz: bearingHz.ftf },
    ],
    envelope,
    whitenedBand: whitened?.band ?? null,
    shaftCheck,
    diagnosis,
    warnings,
  };
}
