import { describe, expect, it } from 'vitest';
import type { ConsoleLine } from '../../../shared/serialContract';
import { ConsoleModel, hexOf, VIEW_CAPACITY, windowOf } from './consoleModel';

const line = (seq: number, text = `line ${seq}`): ConsoleLine => ({ seq, ts: seq, dir: 'rx', text });

describe('ConsoleModel', () => {
  it('appends batches, ignoring lines it already has', () => {
    const m = new ConsoleModel();
    m.append([line(0), line(1)]);
    m.append([line(1), line(2)]);
    expect(m.visible('').map((l) => l.seq)).toEqual([0, 1, 2]);
  });
  it('freezes the view while paused but keeps collecting', () => {
    const m = new ConsoleModel();
    m.append([line(0)]);
    m.setPaused(true);
    m.append([line(1), line(2)]);
    expect(m.visible('')).toHaveLength(1);
    expect(m.held).toBe(2);
    m.setPaused(false);
    expect(m.visible('')).toHaveLength(3);
  });
  it('searches text and hex, incrementally as lines arrive', () => {
    const m = new ConsoleModel();
    m.append([line(0, 'boot ok'), { ...line(1, '..'), hex: 'ff00' }, line(2, 'BOOT again')]);
    expect(m.visible('boot').map((l) => l.seq)).toEqual([0, 2]);
    m.append([line(3, 'reboot')]);
    expect(m.visible('boot').map((l) => l.seq)).toEqual([0, 2, 3]);
    expect(m.visible('ff00').map((l) => l.seq)).toEqual([1]);
  });
  // No stopwatch here: on a loaded machine a time limit fails for nothing; what is checked is what it keeps.
  it('holds a minute at 5,000 lines a second within its capacity, newest last', () => {
    const m = new ConsoleModel();
    for (let b = 0; b < 600; b++) m.append(Array.from({ length: 500 }, (_, i) => line(b * 500 + i)));
    expect(m.received).toBe(300_000);
    expect(m.visible('').length).toBeLessThanOrEqual(VIEW_CAPACITY * 1.1);
    expect(m.visible('').at(-1)?.seq).toBe(299_999);
  });
});

describe('hexOf and windowOf', () => {
  it('shows bytes as spaced hex pairs', () => {
    expect(hexOf(line(0, 'A°'))).toBe('41 c2 b0');
    expect(hexOf({ ...line(0, '.'), hex: 'fffe' })).toBe('ff fe');
  });
  it('renders only the rows on screen', () => {
    expect(windowOf(100_000, 18_000, 540, 18, 10)).toEqual({ start: 990, end: 1040 });
    expect(windowOf(5, 0, 540, 18)).toEqual({ start: 0, end: 5 });
  });
});
