import { processTerm } from './terms';

// What a question's word may also be found as in the manuals. Two kinds, both on the question's side only:
// - related forms the stemmer leaves apart (dirty/dirt, lowest/low, frequently/frequency), tried only when the
//   manuals have that form, so they never add a word that is not there;
// - a few synonyms of the motor world: one thing that maintenance people name two ways. Kept short on purpose:
//   a pair belongs here only when either word would stand in a manual for the same thing.

const SYNONYMS: string[][] = [
  ['megger', 'insulation'], // a megger reading is the insulation resistance
  ['ambient', 'surrounding'],
  ['premature', 'early'],
  ['disassemble', 'dismantle'],
  ['starter', 'contactor'], // a motor starter is a contactor with an overload relay
  ['earth', 'ground'],
  ['speed', 'rpm'],
  ['volt', 'voltage'],
  ['amp', 'current'],
  ['observe', 'watch', 'monitor'],
  ['overheating', 'hot'],
  ['hot', 'temperature'], // "running hot" is what a manual writes as a high temperature
  ['debris', 'particle'], // wear debris and wear particles are one thing (oil and grease analysis names it both ways)
  ['starter', 'controller'], // NEMA's name for a starter is a motor controller; manuals file it under "motor control"
];

const SYNONYMS_OF = new Map<string, string[]>();
for (const group of SYNONYMS) {
  const stems = group.map((w) => processTerm(w)).filter((t): t is string => t !== null);
  for (const t of stems) SYNONYMS_OF.set(t, [...(SYNONYMS_OF.get(t) ?? []), ...stems.filter((o) => o !== t)]);
}

/** A related form is the same word in another part of speech: it counts in full. */
export const FORM_WEIGHT = 1;
/** A synonym, or a form that may be another word, counts less than the word as asked. */
export const SYNONYM_WEIGHT = 0.7;

/** Forms a stem can take in a related word that the Porter2 stemmer gives another stem, each with its weight. */
function relatedForms(t: string): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  // An adjective in -y and its noun: dirty/dirt, noisy/noise, rusty/rust ("noisi" and "nois" as stems). Not in full:
  // the same ending makes other words (warranty/warrant, early/earl).
  if (t.endsWith('i') && t.length > 4) out.push([t.slice(0, -1), SYNONYM_WEIGHT]);
  else out.push([`${t}i`, SYNONYM_WEIGHT]);
  // An adverb in -ly whose stem keeps it: freely/free ("freeli"), newly/new.
  if (t.endsWith('li') && t.length > 4) out.push([t.slice(0, -2), FORM_WEIGHT]);
  // Superlatives (lowest/low, hottest/hot) and doubled comparatives (hotter/hot); a plain -er is left alone,
  // since most such words are agents (starter, breaker, heater) rather than comparisons.
  const base = /^(.{2,}?)est$/.exec(t)?.[1] ?? /^(.*([^aeiou])\2)er$/.exec(t)?.[1];
  if (base) out.push([base, FORM_WEIGHT], [base.replace(/([^aeiou])\1$/, '$1'), FORM_WEIGHT]);
  // -ent/-ency and -ant/-ancy: frequently/frequency ("frequent", "frequenc").
  if (/[ae]nt$/.test(t)) out.push([`${t.slice(0, -1)}c`, FORM_WEIGHT]);
  if (/[ae]nc$/.test(t)) out.push([`${t.slice(0, -1)}t`, FORM_WEIGHT]);
  return out;
}

export interface QueryTerm {
  /** The stem of the question's word. */
  term: string;
  /** Further index terms that count as this word, each with its weight against the word itself. */
  also: Array<{ term: string; weight: number }>;
}

/** The question's stems, each with the other forms it is searched by; `known` says whether the manuals have a term. */
export function expandQuery(stems: string[], known: (term: string) => boolean): QueryTerm[] {
  return stems.map((term) => {
    const also = new Map<string, number>();
    for (const s of SYNONYMS_OF.get(term) ?? []) if (known(s)) also.set(s, SYNONYM_WEIGHT);
    for (const [f, weight] of relatedForms(term)) if (f !== term && known(f)) also.set(f, Math.max(weight, also.get(f) ?? 0));
    return { term, also: [...also].map(([t, weight]) => ({ term: t, weight })) };
  });
}
