import { describe, expect, it } from 'vitest';
import { expandQuery } from './queryTerms';
import { terms } from './terms';

const known = (words: string) => {
  const set = new Set(terms(words));
  return (t: string) => set.has(t);
};
const also = (question: string, manual: string) => expandQuery(terms(question), known(manual)).map((q) => q.also.map((a) => a.term));

describe('query terms', () => {
  it('searches a word also by the related forms the manuals have', () => {
    expect(also('dirty', 'dirt on the contacts')).toEqual([terms('dirt')]);
    expect(also('lowest', 'a low reading')).toEqual([terms('low')]);
    expect(also('frequently', 'the frequency of inspection')).toEqual([terms('frequency')]);
    expect(also('freely', 'brushes free in the holder')).toEqual([terms('free')]);
  });

  it('counts a related form in full, and a synonym or a form that may be another word at less', () => {
    const [form] = expandQuery(terms('frequently'), known('the frequency of inspection'));
    const [synonym] = expandQuery(terms('surrounding'), known('ambient temperature'));
    const [maybeAnother] = expandQuery(terms('warranty'), known('as conditions warrant'));
    expect(form.also[0].weight).toBe(1);
    expect(synonym.also[0].weight).toBeLessThan(1);
    expect(maybeAnother.also[0].weight).toBeLessThan(1);
  });

  it('adds nothing the manuals lack, and leaves agent nouns alone', () => {
    expect(also('dirty', 'clean the windings')).toEqual([[]]);
    expect(also('starter', 'start the motor')).toEqual([[]]);
  });

  it('searches by the motor-world synonyms', () => {
    expect(also('megger', 'insulation resistance')).toEqual([terms('insulation')]);
    expect(also('surrounding', 'ambient temperature')).toEqual([terms('ambient')]);
    expect(also('debris', 'magnetic particles')).toEqual([terms('particles')]);
    expect(also('starter', 'motor controller')).toEqual([terms('controller')]);
    expect(also('hot', 'ambient temperature too high')).toEqual([terms('temperature')]);
  });
});
