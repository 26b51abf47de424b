import { describe, expect, it } from 'vitest';
import { ManualIndex, subjectOf, type IndexedChunk } from './searchIndex';

const chunk = (id: string, text: string, subject: string | null = null): IndexedChunk => ({ id, manualId: id.split(':')[0], document: `${id.split(':')[0]}.txt`, title: 't', page: 1, section: null, text, subject });

describe('manual index', () => {
  const index = new ManualIndex();
  index.add([
    chunk('a:0', 'Regrease the drive end bearing every 4000 hours with lithium complex grease.'),
    chunk('a:1', 'Clean the cooling fins and the fan cowl when the motor runs hot.'),
    chunk('b:0', 'Check the generator bearings and journals for excessive wear.', 'generator'),
    chunk('c:0', 'Tighten the foot bolts to the torque in the table.'),
  ]);

  it('ranks the passage that answers first', () => {
    expect(index.search('how often should the bearing be regreased?')[0].chunk.id).toBe('a:0');
    expect(index.search('the motor runs hot')[0].chunk.id).toBe('a:1');
  });

  it('finds nothing rather than a weak passage when the question is not answered', () => {
    expect(index.search('what is the warranty of the drive?')).toEqual([]);
  });

  it('leaves manuals about other machines out unless asked about them, or nothing else answers', () => {
    expect(index.search('bearings').map((h) => h.chunk.id)).toEqual(['a:0']);
    expect(index.search('bearing wear').map((h) => h.chunk.id)).toEqual(['b:0']);
    expect(index.search('generator bearing wear')[0].chunk.id).toBe('b:0');
  });

  it('answers a question that names a machine from the manuals about it first', () => {
    const own = new ManualIndex();
    own.add([
      chunk('m:0', 'Measure the insulation resistance of the stator winding with a megger; record the insulation resistance.'),
      chunk('g:0', 'Generator stator winding: measure and record insulation resistance annually.', 'generator'),
      chunk('m:1', 'Dry the motor stator winding before the insulation test.'),
    ]);
    expect(own.search('how often is the insulation resistance of the generator stator winding measured?').map((h) => h.chunk.id)).toEqual(['g:0']);
  });

  it('finds a passage that uses another form of the question\'s words, offline', () => {
    const own = new ManualIndex();
    own.add([
      chunk('m:0', 'Excessive vibration of the frame is dependent upon the mounting and the insulating pads.'),
      chunk('m:1', 'Regrease the bearings at the interval on the nameplate.'),
    ]);
    expect(own.search('why is it vibrating in excess, and what is the dependence on insulation?')[0]?.chunk.id).toBe('m:0');
  });

  it("counts the machine a question names as found in every passage of a manual about it", () => {
    const own = new ManualIndex();
    own.add([
      chunk('m:0', 'Clean the terminal box of the motor and check the cable glands.'),
      chunk('g:0', 'Auxiliary generator: check the exciter and the governor.', 'generator'),
      chunk('g:1', 'Verify that all connections are tight and free of corrosion.', 'generator'),
    ]);
    expect(own.search('which connections should be checked on a generator?').map((h) => h.chunk.id)).toContain('g:1');
  });

  it('ranks a passage with the question\'s words side by side above one with them apart', () => {
    const own = new ManualIndex();
    own.add([
      chunk('m:0', 'Inspect the coupling guard. Check the oil level of the sleeve bearings and the bearings of the pump.'),
      chunk('m:1', 'Change the oil. Inspect bearings for excessive wear. Clean the windings of the motor and the fan.'),
      chunk('m:2', 'Regrease the bearings. Tighten the foot bolts and the terminal box cover.'),
    ]);
    expect(own.search('what should the bearings be inspected for?')[0]?.chunk.id).toBe('m:1');
  });

  it('forgets a removed manual', () => {
    index.removeManual('c');
    expect(index.search('foot bolts torque')).toEqual([]);
    expect(index.size).toBe(3);
  });

  it('tells a generator manual from a motor manual', () => {
    expect(subjectOf('Auxiliary generators. The generator stator… generator field')).toBe('generator');
    expect(subjectOf('The motor drives a pump; check the motor and pump alignment.')).toBeNull();
  });
});
