// Words to index and to search by: lower case, common English words dropped, a light suffix stemmer so
// "bearings", "bearing" and "noisy"/"noise" meet. PDF line-end hyphenation ("inspec-\ntion") is undone first.

const STOPWORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both but by can could
  did do does doing down during each few for from further had has have having he her here hers him his how i if in into is it its
  itself just me more most my no nor not now of off on once only or other our out over own same she should so some such than that
  the their them then there these they this those through to too under until up very was we were what when where which while who
  whom why will with would you your yours shall may might must also per via etc what's how's it's don't doesn't isn't whats
  say says said tell told describe described describes manual manuals according usually often happen happens
  happened need needs get gets got know mean means thing things way want give`.split(/\s+/),
);

export function normalizeText(text: string): string {
  return text.replace(/(\p{L})-\s*\n\s*(\p{L})/gu, '$1$2');
}

export function tokenize(text: string): string[] {
  return normalizeText(text).toLowerCase().match(/[\p{L}\p{N}]+(?:'[a-z]+)?/gu) ?? [];
}

/** The index term of a word, or null for words that carry no meaning on their own. */
export function processTerm(word: string): string | null {
  const w = word.toLowerCase().replace(/'s$/, '');
  if (w.length < 2 && !/\d/.test(w)) return null;
  if (STOPWORDS.has(w)) return null;
  return stem(w);
}

export function terms(text: string): string[] {
  const out: string[] = [];
  for (const t of tokenize(text)) {
    const p = processTerm(t);
    if (p) out.push(p);
  }
  return out;
}

const VOWEL = /[aeiouy]/;

/** A small English stemmer (plurals, -ing, -ed, -ly, -ness, -ation, -y/-ies): enough for maintenance text. */
export function stem(w: string): string {
  if (w.length <= 3 || /\d/.test(w)) return w;
  let s = w;
  if (s.endsWith('sses')) s = s.slice(0, -2);
  else if (s.endsWith('ies') && s.length > 4) s = `${s.slice(0, -3)}y`;
  else if (s.endsWith('s') && !s.endsWith('ss') && !s.endsWith('us') && !s.endsWith('is')) s = s.slice(0, -1);
  for (const [suffix, repl] of [
    ['ational', 'ate'],
    ['ation', 'ate'],
    ['ness', ''],
    ['ment', ''],
    ['ingly', ''],
    ['edly', ''],
    ['ing', ''],
    ['ed', ''],
    ['ly', ''],
  ] as const) {
    if (s.endsWith(suffix) && s.length - suffix.length >= 3 && VOWEL.test(s.slice(0, -suffix.length))) {
      s = s.slice(0, -suffix.length) + repl;
      if ((suffix === 'ing' || suffix === 'ed') && /([^aeiouslz])\1$/.test(s)) s = s.slice(0, -1);
      break;
    }
  }
  if (s.endsWith('y') && s.length > 3 && !VOWEL.test(s[s.length - 2])) s = `${s.slice(0, -1)}i`;
  if (s.endsWith('e') && s.length > 4) s = s.slice(0, -1);
  return s;
}
