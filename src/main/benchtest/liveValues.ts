import type { BenchRunState } from '../../shared/benchtestContract';
import type { Procedure } from '../../shared/benchtestProcedure';
import type { Nameplate } from '../../shared/twin';
import { zoneLimits } from '../vibration/iso20816';
import { ALLOWED_RISE_K, type BenchBlock, type BenchSample } from './criteria';

// The live view's values against the procedure's limits, from the latest reading and waveform block.

export interface LiveInput {
  procedure: Procedure;
  nameplate: Nameplate;
  /** The run's ambient (or first temperature), for the temperature rise. */
  ambient: number | null;
  latest: Partial<BenchSample>;
  block: BenchBlock | null;
  /** The speed the current step asks for: the set speed of a speed step, else the nameplate's. */
  targetRpm: number | null;
}

export function liveValues(inp: LiveInput): BenchRunState['live'] {
  const { nameplate: np, latest: l, block: b, ambient, targetRpm } = inp;
  const crit = inp.procedure.criteria;
  const zones = zoneLimits(np.isoGroup ?? 2, np.foundation ?? 'rigid');
  const riseC = crit.find((c) => c.kind === 'temperature_rise');
  const margin = riseC?.kind === 'temperature_rise' ? riseC.frameMarginK : 0;
  const riseLimit = np.insulationClass ? ALLOWED_RISE_K[np.insulationClass] - margin : null;
  const speedC = crit.find((c) => c.kind === 'speed');
  const tol = speedC?.kind === 'speed' ? speedC.tolerancePct : null;
  const bearingC = crit.find((c) => c.kind === 'bearing_tones');
  const share = (k: 'line_1x' | 'line_2x') => {
    const c = crit.find((x) => x.kind === k);
    return c && (c.kind === 'line_1x' || c.kind === 'line_2x') ? c.shareOfZoneAB : null;
  };
  const item = (name: string, value: number | null | undefined, limit: number | null, unit: string) => ({
    name,
    value: value ?? null,
    limit,
    unit,
    ok: value === null || value === undefined || limit === null ? null : value <= limit,
  });
  const s1 = share('line_1x');
  const s2 = share('line_2x');
  return [
    item('Temperature rise', l.temperature != null && ambient != null ? Number((l.temperature - ambient).toFixed(1)) : null, riseLimit, 'K'),
    item('Speed deviation', l.rpm != null && targetRpm ? Number(((Math.abs(l.rpm - targetRpm) / targetRpm) * 100).toFixed(2)) : null, tol, '%'),
    item('Speed', l.rpm ?? null, null, 'r/min'),
    item('Velocity RMS', b ? Number(b.velocityRmsMmS.toFixed(2)) : (l.vibVelocity ?? null), zones.bc, 'mm/s'),
    item('1x line', b ? Number(b.oneXMmS.toFixed(2)) : null, s1 === null ? null : Number((s1 * zones.ab).toPrecision(3)), 'mm/s'),
    item('2x line', b ? Number(b.twoXMmS.toFixed(2)) : null, s2 === null ? null : Number((s2 * zones.ab).toPrecision(3)), 'mm/s'),
    item('Bearing tone confidence', b ? Number(b.bearingConfidence.toFixed(2)) : null, bearingC?.kind === 'bearing_tones' ? bearingC.maxConfidence : null, ''),
  ];
}
