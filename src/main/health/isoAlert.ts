import type { VibrationLevels } from '../../shared/healthContract';
import type { Nameplate } from '../../shared/twin';
import { zoneLimits, type IsoZone, type ZoneLimits } from '../vibration/iso20816';

// ALERT and TRIP levels for broadband vibration velocity as ISO 10816-3 / 20816-3 advise setting them: ALERT
// above the machine's own baseline by 25 % of the zone B/C boundary, and normally not above 1.25 x that
// boundary (a machine with a high baseline alerts in zone C, never far into it); TRIP not above 1.25 x the
// C/D boundary. Until the baseline is learned the B/C boundary itself stands in for ALERT.

const ALERT_STEP_SHARE_OF_BC = 0.25;
const ALERT_CAP_TIMES_BC = 1.25;
const TRIP_CAP_TIMES_CD = 1.25;

const zoneOf = (v: number, z: ZoneLimits): IsoZone => (v < z.ab ? 'A' : v < z.bc ? 'B' : v < z.cd ? 'C' : 'D');

/** The zone limits of a motor: group and foundation from its nameplate, or assumed (group 2, rigid) and said. */
export function motorZoneLimits(nameplate: Pick<Nameplate, 'isoGroup' | 'foundation' | 'ratedKw'>): { limits: ZoneLimits; basis: string } {
  const group = nameplate.isoGroup ?? (nameplate.ratedKw !== null && nameplate.ratedKw > 300 ? 1 : 2);
  const foundation = nameplate.foundation ?? 'rigid';
  const assumed = [nameplate.isoGroup ? null : `group ${group}`, nameplate.foundation ? null : `${foundation} foundation`].filter(Boolean);
  return { limits: zoneLimits(group, foundation), basis: `ISO 20816-3 group ${group}, ${foundation}${assumed.length ? ` (assumed: ${assumed.join(', ')})` : ''}` };
}

export function vibrationLevels(baselineMmS: number | null, nameplate: Pick<Nameplate, 'isoGroup' | 'foundation' | 'ratedKw'>): VibrationLevels {
  const { limits, basis } = motorZoneLimits(nameplate);
  const trip = TRIP_CAP_TIMES_CD * limits.cd;
  if (baselineMmS === null) {
    return { baselineMmS: null, baselineZone: null, alertMmS: limits.bc, tripMmS: trip, limits, basis, how: 'no baseline yet: ALERT at the zone B/C boundary, TRIP at 1.25 x the C/D boundary' };
  }
  const raw = baselineMmS + ALERT_STEP_SHARE_OF_BC * limits.bc;
  const alert = Math.min(raw, ALERT_CAP_TIMES_BC * limits.bc);
  return {
    baselineMmS,
    baselineZone: zoneOf(baselineMmS, limits),
    alertMmS: alert,
    tripMmS: Math.max(trip, alert),
    limits,
    basis,
    how: alert < raw ? `ALERT capped at 1.25 x the B/C boundary (baseline + 25 % of B/C would be ${raw.toFixed(2)} mm/s); TRIP at 1.25 x the C/D boundary` : 'ALERT at baseline + 25 % of the B/C boundary; TRIP at 1.25 x the C/D boundary',
  };
}
