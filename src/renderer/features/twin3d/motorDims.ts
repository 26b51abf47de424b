// Proportions of the built-in motor from its rated power: the IEC frame (shaft height) a 4-pole TEFC motor
// of that power usually has, and the usual ratios of a catalogue motor to its shaft height.

const FRAMES: ReadonlyArray<[maxKw: number, shaftHeightMm: number]> = [
  [0.37, 71],
  [0.75, 80],
  [1.5, 90],
  [3, 100],
  [4, 112],
  [7.5, 132],
  [15, 160],
  [22, 180],
  [30, 200],
  [45, 225],
  [55, 250],
  [90, 280],
  [200, 315],
  [355, 355],
];

export interface MotorDims {
  /** IEC frame number (shaft height in mm) and whether it was assumed for want of a rated power. */
  frame: number;
  assumed: boolean;
  /** Metres. The shaft axis is the x axis (drive end towards +x); the floor is at y = -shaftHeight. */
  shaftHeight: number;
  coreRadius: number;
  finHeight: number;
  bodyLength: number;
  shieldThickness: number;
  fanCoverLength: number;
  fanCoverRadius: number;
  shaftRadius: number;
  shaftLength: number;
}

export function motorDims(ratedKw: number | null): MotorDims {
  const known = ratedKw !== null && Number.isFinite(ratedKw) && ratedKw > 0;
  const frame = known ? (FRAMES.find(([kw]) => ratedKw <= kw)?.[1] ?? 400) : 132;
  const h = frame / 1000;
  return {
    frame,
    assumed: !known,
    shaftHeight: h,
    coreRadius: 0.8 * h,
    finHeight: 0.13 * h,
    bodyLength: 2.6 * h,
    shieldThickness: 0.14 * h,
    fanCoverLength: 0.62 * h,
    fanCoverRadius: 0.86 * h,
    shaftRadius: 0.14 * h,
    shaftLength: 0.8 * h,
  };
}

/** The model's overall length along the axis, for framing the camera. */
export const overallLength = (d: MotorDims) => d.bodyLength + 2 * d.shieldThickness + d.fanCoverLength + d.shaftLength;
