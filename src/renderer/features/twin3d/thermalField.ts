import { NO_DATA_RGB, scaleFraction, srgbToLinear, turbo, type HeatScale } from './colormap';

/** Turbo in linear light at 256 steps: a live repaint looks colours up instead of computing them. */
const LUT_STEPS = 256;
const LUT = (() => {
  const lut = new Float32Array(LUT_STEPS * 3);
  for (let i = 0; i < LUT_STEPS; i++) {
    turbo(i / (LUT_STEPS - 1), lut, i * 3);
    for (let k = 0; k < 3; k++) lut[i * 3 + k] = srgbToLinear(lut[i * 3 + k]);
  }
  return lut;
})();
const GREY_LINEAR = NO_DATA_RGB.map(srgbToLinear);

// The heat overlay's field: a simple thermal model of a TEFC motor gives the shape of the temperature rise
// over the frame (hottest over the windings, warm at the bearings, coolest where the fan blows), and the
// sensors scale it: each sensor says how much rise its spot has, and that factor is interpolated between
// sensors (inverse distance weighting). Everything is precomputed per vertex once, so a live update is
// one pass over preallocated arrays.

/** Used only when the board reports no ambient temperature; the legend says so. */
export const ASSUMED_AMBIENT_C = 25;

/**
 * Relative temperature rise at axial position u (0: non-drive end where the fan is, 1: drive end) and
 * height `up` (-1 bottom to 1 top): about 1 over the windings.
 */
export function riseShape(u: number, up: number): number {
  const windings = 0.4 * Math.exp(-(((u - 0.55) / 0.3) ** 2));
  const deBearing = 0.12 * Math.exp(-(((u - 0.97) / 0.06) ** 2));
  const ndeBearing = 0.06 * Math.exp(-(((u - 0.03) / 0.06) ** 2));
  const fanCooling = 0.2 * (1 - u) ** 3;
  return 0.6 + windings + deBearing + ndeBearing - fanCooling + 0.04 * up;
}

export type Vec3 = readonly [number, number, number];

export interface FieldFrame {
  /** Axis along x, from the non-drive end (xMin) to the drive end (xMax); y is up. */
  xMin: number;
  xMax: number;
  radius: number;
}

const shapeAt = (f: FieldFrame, x: number, y: number) => riseShape((x - f.xMin) / (f.xMax - f.xMin), Math.max(-1, Math.min(1, y / f.radius)));

export class ThermalField {
  readonly count: number;
  private readonly shape: Float32Array;
  /** Inverse-distance weights, vertex-major: weights[v * sensors + s]. */
  private readonly weights: Float32Array;
  /** Each vertex's nearest sensor: its region, grey when that sensor has no reading. */
  private readonly nearest: Uint8Array;
  private readonly sensorShape: Float32Array;
  private readonly factor: Float32Array;

  constructor(
    positions: ArrayLike<number>,
    private readonly frame: FieldFrame,
    private readonly sensors: readonly Vec3[],
  ) {
    this.count = positions.length / 3;
    const n = this.count;
    const s = sensors.length;
    this.shape = new Float32Array(n);
    this.weights = new Float32Array(n * s);
    this.nearest = new Uint8Array(n);
    this.sensorShape = Float32Array.from(sensors, (p) => shapeAt(frame, p[0], p[1]));
    this.factor = new Float32Array(s);
    const soft = (0.05 * frame.radius) ** 2;
    for (let v = 0; v < n; v++) {
      const x = positions[v * 3];
      const y = positions[v * 3 + 1];
      const z = positions[v * 3 + 2];
      this.shape[v] = shapeAt(frame, x, y);
      let best = 0;
      let bestD = Infinity;
      for (let i = 0; i < s; i++) {
        const d2 = (x - sensors[i][0]) ** 2 + (y - sensors[i][1]) ** 2 + (z - sensors[i][2]) ** 2;
        this.weights[v * s + i] = 1 / (d2 + soft);
        if (d2 < bestD) [bestD, best] = [d2, i];
      }
      this.nearest[v] = best;
    }
  }

  /** The estimated temperature at vertex v, or NaN where its sensor has no reading. Call after `solve`. */
  temperatureAt(v: number, ambient: number, available: ArrayLike<boolean>): number {
    const s = this.sensors.length;
    if (!available[this.nearest[v]]) return Number.NaN;
    let sum = 0;
    let wsum = 0;
    for (let i = 0; i < s; i++) {
      if (!available[i]) continue;
      const w = this.weights[v * s + i];
      sum += w * this.factor[i];
      wsum += w;
    }
    return ambient + (sum / wsum) * this.shape[v];
  }

  /** Each sensor's rise factor: its reading over ambient divided by the model's shape at its spot. */
  solve(readings: ArrayLike<number | null>, ambient: number, available: boolean[]): void {
    for (let i = 0; i < this.sensors.length; i++) {
      const r = readings[i];
      available[i] = r !== null && Number.isFinite(r);
      this.factor[i] = available[i] ? ((r as number) - ambient) / this.sensorShape[i] : 0;
    }
  }

  /**
   * Writes linear-light vertex colours (3 per vertex) for the readings; returns the hottest estimate
   * (NaN when nothing is known).
   */
  paint(readings: ArrayLike<number | null>, ambient: number, scale: HeatScale, colors: Float32Array, available: boolean[]): number {
    this.solve(readings, ambient, available);
    let hottest = Number.NaN;
    for (let v = 0; v < this.count; v++) {
      const t = this.temperatureAt(v, ambient, available);
      if (Number.isNaN(t)) {
        colors[v * 3] = GREY_LINEAR[0];
        colors[v * 3 + 1] = GREY_LINEAR[1];
        colors[v * 3 + 2] = GREY_LINEAR[2];
        continue;
      }
      if (!(t <= hottest)) hottest = t;
      const i = Math.round(scaleFraction(t, scale) * (LUT_STEPS - 1)) * 3;
      colors[v * 3] = LUT[i];
      colors[v * 3 + 1] = LUT[i + 1];
      colors[v * 3 + 2] = LUT[i + 2];
    }
    return hottest;
  }
}
