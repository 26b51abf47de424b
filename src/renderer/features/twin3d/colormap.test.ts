import { describe, expect, it } from 'vitest';
import { NO_DATA_RGB, heatCss, heatScale, legendGradient, plausibleTemperature, scaleFraction, srgbToLinear, turbo } from './colormap';

describe('turbo colour map', () => {
  it('runs from dark blue through green to dark red', () => {
    const c = new Float32Array(9);
    turbo(0.1, c, 0);
    turbo(0.5, c, 3);
    turbo(1, c, 6);
    expect(c[2]).toBeGreaterThan(c[0]); // cold is blue
    expect(c[4]).toBeGreaterThan(c[3]); // middle is green
    expect(c[4]).toBeGreaterThan(c[5]);
    expect(c[6]).toBeGreaterThan(c[8]); // hot end is red
    expect(Math.max(...c)).toBeLessThanOrEqual(1);
    expect(Math.min(...c)).toBeGreaterThanOrEqual(0);
  });
  it('clamps values outside the scale to its ends', () => {
    const a = new Float32Array(3);
    const b = new Float32Array(3);
    turbo(-3, a);
    turbo(0, b);
    expect([...a]).toEqual([...b]);
    turbo(7, a);
    turbo(1, b);
    expect([...a]).toEqual([...b]);
  });
  it('moves from blue towards red as it warms, up to the dark-red end', () => {
    const c = new Float32Array(3);
    let last = -Infinity;
    for (let x = 0.25; x <= 0.8; x += 0.05) {
      turbo(x, c);
      expect(c[0] - c[2]).toBeGreaterThan(last - 1e-6);
      last = c[0] - c[2];
    }
  });
  it('converts sRGB to linear light', () => {
    expect(srgbToLinear(0)).toBe(0);
    expect(srgbToLinear(1)).toBeCloseTo(1);
    expect(srgbToLinear(0.5)).toBeCloseTo(0.214, 3);
  });
});

describe('heat scale', () => {
  it('spans 20 to 120 °C unless the alarm limit needs more', () => {
    expect(heatScale(80)).toEqual({ min: 20, max: 120 });
    expect(heatScale(null)).toEqual({ min: 20, max: 120 });
    expect(heatScale(135)).toEqual({ min: 20, max: 160 });
    expect(scaleFraction(70, heatScale(80))).toBeCloseTo(0.5);
  });
  it('draws a missing reading in the no-data grey, never a map colour', () => {
    const grey = `rgb(${NO_DATA_RGB.map((c) => Math.round(c * 255)).join(', ')})`;
    expect(heatCss(null, heatScale(80))).toBe(grey);
    expect(heatCss(Number.NaN, heatScale(80))).toBe(grey);
    expect(heatCss(70, heatScale(80))).not.toBe(grey);
  });
  it('builds a CSS gradient for the legend', () => {
    expect(legendGradient(3)).toMatch(/^linear-gradient\(to right, rgb\(.+\), rgb\(.+\), rgb\(.+\)\)$/);
  });
  it('clamps and flags absurd temperatures', () => {
    expect(plausibleTemperature(72)).toEqual({ value: 72, flagged: false });
    expect(plausibleTemperature(900)).toEqual({ value: 250, flagged: true });
    expect(plausibleTemperature(-100)).toEqual({ value: -40, flagged: true });
  });
});
