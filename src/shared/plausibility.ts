import { z } from 'zod';
import { READING_NAMES, READINGS, type ReadingName } from './readings';

// What a sensor on a motor can physically report. A value outside is a broken sensor, a firmware bug or a
// forged message, never a motor state: it must not be stored, raise alarms or make rules propose commands.
// The bounds are wide on purpose (a motor on fire is still a real reading); they catch ±1e308, not a hot day.

export interface PlausibleRange {
  min: number;
  max: number;
}
export type PlausibleRanges = Partial<Record<ReadingName, PlausibleRange>>;

export const DEFAULT_PLAUSIBLE_RANGES: Record<ReadingName, PlausibleRange> = {
  // Frame of a motor in the coldest plant to one burning: class H insulation fails near 180 °C, common frame
  // sensors (NTC, DS18B20, PT100 in a housing) read up to 125-400 °C.
  temperature: { min: -60, max: 400 },
  // Air around a motor: polar sites to a hot process hall.
  ambient: { min: -60, max: 100 },
  // RMS acceleration is never negative; MEMS and piezo sensors saturate at 16-200 g, and 100 g RMS on a
  // frame is a machine coming apart. The peak may be several times the RMS.
  vibration: { min: 0, max: 100 },
  vib_x: { min: 0, max: 100 },
  vib_y: { min: 0, max: 100 },
  vib_z: { min: 0, max: 100 },
  vib_peak: { min: 0, max: 500 },
  // ISO 20816 calls 11 mm/s RMS unacceptable for most machines; 1,000 mm/s is far past destruction.
  vib_velocity: { min: 0, max: 1000 },
  // A pulse count cannot tell direction; the nameplate's rated speed tops out at 100,000 r/min too.
  rpm: { min: 0, max: 100_000 },
  // RMS current: the largest low-voltage motors draw a few kA, 6-8 times that when starting.
  current: { min: 0, max: 20_000 },
  // A board's seconds since boot fit an unsigned 32-bit counter.
  uptime_s: { min: 0, max: 2 ** 32 },
  // Received Wi-Fi power in dBm: radios report about -127 up to a transmitter next door at +20.
  rssi: { min: -130, max: 20 },
};

const rangeSchema = z.object({ min: z.number(), max: z.number() }).refine((r) => r.min < r.max, 'min must be below max');

/** Ranges a deployment sets over the defaults (an engine config entry), checked when the engine starts. */
export const plausibleRangesSchema = z.partialRecord(z.enum(READING_NAMES), rangeSchema);

/** The defaults with a deployment's overrides; throws with a readable reason on a bad override. */
export function plausibleRanges(overrides: unknown = {}): Record<ReadingName, PlausibleRange> {
  const parsed = plausibleRangesSchema.safeParse(overrides);
  if (!parsed.success) {
    throw new Error(`plausibility ranges: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'ranges'}: ${i.message}`).join('; ')}`);
  }
  return { ...DEFAULT_PLAUSIBLE_RANGES, ...parsed.data };
}

/** Why one of the readings cannot be real, or null when all can (null readings are missing, not implausible). */
export function implausibleReading(values: Partial<Record<ReadingName, number | null | undefined>>, ranges: Record<ReadingName, PlausibleRange>): string | null {
  for (const name of READING_NAMES) {
    const v = values[name];
    if (v === null || v === undefined) continue;
    const { min, max } = ranges[name];
    if (v < min || v > max) {
      const unit = READINGS[name].unit;
      return `${name}: ${v} ${unit} is outside the plausible range ${min} to ${max} ${unit}`;
    }
  }
  return null;
}
