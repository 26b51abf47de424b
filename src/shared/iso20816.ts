// Shared by the engine (analysis, health) and the renderer (3D twin).
// ISO 10816-3:2009 (+Amd 1:2017) / ISO 20816-3:2022 evaluation zones for broadband velocity RMS (mm/s),
// values as cross-checked in ../shared/data/standards-facts.md. Group 1: above 300 kW or shaft height
// >= 315 mm; group 2: 15-300 kW or shaft height 160-315 mm.

export type MachineGroup = 1 | 2;
export type Foundation = 'rigid' | 'flexible';
export type IsoZone = 'A' | 'B' | 'C' | 'D';

export interface ZoneLimits {
  ab: number;
  bc: number;
  cd: number;
}

const LIMITS: Record<`${MachineGroup}-${Foundation}`, ZoneLimits> = {
  '1-rigid': { ab: 2.3, bc: 4.5, cd: 7.1 },
  '1-flexible': { ab: 3.5, bc: 7.1, cd: 11.0 },
  '2-rigid': { ab: 1.4, bc: 2.8, cd: 4.5 },
  '2-flexible': { ab: 2.3, bc: 4.5, cd: 7.1 },
};

export const ZONE_MEANING: Record<IsoZone, string> = {
  A: 'newly commissioned machines',
  B: 'acceptable for unrestricted long-term operation',
  C: 'unsatisfactory for long-term continuous operation: run for a limited period until remedial action',
  D: 'severe enough to cause damage',
};

export function zoneLimits(group: MachineGroup, foundation: Foundation): ZoneLimits {
  return LIMITS[`${group}-${foundation}`];
}

export interface ZoneVerdict {
  zone: IsoZone;
  limits: ZoneLimits;
  meaning: string;
}

export function isoZone(velocityRmsMmS: number, group: MachineGroup, foundation: Foundation): ZoneVerdict {
  const limits = zoneLimits(group, foundation);
  const zone: IsoZone = velocityRmsMmS < limits.ab ? 'A' : velocityRmsMmS < limits.bc ? 'B' : velocityRmsMmS < limits.cd ? 'C' : 'D';
  return { zone, limits, meaning: ZONE_MEANING[zone] };
}
