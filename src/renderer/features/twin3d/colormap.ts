// Colour maps for the heat overlay. Turbo (Google's perceptual rainbow, polynomial fit by Mikhailov) reads
// hot and cold at a glance on both themes; values are written into caller-owned arrays, so the live update
// path allocates nothing.

/** The grey of "no data": never a colour of the map. */
export const NO_DATA_RGB: readonly [number, number, number] = [0.55, 0.57, 0.6];

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/** Turbo at x in [0, 1] (clamped), as sRGB in [0, 1], written at out[offset..offset+2]. */
export function turbo(x: number, out: Float32Array | number[], offset = 0): void {
  const t = clamp01(x);
  out[offset] = clamp01(0.13572138 + t * (4.6153926 + t * (-42.66032258 + t * (132.13108234 + t * (-152.94239396 + t * 59.28637943)))));
  out[offset + 1] = clamp01(0.09140261 + t * (2.19418839 + t * (4.84296658 + t * (-14.18503333 + t * (4.27729857 + t * 2.82956604)))));
  out[offset + 2] = clamp01(0.1066733 + t * (12.64194608 + t * (-60.58204836 + t * (110.36276771 + t * (-89.90310912 + t * 27.34824973)))));
}

/** three.js wants vertex colours in linear light; the map above is sRGB. */
export function srgbToLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export interface HeatScale {
  min: number;
  max: number;
}

/**
 * The legend's span in °C: from a cool room to past the alarm limit, the same for every motor so
 * colours compare across the fleet unless a motor's limits need more room.
 */
export function heatScale(alarmAbove: number | null | undefined): HeatScale {
  const max = Math.max(120, alarmAbove != null && Number.isFinite(alarmAbove) ? Math.ceil((alarmAbove + 20) / 10) * 10 : 0);
  return { min: 20, max };
}

/** A temperature's place on the scale, in [0, 1]. */
export const scaleFraction = (t: number, s: HeatScale) => clamp01((t - s.min) / (s.max - s.min));

/** A CSS colour for a temperature (legend, fleet glyphs); null reads as the "no data" grey. */
export function heatCss(t: number | null, s: HeatScale): string {
  const rgb = [0, 0, 0];
  if (t === null || !Number.isFinite(t)) rgb.splice(0, 3, ...NO_DATA_RGB);
  else turbo(scaleFraction(t, s), rgb);
  return `rgb(${rgb.map((c) => Math.round(c * 255)).join(', ')})`;
}

/** The legend's gradient, as CSS (set through element.style, which the CSP allows). */
export function legendGradient(stops = 11): string {
  const s: HeatScale = { min: 0, max: 1 };
  return `linear-gradient(to right, ${Array.from({ length: stops }, (_, i) => heatCss(i / (stops - 1), s)).join(', ')})`;
}

/** Readings a temperature sensor cannot plausibly give: shown clamped and flagged, never trusted. */
export const PLAUSIBLE_C = { min: -40, max: 250 } as const;

export function plausibleTemperature(t: number): { value: number; flagged: boolean } {
  if (t < PLAUSIBLE_C.min) return { value: PLAUSIBLE_C.min, flagged: true };
  if (t > PLAUSIBLE_C.max) return { value: PLAUSIBLE_C.max, flagged: true };
  return { value: t, flagged: false };
}
