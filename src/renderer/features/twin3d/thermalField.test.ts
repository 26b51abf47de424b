import { describe, expect, it } from 'vitest';
import { NO_DATA_RGB, srgbToLinear } from './colormap';
import { riseShape, ThermalField, type FieldFrame, type Vec3 } from './thermalField';

const frame: FieldFrame = { xMin: -0.5, xMax: 0.5, radius: 0.2 };
/** A line of vertices along the top of the frame, from the fan end to the drive end. */
const line = (n: number) => Float32Array.from({ length: n * 3 }, (_, i) => (i % 3 === 0 ? -0.5 + (Math.floor(i / 3) / (n - 1)) * 1 : i % 3 === 1 ? 0.2 : 0));

describe('thermal model', () => {
  it('is hottest over the windings and coolest where the fan blows', () => {
    expect(riseShape(0.55, 0)).toBeGreaterThan(riseShape(0.9, 0));
    expect(riseShape(0.9, 0)).toBeGreaterThan(riseShape(0.05, 0));
    expect(riseShape(0.5, 1)).toBeGreaterThan(riseShape(0.5, -1));
  });
});

describe('ThermalField', () => {
  it('matches the sensor at its own spot and follows the model elsewhere', () => {
    const positions = line(11);
    const sensor: Vec3 = [0, 0.2, 0]; // vertex 5
    const field = new ThermalField(positions, frame, [sensor]);
    const available = [false];
    field.solve([85], 25, available);
    expect(field.temperatureAt(5, 25, available)).toBeCloseTo(85, 3);
    const fanEnd = field.temperatureAt(0, 25, available);
    expect(fanEnd).toBeLessThan(85);
    expect(fanEnd).toBeGreaterThan(25);
    expect(field.temperatureAt(10, 25, available)).toBeGreaterThan(fanEnd);
  });

  it('interpolates between two sensors, matching each at its spot', () => {
    const positions = line(21);
    const field = new ThermalField(positions, frame, [
      [-0.3, 0.2, 0],
      [0.3, 0.2, 0],
    ]);
    const available = [false, false];
    field.solve([50, 90], 20, available);
    expect(field.temperatureAt(4, 20, available)).toBeCloseTo(50, 1);
    expect(field.temperatureAt(16, 20, available)).toBeCloseTo(90, 1);
    const mid = field.temperatureAt(10, 20, available);
    expect(mid).toBeGreaterThan(50);
    expect(mid).toBeLessThan(110);
  });

  it('leaves the region of a sensor without a reading grey, never a made-up colour', () => {
    const positions = line(21);
    const field = new ThermalField(positions, frame, [
      [-0.3, 0.2, 0],
      [0.3, 0.2, 0],
    ]);
    const colors = new Float32Array(positions.length);
    const available = [false, false];
    field.paint([60, null], 20, { min: 20, max: 120 }, colors, available);
    const grey = NO_DATA_RGB.map(srgbToLinear);
    // Drive-end half: nearest to the silent sensor.
    expect([...colors.slice(18 * 3, 18 * 3 + 3)].map((c) => c.toFixed(4))).toEqual(grey.map((c) => c.toFixed(4)));
    // Fan-end half: coloured from the sensor that reports.
    expect([...colors.slice(2 * 3, 2 * 3 + 3)].map((c) => c.toFixed(4))).not.toEqual(grey.map((c) => c.toFixed(4)));
  });

  it('paints everything grey with no readings at all, and reports no hottest spot', () => {
    const positions = line(5);
    const field = new ThermalField(positions, frame, [[0, 0.2, 0]]);
    const colors = new Float32Array(positions.length);
    expect(field.paint([null], 25, { min: 20, max: 120 }, colors, [false])).toBeNaN();
    expect(colors[0]).toBeCloseTo(srgbToLinear(NO_DATA_RGB[0]));
  });

  it('colours hotter readings redder at the sensor', () => {
    const positions = line(5);
    const field = new ThermalField(positions, frame, [[0, 0.2, 0]]);
    const cool = new Float32Array(positions.length);
    const hot = new Float32Array(positions.length);
    field.paint([30], 25, { min: 20, max: 120 }, cool, [false]);
    expect(field.paint([110], 25, { min: 20, max: 120 }, hot, [false])).toBeCloseTo(110, 1);
    expect(hot[6] - hot[8]).toBeGreaterThan(cool[6] - cool[8]);
  });
});
