import { INSULATION_CLASSES, type Limit, type Nameplate, type TwinAttributesPatch, type TwinSnapshot } from '../../../shared/twin';
import type { ReadingName } from '../../../shared/readings';

// The nameplate editor's fields, and the conversion between what was typed and the twin's attributes.
// Validation of values is the engine's (zod at the boundary); this only turns text into numbers.

export type FieldKind = 'number' | 'text' | { options: readonly string[] };

export const NAMEPLATE_FIELDS: { key: keyof Nameplate; label: string; kind: FieldKind; unit?: string }[] = [
  { key: 'manufacturer', label: 'Manufacturer', kind: 'text' },
  { key: 'model', label: 'Model', kind: 'text' },
  { key: 'serialNumber', label: 'Serial number', kind: 'text' },
  { key: 'ratedKw', label: 'Rated power', kind: 'number', unit: 'kW' },
  { key: 'ratedRpm', label: 'Rated speed', kind: 'number', unit: 'rpm' },
  { key: 'ratedVoltage', label: 'Rated voltage', kind: 'number', unit: 'V' },
  { key: 'ratedCurrent', label: 'Rated current', kind: 'number', unit: 'A' },
  { key: 'insulationClass', label: 'Insulation class', kind: { options: INSULATION_CLASSES } },
  { key: 'bearingDe', label: 'Drive-end bearing', kind: 'text' },
  { key: 'bearingNde', label: 'Non-drive-end bearing', kind: 'text' },
  { key: 'isoGroup', label: 'ISO 20816 group', kind: { options: ['1', '2'] } },
  { key: 'foundation', label: 'Foundation', kind: { options: ['rigid', 'flexible'] } },
  { key: 'thermalTimeConstantMin', label: 'Thermal time constant', kind: 'number', unit: 'min' },
  { key: 'baselineHours', label: 'Anomaly baseline from the first', kind: 'number', unit: 'h of running' },
];

export const LIMIT_READINGS: ReadingName[] = ['temperature', 'vibration', 'vib_velocity', 'rpm'];
export const LIMIT_KEYS: (keyof Limit)[] = ['warnAbove', 'alarmAbove'];

export type FormValues = Record<string, string>;

export function formFromTwin(twin: TwinSnapshot): FormValues {
  const v: FormValues = { name: twin.name };
  for (const f of NAMEPLATE_FIELDS) v[f.key] = twin.nameplate[f.key] === null ? '' : String(twin.nameplate[f.key]);
  for (const r of LIMIT_READINGS) for (const k of LIMIT_KEYS) v[`${r}.${k}`] = twin.limits[r]?.[k] == null ? '' : String(twin.limits[r]![k]);
  return v;
}

/** A patch from the form, or the field that is not a number. */
export function patchFromForm(twin: TwinSnapshot, v: FormValues): { patch: TwinAttributesPatch } | { error: string } {
  const num = (key: string, label: string): number | null | { error: string } => {
    const s = v[key].trim();
    if (!s) return null;
    const n = Number(s);
    return Number.isFinite(n) ? n : { error: `${label}: “${s}” is not a number` };
  };
  const nameplate: Record<string, unknown> = {};
  for (const f of NAMEPLATE_FIELDS) {
    const s = v[f.key].trim();
    if (f.kind === 'number') {
      const n = num(f.key, f.label);
      if (n !== null && typeof n === 'object') return n;
      nameplate[f.key] = n;
    } else if (f.key === 'isoGroup') nameplate[f.key] = s ? Number(s) : null;
    else nameplate[f.key] = s || null;
  }
  const limits: TwinAttributesPatch['limits'] = {};
  for (const r of LIMIT_READINGS) {
    const limit: Limit = { warnAbove: null, alarmAbove: null, warnBelow: twin.limits[r]?.warnBelow ?? null, alarmBelow: twin.limits[r]?.alarmBelow ?? null };
    for (const k of LIMIT_KEYS) {
      const n = num(`${r}.${k}`, `${r} ${k}`);
      if (n !== null && typeof n === 'object') return n;
      limit[k] = n;
    }
    limits[r] = limit;
  }
  return { patch: { id: twin.id, name: v.name.trim() || undefined, nameplate: nameplate as Partial<Nameplate>, limits } };
}
