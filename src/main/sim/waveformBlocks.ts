import type { WaveformPayload } from '../../shared/protocol/schemas';
import { findBearing } from '../vibration/bearings';
import { waveformBlock, type SynthFaults } from '../vibration/waveformSynth';
import type { MotorModel } from './motorModel';

// Waveform blocks of a simulated motor, drawn from the same machine as its telemetry: the 1x and 2x lines at
// the model's levels (unbalance, misalignment), and for a bearing fault impacts at BPFO or BPFI ringing the
// housing's resonance, growing with the fault. The simulated board has a 16 g accelerometer sampled at
// 10.24 kHz, 16384 samples a block (1.6 s, 40 shaft turns): 44 kB as base64, within PROTOCOL.md's 64 KiB.

export const SIM_WAVEFORM = { fs: 10_240, samples: 16_384, rangeG: 16, bearing: '6205' } as const;

/** An impact's peak is many times the RMS it adds: a defect of 0.004 g RMS already strikes at about 0.3 g. */
const STRIKE_PER_RMS = 20;
const STRIKE_FLOOR_G = 0.25;

export function simFaults(model: MotorModel): SynthFaults {
  const c = model.vibrationComponents();
  const strike = STRIKE_FLOOR_G + STRIKE_PER_RMS * c.bearing;
  return {
    // The model's 1x includes a healthy machine's residual; the synthesizer adds its own residual.
    unbalanceG: Math.max(0, c.oneX * Math.SQRT2 - 0.005),
    misalignmentG: c.twoX * Math.SQRT2,
    outerRaceG: model.fault === 'bearing_outer' ? strike : undefined,
    innerRaceG: model.fault === 'bearing_inner' ? strike : undefined,
  };
}

export function simWaveformBlock(deviceId: string, model: MotorModel, seed: number, now = Date.now()): WaveformPayload | null {
  if (!model.running || model.rpm < 60) return null;
  const bearing = findBearing(SIM_WAVEFORM.bearing);
  return waveformBlock(
    deviceId,
    { fs: SIM_WAVEFORM.fs, samples: SIM_WAVEFORM.samples, rpm: model.rpm, bearing, faults: simFaults(model), noiseG: 0.01, seed },
    SIM_WAVEFORM.rangeG,
    new Date(now).toISOString(),
  );
}
