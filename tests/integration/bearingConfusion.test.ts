import { describe, expect, it } from 'vitest';
import { bearingCases, caseName, judge, windows, type BearingCase } from '../../bench/bearingConfusion';

// Every CWRU record in ../shared/data/cwru, drive-end and fan-end accelerometers, whole and in 1 s and 2 s
// windows: no confident wrong bearing fault anywhere (the table itself: `node bin/run-ts.js bench/bearingConfusion.ts --windows`).
const cases = bearingCases();
const find = (record: number, channel: 'DE' | 'FE', bearing: '6205' | '6203'): BearingCase => cases.find((c) => c.record.record === record && c.channel === channel && c.bearing === bearing)!;

describe('bearing confusion on every CWRU record', () => {
  it('covers 6 records, both accelerometers, the drive-end 6205 and the fan-end 6203', () => {
    expect(cases.length).toBe(18);
  });

  it('never names a wrong bearing fault with confidence above 0.5: whole records and 3 windows each of 1 s and 2 s', () => {
    const wrong: string[] = [];
    for (const c of cases) {
      const records = [c.samples, ...[1, 2].flatMap((s) => windows(c.samples, c.record.fs, s, 3))];
      records.forEach((x, i) => {
        const v = judge(c, x);
        if (v.confidentWrong) wrong.push(`${caseName(c)} ${i ? `window ${i}` : 'whole'}: ${v.predicted} ${v.confidence.toFixed(2)} (truth ${c.truth})`);
      });
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('105 is an inner-race fault and 130 an outer-race fault, from either accelerometer', () => {
    for (const ch of ['DE', 'FE'] as const) {
      expect(judge(find(105, ch, '6205'))).toMatchObject({ predicted: 'inner' });
      expect(judge(find(105, ch, '6205')).confidence).toBeGreaterThan(0.7);
      expect(judge(find(130, ch, '6205'))).toMatchObject({ predicted: 'outer' });
      expect(judge(find(130, ch, '6205')).confidence).toBeGreaterThan(0.7);
    }
  });

  it('97 (normal) has no bearing fault at either end; the fan-end 6203 of the faulty records is never called faulty', () => {
    for (const c of [find(97, 'DE', '6205'), find(97, 'FE', '6205'), find(97, 'FE', '6203')]) expect(judge(c).predicted, caseName(c)).toBe('normal');
    for (const c of cases.filter((k) => k.bearing === '6203')) expect(['normal', 'inconclusive'], caseName(c)).toContain(judge(c).predicted);
  });

  it('118 (B007, not diagnosable per Smith & Randall 2015) is ball or inconclusive, never a confident race fault', () => {
    for (const ch of ['DE', 'FE'] as const) {
      const v = judge(find(118, ch, '6205'));
      expect(['ball', 'inconclusive']).toContain(v.predicted);
    }
  });
});
