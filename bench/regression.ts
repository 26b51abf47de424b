import type { Figure } from './figure';

/**
 * A figure's ratio (its value against the baseline measured in the same run) as it was on a quiet
 * machine, and which way is better. Ratios, not values: a slower CI machine slows both sides alike.
 */
export interface ReferenceEntry {
  ratio: number;
  better: 'lower' | 'higher';
}
export type Reference = Record<string, ReferenceEntry>;

/** What got more than `factor` times worse than the reference, or went missing, in words. */
export function findRegressions(figures: Figure[], reference: Reference, factor = 2): string[] {
  const byName = new Map(figures.map((f) => [f.name, f]));
  const out: string[] = [];
  for (const [name, ref] of Object.entries(reference)) {
    const f = byName.get(name);
    if (!f) {
      out.push(`${name}: not measured (its suite failed or was renamed)`);
      continue;
    }
    if (f.ratio === null || !Number.isFinite(f.ratio)) {
      out.push(`${name}: no ratio this run (value ${f.value} ${f.unit}, baseline ${f.baseline})`);
      continue;
    }
    const worse = ref.better === 'lower' ? f.ratio > ref.ratio * factor : f.ratio < ref.ratio / factor;
    if (worse) out.push(`${name}: ratio ${f.ratio} against ${ref.ratio} in the reference (${ref.better} is better; more than ${factor}x worse)`);
  }
  return out;
}
