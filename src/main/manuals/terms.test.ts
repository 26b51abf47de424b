import { describe, expect, it } from 'vitest';
import { stem, terms } from './terms';

describe('terms', () => {
  it('stems plurals and verb forms so a question meets the manual', () => {
    expect(stem('bearings')).toBe(stem('bearing'));
    expect(stem('lubricated')).toBe(stem('lubricating'));
    expect(stem('batteries')).toBe(stem('battery'));
    expect(stem('running')).toBe(stem('runs'));
  });

  it('joins derivational forms of one root (-ion/-ing, -ive, -ent/-ence, -al)', () => {
    for (const [a, b] of [
      ['vibrating', 'vibration'],
      ['excessive', 'excess'],
      ['insulation', 'insulating'],
      ['dependent', 'dependence'],
      ['periodic', 'periodically'],
    ]) expect(stem(a), `${a} / ${b}`).toBe(stem(b));
  });

  it('meets irregular past forms and British spellings', () => {
    expect(terms('burnt worn colour centre')).toEqual(terms('burned wear color center'));
  });

  it('keeps apart words that only look alike', () => {
    expect(stem('generator')).not.toBe(stem('general'));
  });

  it('drops words that say nothing, keeps numbers, and joins words a PDF hyphenated across lines', () => {
    expect(terms('What does the manual say about the 6309 bearing?')).toEqual(['6309', 'bear']);
    expect(terms('careful inspec-\ntion')).toEqual([stem('careful'), stem('inspection')]);
  });

  it('keeps letters that name things (zone C, class F, the M and Q of a table) but not a unit symbol after its number', () => {
    expect(terms('zone C, class F; M-Monthly')).toEqual(['zone', 'c', 'class', 'f', 'm', stem('monthly')]);
    expect(terms('15 kW, 400 V, 28 A, 20 g')).toEqual(['15', 'kw', '400', '28', '20']);
  });

  it('drops every word of the Snowball stop list, and the other forms of a stop word', () => {
    expect(terms('Why do we not rewind it ourselves instead?')).toEqual([stem('rewind')]);
    expect(terms('the usual tasks')).toEqual(terms('tasks usually'));
    expect(terms('the usual tasks')).toEqual([stem('tasks')]);
  });
});
