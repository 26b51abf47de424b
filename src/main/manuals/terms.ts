import porter2 from 'wink-porter2-stemmer';

// Words to index and to search by: lower case, common English words dropped, a maintained Snowball stemmer
// so inflected and derived forms of one word meet. PDF line-end hyphenation ("inspec-\ntion") is undone first.

// The Snowball project's English stop list (its contractions included), then a few more function words.
const SNOWBALL_STOPWORDS = `i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its
  itself they them their theirs themselves what which who whom this that these those am is are was were be been being have has had having
  do does did doing would should could ought i'm you're he's she's it's we're they're i've you've we've they've i'd you'd he'd she'd we'd
  they'd i'll you'll he'll she'll we'll they'll isn't aren't wasn't weren't hasn't haven't hadn't doesn't don't didn't won't wouldn't
  shan't shouldn't can't cannot couldn't mustn't let's that's who's what's here's there's when's where's why's how's a an the and but if or
  because as until while of at by for with about against between into through during before after above below to from up down in out on
  off over under again further then once here there when where why how all any both each few more most other some such no nor not only
  own same so than too very`;
const STOPWORDS = new Set(
  `${SNOWBALL_STOPWORDS} can will just now shall may might must also per via etc whats instead whether rather either
  say says said tell told describe described describes manual manuals according usually often happen happens
  happened need needs needed get gets got know mean means thing things way want give
  less least keep keeps else lot lots kind kinds sort look looks looking fix remedy deal dealing done next something anything still even much many
  really okay stuff sure`.split(/\s+/),
);
// From "say" on, words that frame a maintenance question ("what is the fix", "what kind of", "what else") without
// naming its topic: a manual's answer never repeats them, and counting them would make an answered question look
// unanswered. A stop word's other forms are stop words too ("usual" as "usually", "telling" as "tell").
const STOP_STEMS = new Set([...STOPWORDS].map((w) => porter2(w)));

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

/** A unit symbol of one letter after its number ("400 V", "28 A", "20 g"): the number is the term. */
const UNIT_LETTER = /(\p{N}) \p{L}(?![\p{L}\p{N}'])/gu;

export function tokenize(text: string): string[] {
  return normalizeText(text).replace(UNIT_LETTER, '$1').toLowerCase().match(/[\p{L}\p{N}]+(?:'[a-z]+)?/gu) ?? [];
}

/** The index term of a word, or null for words that carry no meaning on their own. */
export function processTerm(word: string): string | null {
  const w = word.toLowerCase().replace(/'s$/, '');
  if (w.length < 1) return null;
  if (STOPWORDS.has(w)) return null;
  const s = stem(normalizeWord(w));
  return STOP_STEMS.has(s) ? null : s;
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
