// The readings a motor reports, with their units. One list drives the decoder, the database columns,
// the rollups and the UI, so a new reading is added in one place.
export const READING_NAMES = [
  'temperature',
  'vibration',
  'rpm',
  'ambient',
  'current',
  'vib_velocity',
  'vib_peak',
  'vib_x',
  'vib_y',
  'vib_z',
  'uptime_s',
  'rssi',
] as const;

export type ReadingName = (typeof READING_NAMES)[number];

export interface ReadingInfo {
  label: string;
  unit: string;
  /** Digits worth showing; sensors are not more precise than this. */
  digits: number;
}

export const READINGS: Record<ReadingName, ReadingInfo> = {
  temperature: { label: 'Frame temperature', unit: '°C', digits: 1 },
  vibration: { label: 'Vibration (RMS accel.)', unit: 'g', digits: 3 },
  rpm: { label: 'Speed', unit: 'rpm', digits: 0 },
  ambient: { label: 'Ambient', unit: '°C', digits: 1 },
  current: { label: 'Current', unit: 'A', digits: 1 },
  vib_velocity: { label: 'Vibration velocity', unit: 'mm/s', digits: 2 },
  vib_peak: { label: 'Vibration peak', unit: 'g', digits: 3 },
  vib_x: { label: 'Vibration X', unit: 'g', digits: 3 },
  vib_y: { label: 'Vibration Y', unit: 'g', digits: 3 },
  vib_z: { label: 'Vibration Z', unit: 'g', digits: 3 },
  uptime_s: { label: 'Board uptime', unit: 's', digits: 0 },
  rssi: { label: 'Wi-Fi signal', unit: 'dBm', digits: 0 },
};

/** The readings the fleet and motor pages lead with. */
export const PRIMARY_READINGS: readonly ReadingName[] = ['temperature', 'vibration', 'rpm'];

export function isReadingName(name: string): name is ReadingName {
  return (READING_NAMES as readonly string[]).includes(name);
}
