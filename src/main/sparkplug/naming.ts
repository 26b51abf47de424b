import { createHash } from 'node:crypto';
import { READING_NAMES, type ReadingName } from '../../shared/readings';
import { isDeviceId } from '../../shared/protocol/schemas';
import type { SparkplugMapping } from '../../shared/sparkplugContract';

// How Sparkplug names become MotorTwin names: a device becomes a twin, a metric a reading.

/**
 * The twin id of a Sparkplug device: "<node>.<device>" (a node without devices: "<node>"). Twin ids allow
 * letters, digits, "_", "-" and "." only (no "/": the id goes into MQTT topics and file names), so other
 * characters become "_" and such an id, or one cut to length, ends in a short hash of the original names:
 * "Line 1" and "Line_1" stay two twins. The Sparkplug name "<node>/<device>" is the twin's display name.
 */
export function twinIdFor(node: string, device: string | null): string {
  const plain = device === null ? node : `${node}.${device}`;
  if (isDeviceId(plain)) return plain;
  const safe = plain.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[^A-Za-z0-9]/, 'n');
  const hash = createHash('sha1').update(device === null ? node : `${node}/${device}`).digest('hex').slice(0, 8);
  return `${safe.slice(0, 55)}-${hash}`;
}

export const displayNameFor = (node: string, device: string | null): string => (device === null ? node : `${node}/${device}`).slice(0, 80);

/** Spellings of each reading seen in Sparkplug metric names, without case, spaces or punctuation. */
const SPELLINGS: Record<ReadingName, string[]> = {
  temperature: ['temperature', 'temp', 'motortemperature', 'frametemperature', 'motortemp', 'windingtemperature'],
  vibration: ['vibration', 'vib', 'vibrationrms', 'vibrms', 'acceleration', 'accelerationrms'],
  rpm: ['rpm', 'speed', 'motorspeed', 'shaftspeed', 'speedrpm', 'actualspeed'],
  ambient: ['ambient', 'ambienttemperature', 'ambienttemp'],
  current: ['current', 'amps', 'motorcurrent', 'outputcurrent', 'currentrms'],
  vib_velocity: ['vibvelocity', 'vibrationvelocity', 'velocity', 'velocityrms'],
  vib_peak: ['vibpeak', 'vibrationpeak'],
  vib_x: ['vibx', 'vibrationx'],
  vib_y: ['viby', 'vibrationy'],
  vib_z: ['vibz', 'vibrationz'],
  uptime_s: ['uptime', 'uptimes'],
  rssi: ['rssi', 'signalstrength'],
};
const BY_SPELLING = new Map<string, ReadingName>(READING_NAMES.flatMap((r) => SPELLINGS[r].map((s) => [s, r] as [string, ReadingName])));
const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The reading a metric feeds by its name alone, or null. The whole name is tried first ("Ambient/Temperature"
 * is ambient), then its last path segment ("Motor/Temperature" is temperature).
 */
export function defaultReadingFor(metricName: string): ReadingName | null {
  const whole = BY_SPELLING.get(squash(metricName));
  if (whole) return whole;
  const slash = metricName.lastIndexOf('/');
  return slash < 0 ? null : (BY_SPELLING.get(squash(metricName.slice(slash + 1))) ?? null);
}

/** The reading a metric feeds under a device's mapping: the user's choice first, then the default. */
export function readingFor(metricName: string, mapping: SparkplugMapping | undefined): { reading: ReadingName | null; mappedBy: 'default' | 'user' } {
  // Own keys only: a metric named "constructor" must not find Object's.
  if (mapping && Object.hasOwn(mapping.readings, metricName)) return { reading: mapping.readings[metricName] ?? null, mappedBy: 'user' };
  return { reading: defaultReadingFor(metricName), mappedBy: 'default' };
}
