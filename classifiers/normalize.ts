/**
 * Normalization against the usual ways people dodge word filters: case, ё/е, Latin and
 * digit look-alikes, letters split by spaces or punctuation, stretched letters,
 * zero-width and combining characters, masks like «х*й». URLs, mentions, phones and
 * emoji are taken out first so that they neither hide nor fake a word.
 *
 * Every rule set reads the same `Normalized` value, so a message is normalized once.
 */
import { WordMemo } from './memo.js';

export interface Token {
  /** The token as the author wrote it (for evidence shown to the curator). */
  readonly raw: string;
  /** Lower case, ё→е, letters only (hyphens kept inside compound words). */
  readonly plain: string;
  /**
   * Candidate readings after undoing evasion, letters only. The first keeps doubled
   * letters (runs of three or more squeezed: «бляяяя» → «бля»), for phrase patterns and
   * words like «расстрелять»; later ones have every double squeezed («ссука» → «сука»).
   * More than one also when a Latin letter is ambiguous (h → н or х). A `*` stays
   * where the author masked letters.
   */
  readonly folded: readonly string[];
  /**
   * True when the token stands inside quotation marks: a citizen who writes what was
   * said to them is reporting it, not saying it.
   */
  readonly quoted: boolean;
  /** True when a sentence ends after the token (. ! ? … or a line break). */
  readonly sentenceEnd: boolean;
  /**
   * For a token whose `plain` is its `raw` and holds no hyphen, what the statistical
   * classifiers worked out about the word, shared by every token of the same word.
   */
  readonly facts?: WordFacts;
}

/**
 * What is known of one word of letters and digits, kept with its readings: the same words
 * come back in message after message, and each question asked of a word here costs no
 * look-up of the word in another table.
 */
export interface WordFacts {
  readonly folded: readonly string[];
  /** The word's content stem (stem.ts), null for a stopword, a number or one letter; undefined until asked. */
  contentStem: string | null | undefined;
  /**
   * The word lists one of its readings is in (lexicon.ts), one bit per list, and how many
   * lists there were when it was worked out (-1 until asked).
   */
  readingMask: number;
  readingLists: number;
  /** The phrase lists a phrase of which can begin with its first reading (lexicon.ts), and how many lists had a gate then (-1 until asked). */
  starterMask: number;
  starterLists: number;
  /** The abuse model's kept sums for the word outside quotation marks (abuse-model.ts), and the model state they were summed for. */
  abuseOwner: object | null;
  abuseSums: unknown;
  /** Per phrase list with a gate (lexicon.ts), by its place, the entries that can begin with the first reading; null until asked. */
  phraseStarts: (readonly number[] | undefined)[] | null;
}

/**
 * Facts with every field present from the start: objects that gain fields in different
 * orders get different shapes, and reading one field of many shapes is slow.
 */
function newFacts(folded: readonly string[]): WordFacts {
  return { folded, contentStem: undefined, readingMask: 0, readingLists: -1, starterMask: 0, starterLists: -1, abuseOwner: null, abuseSums: null, phraseStarts: null };
}

export interface Normalized {
  readonly original: string;
  /** Lower case, ё→е, invisible characters removed, URLs/mentions/emoji/phones cut out. */
  readonly text: string;
  readonly tokens: readonly Token[];
  readonly urls: readonly string[];
  readonly mentions: readonly string[];
  readonly emoji: readonly string[];
  readonly phones: readonly string[];
}

const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFEFF\uFFA0]/g;
const COMBINING = /\p{M}/gu;
const URL = /\b(?:https?:\/\/|www\.)[^\s<>«»"]+|\b[a-z0-9][a-z0-9-]*\.(?:ru|рф|com|net|org|su|info|shop|store|online|site|pro|me|ly|cc|io|biz|club|top|xyz)(?:\/[^\s<>«»"]*)?(?![\p{L}\d])/giu;
// VK writes mentions as [id123|Имя] or [club123|Имя]; elsewhere @name.
const MENTION = /\[(?:id|club|public)\d+\|[^\]]*\]|(?<![\p{L}\d])@[a-z0-9_.]{3,}/giu;
const EMOJI = /\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic})*/gu;
// Russian phone numbers in the shapes people type them: +7 (912) 345-67-89, 89123456789, 8-912-345-67-89.
const PHONE = /(?<!\d)(?:\+7|8)[\s(.-]*\d{3}[\s).-]*\d{3}[\s.-]*\d{2}[\s.-]*\d{2}(?!\d)/g;

// Latin and digit look-alikes of Cyrillic letters, applied only inside tokens that
// already mix in a Cyrillic letter or that are otherwise nonsense in Latin, so that
// «3 этаж», «2024» and English words stay as they are.
const LOOKALIKE: Readonly<Record<string, string>> = {
  a: 'а', b: 'б', c: 'с', d: 'д', e: 'е', g: 'д', k: 'к', m: 'м', n: 'п', o: 'о', p: 'р', r: 'г',
  t: 'т', u: 'и', x: 'х', y: 'у', w: 'ш', z: 'з', s: 'с', i: 'и', l: 'л', v: 'в', f: 'ф', j: 'й',
  '0': 'о', '3': 'з', '4': 'ч', '6': 'б', '9': 'я', '1': 'и', '$': 'с',
};
// Letters whose look-alike and transliteration disagree: both readings are tried.
// '@' stands for «а» or for any masked letter («п@здец»).
const AMBIGUOUS: Readonly<Record<string, readonly string[]>> = { h: ['н', 'х'], u: ['и', 'у'], y: ['у', 'й'], n: ['п', 'н'], '@': ['а', '*'] };

// Transliteration for tokens written wholly in Latin («pizda», «nahuy», «blyat»).
const TRANSLIT: readonly (readonly [RegExp, string])[] = [
  [/shch/g, 'щ'], [/sch/g, 'щ'], [/sh/g, 'ш'], [/ch/g, 'ч'], [/zh/g, 'ж'], [/kh/g, 'х'], [/ts/g, 'ц'],
  [/ya|ja|ia/g, 'я'], [/yu|ju|iu/g, 'ю'], [/yo|jo/g, 'е'], [/ye/g, 'е'],
  [/([аеиоуыэюяaeiou])y/g, '$1й'], [/y(?=[^aeiou]|$)/g, 'й'],
];
const TRANSLIT_LETTER: Readonly<Record<string, string>> = {
  a: 'а', b: 'б', v: 'в', g: 'г', d: 'д', e: 'е', z: 'з', i: 'и', j: 'й', k: 'к', l: 'л', m: 'м', n: 'н',
  o: 'о', p: 'п', r: 'р', s: 'с', t: 'т', u: 'у', f: 'ф', h: 'х', c: 'ц', y: 'ы', x: 'х', w: 'в', q: 'к',
};

const MASK_SIGN = /[№%#&$]/;
// Characters that NFKC and NFC keep as they are and that no pattern of the removals before
// lower-casing (invisible, combining, emoji) matches: ASCII, the Russian block, dashes,
// guillemets, the rouble and degree signs.
const STABLE_TEXT = /^[\u0000-\u007f\u0400-\u045f«»—–₽°]*$/;
const INITIAL = /[А-ЯЁ]\./;
// Every link URL finds holds one of these.
const MAY_HOLD_URL = /:\/\/|www\.|\.(?:ru|рф|com|net|org|su|info|shop|store|online|site|pro|me|ly|cc|io|biz|club|top|xyz)/iu;
const PLAIN_WORD = /^[а-яa-z0-9]+$/;
const MAY_HOLD_MENTION = /[@[]/;
const THREE_DIGITS = /\d{3}/;
const OPENING_QUOTE = /[«„“]/;

const GLUED_BY_SIGN = /[,!?;:()…»”—–"][«„“]?[а-яa-z]/;
const GLUED_BY_DOT = /\.[а-яa-z]/;

const CYR = /[а-я]/;
const LAT = /[a-z]/;

/** Letters spelled one by one: «х у й», «х.у.й», «б-л-я-т-ь». Three or more single signs. */
const SPLIT_LETTERS = /(?<![\p{L}\d@$*])(?:[\p{L}\d@$*][\s.\-_,|/\\+~]{1,3}){2,}[\p{L}\d@$*](?![\p{L}\d@$*])/gu;

/**
 * What SPLIT_LETTERS needs, without the Unicode letter class: three single characters
 * (a surrogate pair counts as one) between separators, the first and last not beside a
 * Russian or Latin letter, a digit or a masking sign. Few texts have it; the Unicode
 * pattern over every position of the others cost more than the rest of the pass.
 */
const MAY_SPLIT_LETTERS = /(?<![а-яёa-z0-9@$*])(?:[^\s.\-_,|/\\+~]|[\ud800-\udbff][\udc00-\udfff])(?:[\s.\-_,|/\\+~]{1,3}(?:[^\s.\-_,|/\\+~]|[\ud800-\udbff][\udc00-\udfff])){2}(?![а-яёa-z0-9@$*])/;
/** White space other than single spaces and the sentence marks. */
const ODD_SPACE = /[^\S \u2029]| {2}/;

function squeeze(word: string): string {
  return word.replace(/(.)\1+/g, '$1');
}

function squeezeStretched(word: string): string {
  return word.replace(/(.)\1{2,}/g, '$1');
}

function translit(word: string): string {
  let s = word;
  for (const [re, to] of TRANSLIT) s = s.replace(re, to);
  let out = '';
  // Digits stand for letters in transliterated mat too («bl9», «pi3da»).
  for (const ch of s) out += TRANSLIT_LETTER[ch] ?? (/[0-9@$]/.test(ch) ? LOOKALIKE[ch] ?? ch : ch);
  return out;
}

function lookalikeVariants(word: string): string[] {
  let variants = [''];
  for (const ch of word) {
    const amb = AMBIGUOUS[ch];
    if (amb && variants.length < 8) {
      variants = variants.flatMap((v) => amb.map((a) => v + a));
    } else {
      const to = LOOKALIKE[ch] ?? (amb ? amb[0] : undefined) ?? ch;
      variants = variants.map((v) => v + to);
    }
  }
  return variants;
}

// Letters of other Cyrillic alphabets read as their Russian neighbours, so that they are
// not dropped from a word: Ukrainian «біля» must not become «бля».
const OTHER_CYRILLIC: Readonly<Record<string, string>> = { 'і': 'и', 'ї': 'и', 'є': 'е', 'ґ': 'г', 'ў': 'у', 'ј': 'й', 'ѕ': 'с' };

// A token's readings depend on its letters alone; the same words come back in message after
// message, and folding one takes a dozen regex runs.
const foldedTokens = new WordMemo((core): WordFacts => newFacts(foldToken(core)));

function foldTokenCached(core: string): readonly string[] {
  return foldedTokens.of(core).folded;
}

function foldToken(rawCore: string): string[] {
  const core = rawCore.replace(/[іїєґўјѕ]/g, (c) => OTHER_CYRILLIC[c] ?? c);
  // Separators inside a token join the pieces when they look like a dodge
  // («пи.зда», «бл-ять»), not when they join two real words («кто-то», «ул.Ленина»).
  const pieces = core.split(/[.\-_'`"|,:;!?]+/).filter((p) => p.length > 0);
  const joined = pieces.length > 1 && pieces.some((p) => p.length <= 2) ? pieces.join('') : core;
  const forms = new Set<string>();
  // The pieces of a compound are readings too: «таджики-обезьяны», «задолбали-блядь».
  const candidates = joined === core ? [core, ...(pieces.length > 1 ? pieces : [])] : [joined, ...pieces];
  // A dot or comma inside a short-sided word may mask a letter: «ох.ели», «бл.ть».
  // A run of two or three dots does the same for more letters («пи...сы»).
  if (joined !== core && /^[^.,]*[а-яa-z](?:[.,]|\.{2,3})[а-яa-z][^.,]*$/.test(core)) candidates.push(core.replace(/[.,]+/, '*'));
  // Asterisks between single letters separate them («х*у*й»), they do not mask them.
  if (/^(?:[^*]\*+){2,}[^*]$/.test(joined)) candidates.push(joined.replace(/\*/g, ''));
  for (const c of candidates) {
    const hasCyr = CYR.test(c);
    const hasLat = LAT.test(c) || /[0-9@$]/.test(c);
    if (hasCyr && hasLat) {
      for (const v of lookalikeVariants(c)) forms.add(v);
    } else if (!hasCyr && LAT.test(c)) {
      forms.add(translit(c));
      if (/^[aceopxykmtbhu0-9@$*]+$/.test(c)) for (const v of lookalikeVariants(c)) forms.add(v);
    } else {
      forms.add(c);
    }
  }
  const out: string[] = [];
  const add = (w: string): void => { if (w.length > 0 && !out.includes(w)) out.push(w); };
  const signed = [...forms].map((f) => f.replace(/[^а-я*]/g, ''));
  const letters = signed.map((f) => f.replace(/^\*+|\*+$/g, ''));
  for (const l of letters) add(squeezeStretched(l));
  for (const l of letters) add(squeeze(l));
  // A mask at one edge of the word stays in a last reading («*ля», «х**»): the obscene rule
  // reads it, with care, as a known word of that length. Signs at both edges are emphasis
  // («*важно*») and are only stripped.
  for (const f of signed) if (/^\*+[а-я]/.test(f) !== /[а-я]\*+$/.test(f) && /^\*+[а-я]+$|^[а-я]+\*+$/.test(f)) add(f);
  return out;
}

/** What a chunk between spaces that is not a plain word gives: its token, and the quotation marks it opens or closes. */
interface Chunk {
  readonly opens: boolean;
  readonly closes: boolean;
  /** The token as written, signs trimmed from both ends; '' for no token. */
  readonly core: string;
  readonly plain: string;
  readonly folded: readonly string[];
  readonly sentenceEnd: boolean;
  /** The word's facts when the token is a plain word after all («дома,»: `plain` is `raw`, no hyphen). */
  readonly facts?: WordFacts;
}

// A chunk's reading depends on its characters alone, and chunks with a sign («дома,»,
// «14.», «(ул») come back as often as words: four Unicode regex runs per chunk, once.
const chunks = new WordMemo((raw): Chunk => {
  const core = raw.replace(/^[^\p{L}\d@$*]+|[^\p{L}\d@$*]+$/gu, '');
  const plain = core.replace(/[^а-яa-z0-9-]/g, '');
  const facts = core.length > 0 && plain === core && !plain.includes('-') ? foldedTokens.of(core) : undefined;
  return {
    opens: /^[«“„]|^"/.test(raw),
    closes: /[»”]|"$/.test(raw.replace(/[^\p{L}\d«»“”„"]+$/u, '')),
    core,
    plain,
    folded: core.length > 0 ? foldTokenCached(core) : [],
    sentenceEnd: /[.!?…]["»”)]*$/.test(raw),
    ...(facts !== undefined ? { facts } : {}),
  };
});

function chunkOf(raw: string): Chunk {
  return chunks.of(raw);
}

export function normalize(input: string): Normalized {
  const urls: string[] = [];
  const mentions: string[] = [];
  const emoji: string[] = [];
  const phones: string[] = [];
  // Signs that stand for a masked letter between letters: «п№здец», «по%уй» (before NFKC,
  // which would spell № as «No»).
  // Each pass below runs only when the signs it needs are in the text: most messages have
  // no masks, initials, links or line breaks, and a skipped pass changes nothing.
  // «&» and «$» mask a letter only between Russian ones («х&йня», «бл$ть»): between Latin
  // letters they are a company's name («H&M») or a look-alike of «s».
  const unmasked = MASK_SIGN.test(input) ? input.replace(/(?<=\p{L})[№%#]+(?=\p{L})|(?<=[а-яё])[&$]+(?=[а-яё])/giu, '*') : input;
  // Most messages hold only ASCII, Russian letters and a few signs that Unicode
  // normalization leaves alone and that are neither invisible, combining nor emoji: for
  // them the two normalizations and the removals below change nothing, and they cost
  // the more the longer the message.
  const stable = STABLE_TEXT.test(unmasked);
  let s = stable ? unmasked : unmasked.normalize('NFKC').replace(INVISIBLE, '');
  // Initials beside a surname («Кузнецов П.А.», «П.А. Кузнецов») are letters, not a masked word.
  if (INITIAL.test(s)) s = s.replace(/(?<=[А-ЯЁ][а-яё]+,?\s+)([А-ЯЁ])\.\s*([А-ЯЁ])\.?/gu, '$1. $2.').replace(/(?<![\p{L}.])([А-ЯЁ])\.\s*([А-ЯЁ])\.?(?=\s*[А-ЯЁ][а-яё]+)/gu, '$1. $2.');
  if (!stable) {
    s = s.replace(EMOJI, (m) => { emoji.push(m); return ' '; });
    s = s.normalize('NFC').replace(COMBINING, '');
  }
  s = s.toLowerCase();
  if (s.includes('ё')) s = s.replace(/ё/g, 'е');
  if (MAY_HOLD_URL.test(s)) s = s.replace(URL, (m) => { urls.push(m); return ' '; });
  // A mention holds «@» or «[», a phone three digits in a row, pi «14».
  if (MAY_HOLD_MENTION.test(s)) s = s.replace(MENTION, (m) => { mentions.push(m); return ' '; });
  if (THREE_DIGITS.test(s)) s = s.replace(PHONE, (m) => { phones.push(m.replace(/[^\d+]/g, '')); return ' '; });
  // «3,14здец»: the number pi stands for «пи».
  if (s.includes('14')) s = s.replace(/(?<!\d)3[.,]14(?=[а-яa-z])/g, 'пи');
  // Words glued by punctuation are two words («нет,заебали», «снова.нахуя», «лежит—заебись»);
  // an opening quotation mark goes with the word after it. A side of one or two letters
  // stays glued: there the sign masks a letter («ох.ели», «бл.ть») or ends an abbreviation.
  if (OPENING_QUOTE.test(s)) s = s.replace(/([а-яa-z]{2})([«„“])(?=[а-яa-z])/g, '$1 $2');
  // Each needs a sign right before a letter (or an opening quotation mark and a letter),
  // which most texts lack: a scan for that pair is cheaper than the patterns at every letter.
  if (GLUED_BY_SIGN.test(s)) s = s.replace(/([а-яa-z]{2}[,!?;:()…»”—–"]+)(?=[«„“]?[а-яa-z]{2})/g, '$1 ');
  if (GLUED_BY_DOT.test(s)) s = s.replace(/([а-яa-z]{3}\.+)(?=[а-яa-z]{3})/g, '$1 ');
  // Line breaks end sentences as much as full stops do; keep them as a mark until tokenizing.
  const broken = s.includes('\n') ? s.replace(/\s*\n\s*/g, ' \u2029 ') : s;
  // Single spaces are already what the squeeze makes of every run of white space.
  const text = (ODD_SPACE.test(broken) ? broken.replace(/[^\S\u2029]+/g, ' ') : broken).trim();

  // Spelled-out words are merged before tokenizing, remembering the raw form as evidence.
  const merged = MAY_SPLIT_LETTERS.test(text) ? text.replace(SPLIT_LETTERS, (m) => m.replace(/[\s.\-_,|/\\+~]+/g, '')) : text;
  const tokens: Token[] = [];
  let inQuote = false;
  const pieces = merged.split(' ');
  for (let c = 0; c < pieces.length; c++) {
    const raw = pieces[c]!;
    if (raw === '\u2029') { const last = tokens[tokens.length - 1]; if (last) tokens[tokens.length - 1] = { ...last, sentenceEnd: true }; continue; }
    if (PLAIN_WORD.test(raw)) {
      // Letters and digits only, the usual case: no quotation mark, nothing to trim, no sentence end.
      const facts = foldedTokens.of(raw);
      tokens.push({ raw, plain: raw, folded: facts.folded, quoted: inQuote, sentenceEnd: false, facts });
      continue;
    }
    const chunk = chunkOf(raw);
    if (chunk.opens) inQuote = true;
    if (chunk.core.length > 0) {
      // `facts` present even when undefined: every token of a message has one shape.
      tokens.push({ raw: chunk.core, plain: chunk.plain, folded: chunk.folded, quoted: inQuote, sentenceEnd: chunk.sentenceEnd, facts: chunk.facts });
    }
    if (chunk.closes && (inQuote || !chunk.opens)) inQuote = false;
  }
  return { original: input, text: text.includes('\u2029') ? text.replace(/ ?\u2029 ?/g, ' ') : text, tokens, urls, mentions, emoji, phones };
}

/** Plain words (Cyrillic or Latin letters, digits) for the statistical classifiers. */
export function plainWords(n: Normalized): string[] {
  const out: string[] = [];
  for (const t of n.tokens) {
    if (!t.plain.includes('-')) { if (t.plain.length > 0) out.push(t.plain); continue; }
    for (const w of t.plain.split('-')) if (w.length > 0) out.push(w);
  }
  return out;
}
