import { READING_NAMES, type ReadingName } from '../../../shared/readings';
import type { SensorSite } from '../../../shared/twin3dContract';

export type Sites = Partial<Record<ReadingName, SensorSite>>;

/** Readings of the board's accelerometer: they sit where the vibration sensor sits unless placed apart. */
const VIBRATION_FAMILY: readonly ReadingName[] = ['vibration', 'vib_peak', 'vib_x', 'vib_y', 'vib_z'];

/** Where a reading's sensor is: its own site, else its family's. Board-level readings (uptime, signal) have none. */
export function siteOf(sites: Sites, r: ReadingName): SensorSite | undefined {
  if (sites[r]) return sites[r];
  if (VIBRATION_FAMILY.includes(r)) return sites.vib_velocity;
  if (r === 'ambient') return sites.temperature;
  return undefined;
}

/** Every reading whose sensor sits on a node, for the part's panel. */
export const readingsOn = (sites: Sites, node: string) => READING_NAMES.filter((r) => siteOf(sites, r)?.node === node);

/** The readings that can be placed on a model by clicking, with tags. */
export const PLACEABLE: readonly ReadingName[] = ['temperature', 'vib_velocity', 'rpm', 'current'];

const LABELS: Record<string, string> = {
  frame: 'Frame',
  bearing_de: 'Drive-end bearing',
  bearing_nde: 'Non-drive-end bearing',
  terminal_box: 'Terminal box',
  shaft: 'Shaft',
  fan: 'Fan',
  fan_cover: 'Fan cover',
  feet: 'Feet',
  lifting_eye: 'Lifting eye',
};

export const partLabel = (node: string) => LABELS[node] ?? node;
