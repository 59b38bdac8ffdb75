/**
 * Obscene language (мат), 000 [3], 001 [22], 002 [12], 004 [3.6].
 *
 * Matched by roots and the way Russian derives words from them (prefixes such as
 * на-/по-/за-/вы-/разъ-, the ё/е and ъ/ь variants), not by a list of finished words,
 * so «выебнулся», «распиздяйство» or «охуенно» are found without being listed. The roots,
 * the innocent words that begin like them and the whole words that masks and split words
 * are read as live in lexicon/obscene.ts (grammar: lexicon/README.md).
 */
import { Lexicon } from './lexicon.js';
import OBSCENE from './lexicon/obscene.js';
import type { Normalized, Token } from './normalize.js';
import { hit, type RuleHit } from './types.js';
import { surnameTokens } from './words.js';

const LEXICON = new Lexicon('lexicon/obscene.ts', OBSCENE);
const ROOTS = LEXICON.wordList('roots');
const EXCEPT = LEXICON.wordList('except');
/** Whole obscene words, for masks and for words split in two. */
export const KNOWN_OBSCENE_WORDS: ReadonlySet<string> = new Set(LEXICON.plainWords('known'));
const KNOWN_LIST = [...KNOWN_OBSCENE_WORDS];
/**
 * Every beginning of a known word: two words joined make a known one only when the first is
 * one of them, which one look-up tells before the two are joined into a new string.
 */
const KNOWN_BEGINNINGS: ReadonlySet<string> = new Set(KNOWN_LIST.flatMap((w) => Array.from({ length: w.length }, (_, end) => w.slice(0, end + 1))));

export interface ObsceneOptions {
  /** Tenant's additions to the shipped exclusion list (words a curator unrejected). */
  readonly exclusions?: ReadonlySet<string>;
}

function maskMatches(masked: string): boolean {
  const re = new RegExp(`^${masked.replace(/\*+/g, '[а-я]{1,3}')}$`);
  return KNOWN_LIST.some((w) => re.test(w));
}

// A mask usually hides a vowel of the root («х*й», «п*здец»), sometimes one of the root's
// consonants («на*уя», «пиз*ите»).
const MASKED_LETTERS = ['а', 'е', 'и', 'о', 'у', 'ы', 'я', 'ю', 'й', 'х', 'д', 'з', 'б', 'л'];

function maskReadings(masked: string): string[] {
  const runs = masked.split(/\*+/);
  if (runs.length > 3) return [];
  let out = [runs[0]!];
  for (const part of runs.slice(1)) out = out.flatMap((prefix) => MASKED_LETTERS.map((l) => prefix + l + part));
  return out;
}

/**
 * Whether a word reading is obscene. `context` is the message's tokens, for roots that are
 * innocent in some company («бродячая сука с щенками» is a dog).
 */
function rootMatches(word: string, exclusions: ReadonlySet<string> | undefined, context: readonly Token[]): boolean {
  // Most words hold no root: the look-up that says so comes first.
  const entry = ROOTS.entryFor(word);
  if (entry === null || EXCEPT.test(word) || exclusions?.has(word)) return false;
  return entry.unless === null || !context.some((t) => t.folded.some((w) => entry.unless!.test(w)));
}

/**
 * A mask at a word's edge («*ля», «*ука», «х**») is read as a known obscene word with one
 * letter for each sign and nothing else: a sign at an edge is as often a footnote or a
 * multiplication («*Цена», «х2»), so no root is guessed from it.
 */
function edgeMaskMatches(word: string, exclusions: ReadonlySet<string> | undefined): boolean {
  const re = new RegExp(`^${word.replace(/\*/g, '[а-я]')}$`);
  return KNOWN_LIST.some((w) => re.test(w) && exclusions?.has(w) !== true);
}

export function isObsceneWord(word: string, exclusions?: ReadonlySet<string>, context: readonly Token[] = []): boolean {
  if (!word.includes('*')) return rootMatches(word, exclusions, context);
  if (word.startsWith('*')) return /^\*+[а-я]{2,}$/.test(word) && edgeMaskMatches(word, exclusions);
  if (word.replace(/\*/g, '').length < 2 || !/^[а-я]/.test(word)) return false;
  return maskMatches(word) || maskReadings(word).some((w) => rootMatches(w, exclusions, context));
}

// Short words that stand on their own; a word split in two by a space («пи зда», «ху йня»)
// is rejoined only when a piece is a short fragment that is not one of them.
const SHORT_WORDS = new Set([
  'в', 'во', 'на', 'и', 'не', 'ни', 'по', 'с', 'со', 'у', 'о', 'об', 'к', 'ко', 'а', 'до', 'за', 'из', 'от', 'же', 'ли', 'бы', 'то', 'ну',
  'да', 'мы', 'вы', 'он', 'я', 'ты', 'их', 'им', 'ее', 'его', 'она', 'оно', 'они', 'так', 'как', 'еще', 'уже', 'все', 'вот', 'тут', 'там',
  'где', 'кто', 'что', 'под', 'над', 'при', 'про', 'для', 'без', 'или', 'но', 'нет', 'раз', 'два', 'три', 'дом', 'сад', 'лес', 'мир', 'год',
]);

function isFragment(w: string): boolean {
  return w.length > 0 && w.length <= 3 && !SHORT_WORDS.has(w);
}

/**
 * Token indexes (of those `among`, all by default) the obscene rules hold innocent:
 * look-alikes of мат («страхуй», «хлебал») and the tenant's exclusions (place names,
 * curators' unrejections).
 */
export function obsceneExceptionTokens(n: Normalized, exclusions?: ReadonlySet<string>, among: readonly number[] = [...n.tokens.keys()]): Set<number> {
  const out = new Set<number>();
  for (const i of among) if (n.tokens[i]?.folded.some((w) => EXCEPT.test(w) || exclusions?.has(w) === true)) out.add(i);
  return out;
}

const DIGIT_OR_LOW_LINE = /[\d_]/;

/**
 * A digit or an underscore inside a word of letters is a mask: it hides one letter («ох_ели»)
 * or is put in to break the word up («су4ка»). The normalization reads digits as look-alike
 * letters (4 as ч: «сучка»); these two readings stand beside it. Empty when the word holds no
 * such sign or anything but letters, digits and underscores.
 */
function maskedBySign(raw: string): string[] {
  // Without a digit or «_» there is nothing to unmask (lower-casing makes neither).
  if (!DIGIT_OR_LOW_LINE.test(raw)) return [];
  const lower = raw.toLowerCase().replace(/ё/g, 'е');
  if (!/^[а-я\d_]+$/.test(lower) || !/[а-я][\d_]+[а-я]/.test(lower)) return [];
  const inside = /(?<=[а-я])[\d_]+(?=[а-я])/g;
  return [lower.replace(inside, '*'), lower.replace(inside, '')];
}

// A мат initial followed by dots, after the words it stands with in its set phrases:
// «какого х..», «на х...», «по х…». Dots after a lone letter elsewhere are an abbreviation
// («ул. Х.. д. 5» is rare, «и т.д.» has no such letter).
const DOTTED_INITIAL = /(?:^|[^а-я])(какого|какой|на|ни|по|нах)\s+(х)\.{2,}(?![а-я])/g;

/**
 * Whether the message holds one of the whole мат words of the `known` list as the dictionary
 * spells it («нихуя», «пиздец»): no mask, no look-alike letter or digit undone, not a surname,
 * no innocent company («сука» beside «щенки»). It is the obscene rule's strongest evidence: a
 * word found by its root only may be a surname-like look-alike («Хуйдина», «Пиздрин»).
 */
export function hasPlainObsceneWord(n: Normalized, exclusions?: ReadonlySet<string>): boolean {
  const surnames = surnameTokens(n);
  return n.tokens.some((t, i) => {
    if (surnames.has(i)) return false;
    const written = t.raw.toLowerCase().replace(/ё/g, 'е');
    return KNOWN_OBSCENE_WORDS.has(written) && t.folded[0] === written && rootMatches(written, exclusions, n.tokens);
  });
}

const GLUED_MIN = 8;
const LONE_LETTER_PHRASE = /^(?:на|ни|по)$/;
const GLUED_ROOT = /бляд|нахуй|нахуя|пизд|хуйн|хуев/;

export function detectObscene(n: Normalized, options: ObsceneOptions = {}): RuleHit | null {
  const evidence: string[] = [];
  // «сантехник по фамилии Хуйбер»: a surname is not мат.
  const surnames = surnameTokens(n);
  for (let i = 0; i < n.tokens.length; i++) {
    const t = n.tokens[i]!;
    if (surnames.has(i)) continue;
    // A reading without a mask is obscene only by a root, and the reading masks tell at once
    // whether any reading of the token has one.
    if ((ROOTS.testAt(n.tokens, i) || hasMask(t.folded)) && t.folded.some((w) => isObsceneWord(w, options.exclusions, n.tokens))) evidence.push(t.raw);
    else if (isDigitMaskedObscene(t.raw, options.exclusions, n.tokens)) evidence.push(t.raw);
    // One letter and a mask is too little alone («Х**» in a list of flats), but not in the
    // set phrases «на х**», «ни х**», «по х**».
    else if (t.folded.some((w) => /^[а-я]\*{1,3}$/.test(w) && edgeMaskMatches(w, options.exclusions)) && LONE_LETTER_PHRASE.test(n.tokens[i - 1]?.folded[0] ?? '')) evidence.push(`${n.tokens[i - 1]!.raw} ${t.raw}`);
    // Words glued together without a sign between them («ктонахуйтакпаркуется»,
    // «аааблядьопять»): only roots that no Russian word form holds (bench/dictionary-scan.ts).
    else if ((t.folded[0]?.length ?? 0) >= GLUED_MIN && GLUED_ROOT.test(t.folded[0]!) && options.exclusions?.has(t.folded[0]!) !== true) evidence.push(t.raw);
  }
  // Two words are joined into one only when the result is a known obscene word: «пи зда»
  // is, «ху дожник» and «по хуже» are not.
  for (let i = 0; i + 1 < n.tokens.length; i++) {
    const a = n.tokens[i]!;
    const b = n.tokens[i + 1]!;
    const fa = a.folded[0] ?? '';
    const fb = b.folded[0] ?? '';
    if (!(isFragment(fa) || isFragment(fb)) || evidence.includes(a.raw) || evidence.includes(b.raw) || surnames.has(i) || surnames.has(i + 1)) continue;
    if (a.folded.some((x) => KNOWN_BEGINNINGS.has(x) && b.folded.some((y) => KNOWN_OBSCENE_WORDS.has(x + y) && !options.exclusions?.has(x + y)))) evidence.push(`${a.raw} ${b.raw}`);
  }
  for (const m of n.text.matchAll(DOTTED_INITIAL)) {
    const shown = `${m[1]} ${m[2]}..`;
    if (!evidence.includes(shown)) evidence.push(shown);
  }
  return evidence.length > 0 ? hit('obscene', evidence) : null;
}

function hasMask(readings: readonly string[]): boolean {
  for (let r = 0; r < readings.length; r++) if (readings[r]!.includes('*')) return true;
  return false;
}

function isDigitMaskedObscene(raw: string, exclusions: ReadonlySet<string> | undefined, context: readonly Token[]): boolean {
  return maskedBySign(raw).some((w) => /^[а-я*]+$/.test(w) && isObsceneWord(w, exclusions, context));
}
