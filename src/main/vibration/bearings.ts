import { z } from 'zod';
import catalogueJson from '../../../resources/bearings.json';

// Bearing geometry and the classic kinematic defect frequencies (no slip; real bearings run 1-2 % off,
// which is why the diagnosis searches a tolerance window around each line).

export const bearingGeometrySchema = z
  .object({
    designation: z.string().min(1).max(80).default('user bearing'),
    balls: z.number().int('balls must be a whole number').min(3, 'a bearing has at least 3 rolling elements').max(100),
    ballDiameterMm: z.number().positive('ballDiameterMm must be positive'),
    pitchDiameterMm: z.number().positive('pitchDiameterMm must be positive'),
    contactAngleDeg: z.number().min(0).max(60, 'contactAngleDeg must be from 0 to 60').default(0),
  })
  .refine((g) => g.ballDiameterMm < g.pitchDiameterMm, { message: 'ballDiameterMm must be smaller than pitchDiameterMm', path: ['ballDiameterMm'] });
export type BearingGeometry = z.infer<typeof bearingGeometrySchema>;

const catalogueSchema = z.object({
  bearings: z.array(
    z.object({ designation: z.string(), aliases: z.array(z.string()), type: z.string(), balls: z.number(), ballDiameterMm: z.number(), pitchDiameterMm: z.number(), contactAngleDeg: z.number(), source: z.string() }),
  ),
});
export type CatalogueBearing = z.infer<typeof catalogueSchema>['bearings'][number];

export const BEARING_CATALOGUE: readonly CatalogueBearing[] = catalogueSchema.parse(catalogueJson).bearings;

export class UnknownBearingError extends Error {}

const norm = (s: string) => s.toUpperCase().replace(/\s+/g, ' ').trim();

/** Finds a catalogue bearing by designation or alias ("6205", "6205-2RS JEM SKF", "za-2115"). */
export function findBearing(name: string): CatalogueBearing {
  const key = norm(name);
  const hit = BEARING_CATALOGUE.find((b) => norm(b.designation) === key || b.aliases.some((a) => norm(a) === key));
  if (!hit) {
    throw new UnknownBearingError(`unknown bearing "${name}": the catalogue has ${BEARING_CATALOGUE.map((b) => b.designation).join(', ')}; or enter the geometry (balls, ball and pitch diameter, contact angle)`);
  }
  return hit;
}

/** Validates a user-entered geometry; throws with every problem listed. */
export function parseBearingGeometry(input: unknown): BearingGeometry {
  const r = bearingGeometrySchema.safeParse(input);
  if (!r.success) throw new UnknownBearingError(`bearing geometry: ${r.error.issues.map((i) => `${i.path.join('.') || 'geometry'}: ${i.message}`).join('; ')}`);
  return r.data;
}

export interface DefectFrequencies {
  /** Ball pass frequency, outer race (Hz). */
  bpfo: number;
  /** Ball pass frequency, inner race (Hz). */
  bpfi: number;
  /** Ball (roller) spin frequency (Hz); a ball defect strikes both races, so its envelope shows 2 x BSF. */
  bsf: number;
  /** Fundamental train (cage) frequency (Hz). */
  ftf: number;
}

export function bearingDefectFrequencies(g: Pick<BearingGeometry, 'balls' | 'ballDiameterMm' | 'pitchDiameterMm' | 'contactAngleDeg'>, shaftHz: number): DefectFrequencies {
  const r = (g.ballDiameterMm / g.pitchDiameterMm) * Math.cos((g.contactAngleDeg * Math.PI) / 180);
  return {
    bpfo: (g.balls / 2) * (1 - r) * shaftHz,
    bpfi: (g.balls / 2) * (1 + r) * shaftHz,
    bsf: (g.pitchDiameterMm / (2 * g.ballDiameterMm)) * (1 - r * r) * shaftHz,
    ftf: 0.5 * (1 - r) * shaftHz,
  };
}
