// Numbers a maintenance engineer reads at a glance: two significant digits, no exponents, spans in the unit a
// person would say them in. Shared so the engine's explanations and the UI's labels say the same.

/** Two significant digits, never an exponent a reader must decode. */
export function sig(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e9) return v > 0 ? 'over a billion' : 'minus over a billion';
  if (a >= 1e6) return `${Number((v / 1e6).toPrecision(2))} million`;
  if (a >= 100) return Math.round(v).toLocaleString('en-US');
  return Number(v.toPrecision(2)).toString();
}

/** A span as a person says it: 40 s, 12 min, 5.5 h, 3 days, "over a year". */
export function duration(ms: number): string {
  const s = Math.abs(ms) / 1000;
  if (s < 1) return 'under a second';
  if (s < 90) return `${sig(s)} s`;
  if (s < 90 * 60) return `${sig(s / 60)} min`;
  if (s < 48 * 3600) return `${sig(s / 3600)} h`;
  if (s < 365 * 86400) return `${sig(s / 86400)} days`;
  return 'over a year';
}
