import porter2 from 'wink-porter2-stemmer';

// Words to index and to search by: lower case, common English words dropped, a maintained Snowball stemmer
// so inflected and derived forms of one word meet. PDF line-end hyphenation ("inspec-\ntion") is undone first.

const STOPWORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both but by can could
  did do does doing down during each few for from further had has have having he her here hers him his how i if in into is it its
  itself just me more most my no nor not now of off on once only or other our out over own same she should so some such than that
  the their them then there these they this those through to too under until up very was we were what when where which while who
  whom why will with would you your yours shall may might must also per via etc what's how's it's don't doesn't isn't whats
  say says said tell told describe described describes manual manuals according usually often happen happens
  happened need needs needed get gets got know mean means thing things way want give
  less least keep keeps else lot lots kind kinds sort look looks looking fix remedy deal dealing done next something anything still even much many
  really okay stuff sure`.split(/\s+/),
);
// The last two lines frame a maintenance question ("what is the fix", "what kind of", "what else") without naming
// its topic: a manual's answer never repeats them, and counting them would make an answered question look unanswered.

// Forms a suffix stemmer cannot reach: irregular past forms, and British spellings of words a US manual spells
// otherwise (and the reverse never matters: both sides of a search go through here).
const IRREGULAR: Record<string, string> = {
  burnt: 'burn', worn: 'wear', broken: 'break', broke: 'break', bent: 'bend', stuck: 'stick', held: 'hold', rewound: 'rewind',
  shook: 'shake', shaken: 'shake', ran: 'run', spun: 'spin', blown: 'blow', blew: 'blow', froze: 'freeze', frozen: 'freeze',
  aluminium: 'aluminum', sulphur: 'sulfur', grey: 'gray', mould: 'mold',
};

function normalizeWord(w: string): string {
  const irregular = IRREGULAR[w];
  if (irregular) return irregular;
  if (w.length > 5) return w.replace(/our(s|ed|ing)?$/, 'or$1').replace(/tre(s)?$/, 'ter$1');
  return w;
}

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
  return stem(normalizeWord(w));
}

export function terms(text: string): string[] {
  const out: string[] = [];
  for (const t of tokenize(text)) {
    const p = processTerm(t);
    if (p) out.push(p);
  }
  return out;
}

// Porter2 costs about 5 us a word; a manual library has a few tens of thousands of distinct words, so each
// is stemmed once. The bound only stops a stream of unique tokens (serial numbers) from growing it forever.
const STEMS = new Map<string, string>();
const MAX_STEMS = 200_000;

/** The Snowball English (Porter2) stem, so "vibrating"/"vibration" and "dependent"/"dependence" meet. */
export function stem(w: string): string {
  if (/\d/.test(w)) return w;
  let s = STEMS.get(w);
  if (s === undefined) {
    if (STEMS.size >= MAX_STEMS) STEMS.clear();
    s = porter2(w);
    STEMS.set(w, s);
  }
  return s;
}
