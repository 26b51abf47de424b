import { isoZone, type Foundation, type IsoZone, type MachineGroup, type ZoneLimits } from '../../../shared/iso20816';
import type { WaveformAnalysis } from '../../../shared/healthContract';
import type { Nameplate } from '../../../shared/twin';

// The vibration overlay's numbers: the ISO 20816-3 zone of a bearing housing, how far the model shakes,
// how much the turning shaft is slowed down to be seen, and the dominant frequency.

/** Zone A green to D red, readable on both themes. */
export const ZONE_COLORS: Record<IsoZone, string> = { A: '#2f9e44', B: '#94c11f', C: '#f08c00', D: '#e03131' };
export const NO_DATA_COLOR = '#8c9199';

export interface ZoneReading {
  zone: IsoZone;
  limits: ZoneLimits;
  group: MachineGroup;
  foundation: Foundation;
  /** What was not on the nameplate and had to be assumed (shown next to the zone). */
  assumed: string[];
}

/**
 * The zone of a velocity (mm/s RMS) for this motor. The nameplate's group and foundation decide the
 * limits; when missing, the group follows the rated power (above 300 kW: group 1) and the foundation is
 * taken as rigid, and that is said.
 */
export function zoneFor(velocity: number | null | undefined, nameplate: Pick<Nameplate, 'isoGroup' | 'foundation' | 'ratedKw'>): ZoneReading | null {
  if (velocity === null || velocity === undefined || !Number.isFinite(velocity) || velocity < 0) return null;
  const assumed: string[] = [];
  let group = nameplate.isoGroup;
  if (!group) {
    group = nameplate.ratedKw !== null && nameplate.ratedKw > 300 ? 1 : 2;
    assumed.push(`group ${group}`);
  }
  let foundation = nameplate.foundation;
  if (!foundation) {
    foundation = 'rigid';
    assumed.push('rigid foundation');
  }
  const v = isoZone(velocity, group, foundation);
  return { zone: v.zone, limits: v.limits, group, foundation, assumed };
}

/** Model metres of shake per mm/s RMS: enough to see zone B, unmistakable in zone D. */
export const SHAKE_M_PER_MM_S = 0.0015;
/** The shake is drawn at this rate: real vibration (25 Hz and up) would alias at 60 frames per second. */
export const SHAKE_SHOWN_HZ = 7;
/** Beyond this the shake stops growing (an absurd reading must not throw the model off screen). */
export const SHAKE_MAX_MM_S = 30;

export function shakeAmplitude(velocity: number | null | undefined): number {
  if (velocity === null || velocity === undefined || !Number.isFinite(velocity) || velocity <= 0) return 0;
  return Math.min(velocity, SHAKE_MAX_MM_S) * SHAKE_M_PER_MM_S;
}

const FACTORS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 500];

/** How many times slower the shaft is drawn, so it turns at most about once a second. */
export function slowdownFactor(rpm: number): number {
  const rps = Math.abs(rpm) / 60;
  return FACTORS.find((f) => rps / f <= 1.1) ?? FACTORS[FACTORS.length - 1];
}

/** Radians per second the model's shaft turns at for a measured speed. */
export function shownAngularSpeed(rpm: number | null | undefined): number {
  if (rpm === null || rpm === undefined || !Number.isFinite(rpm) || rpm <= 0) return 0;
  return ((Math.min(rpm, 100_000) / 60) * 2 * Math.PI) / slowdownFactor(rpm);
}

export interface Dominant {
  hz: number;
  /** As a multiple of running speed, when the speed is known. */
  order: number | null;
  label: string | null;
}

/** The strongest component of the latest analysed waveform: a labelled diagnosis peak, else the waterfall's top bin. */
export function dominantFrequency(a: Pick<WaveformAnalysis, 'diagnosis' | 'waterfall' | 'rpm'> | null | undefined): Dominant | null {
  if (!a) return null;
  const order = (hz: number) => (a.rpm ? hz / (a.rpm / 60) : null);
  const peaks = a.diagnosis?.peaks ?? [];
  if (peaks.length) {
    const p = peaks.reduce((x, y) => (y.amplitude > x.amplitude ? y : x));
    return { hz: p.hz, order: order(p.hz), label: p.label };
  }
  const w = a.waterfall;
  if (!w || w.db.length < 2) return null;
  let best = 1; // bin 0 is DC
  for (let i = 2; i < w.db.length; i++) if (w.db[i] > w.db[best]) best = i;
  const hz = (best * w.maxHz) / (w.db.length - 1);
  return { hz, order: order(hz), label: null };
}
