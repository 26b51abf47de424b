import { describe, expect, it } from 'vitest';
import { plotStep, type PlotInputs } from './plotStep';

// The chart lifecycle: only a new configuration rebuilds; a resize or new data updates the plot in place.

const options = {};
const data = [[1], [2]];
const base: PlotInputs = { options, data, width: 400, height: 170 };

describe('plotStep', () => {
  it('builds once the container has a size, and not before', () => {
    expect(plotStep(null, { ...base, width: 0 }, false)).toEqual({ kind: 'none' });
    expect(plotStep(null, base, false)).toEqual({ kind: 'build' });
  });

  it('resizes in place when only the size changed', () => {
    expect(plotStep(base, { ...base, width: 380 }, true)).toEqual({ kind: 'update', size: true, data: false });
    expect(plotStep(base, { ...base, height: 200 }, true)).toEqual({ kind: 'update', size: true, data: false });
  });

  it('sets data in place when only the data or the x range changed', () => {
    expect(plotStep(base, { ...base, data: [[1, 2], [2, 3]] }, true)).toEqual({ kind: 'update', size: false, data: true });
    expect(plotStep(base, { ...base, xMin: 0, xMax: 10 }, true)).toEqual({ kind: 'update', size: false, data: true });
  });

  it('does both when size and data changed together', () => {
    expect(plotStep(base, { ...base, width: 300, data: [[], []] }, true)).toEqual({ kind: 'update', size: true, data: true });
  });

  it('rebuilds on a new configuration, whatever else changed', () => {
    expect(plotStep(base, { ...base, options: {} }, true)).toEqual({ kind: 'build' });
    expect(plotStep(base, { ...base, options: {}, width: 10, data: [] }, true)).toEqual({ kind: 'build' });
  });

  it('does nothing for a render that changed none of them, or while hidden', () => {
    expect(plotStep(base, { ...base }, true)).toEqual({ kind: 'none' });
    expect(plotStep(base, { ...base, options: {}, width: 0 }, true)).toEqual({ kind: 'none' });
  });
});
