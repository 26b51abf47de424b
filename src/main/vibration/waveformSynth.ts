import type { WaveformPayload } from '../../shared/protocol/schemas';
import { bearingDefectFrequencies, type BearingGeometry } from './bearings';

// Accelerometer waveforms with the physics of real faults, for the simulator and for tests:
// - a bearing defect is struck once per pass (BPFO, BPFI, 2 x BSF); each strike rings the housing's
//   structural resonance as a damped sine; pass intervals jitter by ~1 % because rolling elements slip;
// - an inner-race defect turns with the shaft, through the load zone and out: its strikes are
//   amplitude-modulated at 1x (hence the shaft-rate sidebands around BPFI); a ball defect with the cage (FTF);
// - unbalance is a 1x sine, misalignment a 2x sine, looseness a decaying series of harmonics;
// - broadband Gaussian noise from the rest of the machine. Deterministic for a given seed.

export interface SynthFaults {
  /** Peak acceleration of each outer-race strike, g. */
  outerRaceG?: number;
  /**
   * Depth (0-1) of a 1x modulation of the outer-race strikes: a defect away from the load zone (CWRU's @3 and
   * @12 records) is struck mostly by the rotating unbalance force, so its BPFO carries 1x sidebands.
   */
  outerRaceModulation?: number;
  /**
   * Spread (0-1) of the force each ball strikes a race defect with (unequal balls or ball spacing): the
   * pattern repeats once per cage turn against the outer race (BPFO gets a comb of cage-rate, FTF, sidebands,
   * some within 1.4 % of 2 x BSF and its FTF sidebands on a 6205) and once per turn of the shaft against the
   * cage for the inner race (BPFI gets sidebands at 1x - FTF).
   */
  raceBallSpread?: number;
  innerRaceG?: number;
  ballG?: number;
  /**
   * Share (0-1) of the ball defect's strikes that land: the ball's spin axis wanders, so its defect leaves
   * the contact track for a while (Randall & Antoni 2011): the pattern gets weaker and less regular. Default 1.
   */
  ballStrikeShare?: number;
  /** Amplitude of the 1x line, g. */
  unbalanceG?: number;
  /** Amplitude of the 2x line, g. */
  misalignmentG?: number;
  /** Acceleration amplitude of each of the harmonics 1x … 10x that looseness (impacting, rubbing) makes. */
  loosenessG?: number;
}

export interface SynthOptions {
  fs: number;
  samples: number;
  rpm: number;
  bearing: Pick<BearingGeometry, 'balls' | 'ballDiameterMm' | 'pitchDiameterMm' | 'contactAngleDeg'>;
  faults: SynthFaults;
  /** RMS of the background noise, g. */
  noiseG?: number;
  /** Structural resonance the strikes excite, Hz (default 3 kHz, or 0.3 fs when that is lower). */
  resonanceHz?: number;
  /** Damping ratio of the resonance. */
  damping?: number;
  /** Residual 1x of a healthy machine, g. */
  residual1xG?: number;
  seed?: number;
}

/** mulberry32: small, fast, good enough for noise, and the same on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function synthesizeWaveform(o: SynthOptions): Float64Array {
  const { fs, samples: n, faults: f } = o;
  const rnd = seededRandom(o.seed ?? 1);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const shaftHz = o.rpm / 60;
  const d = bearingDefectFrequencies(o.bearing, shaftHz);
  const x = new Float64Array(n);
  const w = 2 * Math.PI * shaftHz;
  const phase1 = rnd() * 2 * Math.PI;
  const a1 = (o.residual1xG ?? 0.005) + (f.unbalanceG ?? 0);
  for (let i = 0; i < n; i++) {
    const t = i / fs;
    let v = a1 * Math.sin(w * t + phase1) + (f.misalignmentG ?? 0) * Math.sin(2 * w * t + 0.7);
    if (f.loosenessG) for (let h = 1; h <= 10; h++) v += f.loosenessG * Math.sin(h * w * t + h * 0.9);
    x[i] = v + (o.noiseG ?? 0.01) * gauss();
  }
  const fr = Math.min(o.resonanceHz ?? 3000, 0.3 * fs);
  const zeta = o.damping ?? 0.05;
  const ringS = 8 / (zeta * 2 * Math.PI * fr); // until the ring has decayed below 0.03 %
  const ring = Math.ceil(ringS * fs);
  const wd = 2 * Math.PI * fr * Math.sqrt(1 - zeta * zeta);
  const strike = (amp: number, rateHz: number, modulation: (t: number, strikeNo: number) => number) => {
    let k = 0;
    for (let t = rnd() / rateHz; t < n / fs; t += (1 + 0.01 * gauss()) / rateHz, k++) {
      const a = amp * modulation(t, k);
      const i0 = Math.ceil(t * fs);
      for (let i = i0; i < Math.min(n, i0 + ring); i++) {
        const tau = i / fs - t;
        x[i] += a * Math.exp(-zeta * 2 * Math.PI * fr * tau) * Math.sin(wd * tau);
      }
    }
  };
  const m = f.outerRaceModulation ?? 0;
  const spread = f.raceBallSpread ?? 0;
  // Drawn only when asked, so every other record keeps its noise for a given seed.
  const ballForce = spread ? Array.from({ length: o.bearing.balls }, () => 1 - spread * rnd()) : [1];
  if (f.outerRaceG) strike(f.outerRaceG, d.bpfo, (t, k) => (1 - m + m * Math.cos(w * t)) * ballForce[k % ballForce.length]);
  if (f.innerRaceG) strike(f.innerRaceG, d.bpfi, (t, k) => (0.6 + 0.4 * Math.cos(w * t)) * ballForce[k % ballForce.length]);
  const share = f.ballStrikeShare ?? 1;
  if (f.ballG) strike(f.ballG, 2 * d.bsf, (t) => (share < 1 && rnd() >= share ? 0 : 0.6 + 0.4 * Math.cos(2 * Math.PI * d.ftf * t)));
  return x;
}

/** A PROTOCOL.md waveform block (int16 little-endian, base64) of a synthesized record. */
export function waveformBlock(deviceId: string, o: SynthOptions, rangeG = 16, timestamp = new Date().toISOString()): WaveformPayload {
  const x = synthesizeWaveform(o);
  const scale = rangeG / 32768;
  const buf = Buffer.alloc(2 * x.length);
  for (let i = 0; i < x.length; i++) buf.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(x[i] / scale))), 2 * i);
  return { device_id: deviceId, timestamp, axis: 'x', sample_rate_hz: o.fs, scale_g_per_lsb: scale, encoding: 'int16le-base64', samples: buf.toString('base64') };
}

/** Samples of a waveform block in g. */
export function decodeWaveformBlock(p: WaveformPayload): Float64Array {
  const buf = Buffer.from(p.samples, 'base64');
  const x = new Float64Array(buf.length >> 1);
  for (let i = 0; i < x.length; i++) x[i] = buf.readInt16LE(2 * i) * p.scale_g_per_lsb;
  return x;
}
