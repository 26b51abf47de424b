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
];

const SYNONYMS_OF = new Map<string, string[]>();
for (const group of SYNONYMS) {
  const stems = group.map((w) => processTerm(w)).filter((t): t is string => t !== null);
  for (const t of stems) SYNONYMS_OF.set(t, [...(SYNONYMS_OF.get(t) ?? []), ...stems.filter((o) => o !== t)]);
}

/** Forms a stem can take in a related word that the Porter2 stemmer gives another stem. */
function relatedForms(t: string): string[] {
  const out: string[] = [];
  // An adjective in -y and its noun: dirty/dirt, noisy/noise, rusty/rust ("noisi" and "nois" as stems).
  if (t.endsWith('i') && t.length > 4) out.push(t.slice(0, -1));
  else out.push(`${t}i`);
  // Superlatives (lowest/low, hottest/hot) and doubled comparatives (hotter/hot); a plain -er is left alone,
  // since most such words are agents (starter, breaker, heater) rather than comparisons.
  const base = /^(.{2,}?)est$/.exec(t)?.[1] ?? /^(.*([^aeiou])\2)er$/.exec(t)?.[1];
  if (base) out.push(base, base.replace(/([^aeiou])\1$/, '$1'));
  // -ent/-ency and -ant/-ancy: frequently/frequency ("frequent", "frequenc").
  if (/[ae]nt$/.test(t)) out.push(`${t.slice(0, -1)}c`);
  if (/[ae]nc$/.test(t)) out.push(`${t.slice(0, -1)}t`);
  return out;
}

export interface QueryTerm {
  /** The stem of the question's word. */
  term: string;
  /** Further index terms that count as this word, each with its weight against the word itself. */
  also: Array<{ term: string; weight: number }>;
}

/** Weight of a related form or a synonym against the word as asked. */
export const RELATED_WEIGHT = 0.7;

/** The question's stems, each with the other forms it is searched by; `known` says whether the manuals have a term. */
export function expandQuery(stems: string[], known: (term: string) => boolean): QueryTerm[] {
  return stems.map((term) => {
    const also = new Set<string>();
    for (const f of relatedForms(term)) if (f !== term && known(f)) also.add(f);
    for (const s of SYNONYMS_OF.get(term) ?? []) if (known(s)) also.add(s);
    return { term, also: [...also].map((t) => ({ term: t, weight: RELATED_WEIGHT })) };
  });
}
