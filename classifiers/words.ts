/**
 * Small helpers shared by the rule sets: finding words in the normalized tokens, telling
 * the author's own words from words they report someone said, and whom words are aimed at
 * (lexicon/targets.ts).
 */
import { Lexicon, phraseSentence, type WordList } from './lexicon.js';
import TARGETS from './lexicon/targets.js';
import type { Normalized } from './normalize.js';
import { LastMemo } from './memo.js';

const LEXICON = new Lexicon('lexicon/targets.ts', TARGETS);

/** People and bodies whose threat or insult the regulations name (001 [22]). */
export const OFFICIALS: WordList = LEXICON.wordList('officials');
/** The reader addressed: ты, вы, ваш … */
export const SECOND_PERSON: WordList = LEXICON.wordList('second-person');
/** Roles and trades an insult can name (водитель, диспетчер, сантехник …). */
export const PERSONS: WordList = LEXICON.wordList('persons');
/** Private persons: violence aimed at them is intent to harm another person (002 [12]). */
export const PRIVATE_PERSONS: WordList = LEXICON.wordList('private');
const REPORTING: WordList = LEXICON.wordList('reporting');
const SURNAME_MARKERS: WordList = LEXICON.wordList('surname-markers');
const ADDRESS_FORMS: WordList = LEXICON.wordList('address-forms');

/** Indexes of the tokens whose readings match the list. */
export function findTokens(n: Normalized, list: WordList): readonly number[] {
  return list.find(n.tokens);
}

const reportedCache = new LastMemo<Normalized, ReadonlySet<number>>();

/** Token indexes that belong to a quotation or a report of someone else's words. */
export function reportedTokens(n: Normalized): ReadonlySet<number> {
  let cached = reportedCache.get(n);
  if (cached === undefined) { cached = computeReported(n, 6); reportedCache.set(n, cached); }
  return cached;
}

const BY_AUTHOR_AFTER_WHAT = /^(?:на|вы)?(?:писал|сказал|говорил|ответил)/;

function computeReported(n: Normalized, window: number): Set<number> {
  const out = new Set<number>();
  const tokens = n.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.quoted) out.add(i);
    // Few words report speech: the list is asked first, the author's own words after.
    if (!REPORTING.testAt(tokens, i)) continue;
    // «я написал вам жалобу» is the author speaking for themselves, not a report.
    // «поняли, что написали» has its object before it: nothing after it is reported (not so
    // «жалуюсь, что обозвал меня …», where the naming follows).
    const before = i > 0 ? tokens[i - 1]!.plain : '';
    const byAuthor = before === 'я' || before === 'мы' || ((before === 'что' || before === 'чего') && BY_AUTHOR_AFTER_WHAT.test(t.plain));
    if (!byAuthor) for (let j = i + 1; j <= i + window && j < tokens.length; j++) out.add(j);
  }
  return out;
}

const SURNAME = /(?:ов|ев|ин|ын|ова|ева|ина|ына|ский|ская|цкий|цкая|ко|ук|юк|ич|ян)$/;
const namesCache = new LastMemo<Normalized, ReadonlySet<string>>();

/**
 * Surnames named in the message («Петров — клоун», «Романова гадина»): capitalized words
 * with a surname's ending, not opening a sentence unless a dash follows them.
 */
export function namedPeople(n: Normalized): ReadonlySet<string> {
  let names = namesCache.get(n);
  if (names === undefined) {
    const found = new Set<string>();
    for (const m of n.original.matchAll(/(?<![\p{L}\d])[А-ЯЁ][а-яё]{2,}(?![\p{L}])/gu)) {
      const word = m[0].toLowerCase().replace(/ё/g, 'е');
      if (!SURNAME.test(word)) continue;
      const before = n.original.slice(0, m.index).trimEnd();
      const opens = before === '' || /[.!?…]$/.test(before);
      const dashAfter = /^\s*[—–-]/.test(n.original.slice(m.index + m[0].length));
      if (!opens || dashAfter) found.add(word);
    }
    names = found;
    namesCache.set(n, names);
  }
  return names;
}

/** Words written with a capital letter, in lower case with ё as е. */
function capitalised(n: Normalized): ReadonlySet<string> {
  const out = new Set<string>();
  for (const m of n.original.matchAll(/(?<![\p{L}\d])[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё]+)?(?![\p{L}])/gu)) out.add(m[0].toLowerCase().replace(/ё/g, 'е'));
  return out;
}

const surnameCache = new LastMemo<Normalized, ReadonlySet<number>>();
// Titles and posts a surname follows, and patronymics a surname precedes.
const TITLE = /^(?:глав[аеуы]|мэр[аеу]?|депутат[аеу]?|директор[аеу]?|заведующ(?:ий|ая|его|ей)|начальни(?:к|ка|ку|ца|цы)|председател[ья]|инспектор[аеу]?|участков(?:ый|ого|ому)|прокурор[аеу]?|судь[яи]|чиновни(?:к|ка|ку|ца)|врач[аеу]?|терапевт[аеу]?|педиатр[аеу]?|хирург[аеу]?|фельдшер[аеу]?|учител(?:ь|я|ю|ьница|ьницы)|библиотекар(?:ь|я|ю|ша)|завуч[аеу]?|воспитател(?:ь|я|ьница)|тренер[аеу]?|мастер[аеу]?|прораб[аеу]?|староста|старосты)$/;
const PATRONYMIC = /^[а-я]+(?:ович|евич|ич|овна|евна|ична|инична)$/;
const TITLE_OR_PATRONYMIC = /(?:^|[^а-я])(?:глав[аеуы]|мэр|депутат|директор|заведующ|начальни|председател|инспектор|участков|прокурор|судь|чиновни|врач|терапевт|педиатр|хирург|фельдшер|учител|библиотекар|завуч|воспитател|тренер|мастер|прораб|старост)|[а-я](?:ович|евич|ич|овна|евна|ична)(?![а-я])/;
const NO_TOKENS: ReadonlySet<number> = new Set();

/**
 * Token indexes of words named as surnames: the word after «фамилия», «по фамилии», «с
 * фамилией» («сантехник по фамилии Хуйбер», «фамилия Дураков»), and a capitalised word with
 * a surname's ending after «гражданин», «товарищ», «господин» («гражданка Дуракова») or
 * after a title or post («Глава Баранов», «директор школы Херов»), and a capitalised word
 * before a capitalised name and patronymic («терапевт Дураков Пётр Ильич»). A surname is
 * what a person is called, not a word the author chose: no evidence of мат or insult.
 */
export function surnameTokens(n: Normalized): ReadonlySet<number> {
  const t = n.text;
  const titled = TITLE_OR_PATRONYMIC.test(t);
  if (!(titled || t.includes('фамили') || t.includes('граждан') || t.includes('товарищ') || t.includes('госпо'))) return NO_TOKENS;
  let found = surnameCache.get(n);
  if (found === undefined) {
    const out = new Set<number>();
    for (let i = 0; i + 1 < n.tokens.length; i++) {
      if (n.tokens[i]!.sentenceEnd) continue;
      const next = n.tokens[i + 1]!.plain;
      if (SURNAME_MARKERS.matchesToken(n.tokens, i)) {
        // Written with a capital or with a surname's ending: «по фамилии хуй» names no one.
        if (SURNAME.test(next) || capitalised(n).has(next)) out.add(i + 1);
      } else if (ADDRESS_FORMS.matchesToken(n.tokens, i) && namedPeople(n).has(next)) out.add(i + 1);
    }
    if (titled) {
      for (let i = 0; i < n.tokens.length; i++) {
        const word = n.tokens[i]!.plain;
        // «терапевт Дураков Пётр Ильич», «Хуйбер Анна Генриховна»: a surname before a name and patronymic.
        const third = n.tokens[i + 2]?.plain;
        if (third !== undefined && PATRONYMIC.test(third) && capitalised(n).has(word) && capitalised(n).has(n.tokens[i + 1]!.plain) && capitalised(n).has(third)) out.add(i);
        // «Глава Баранов», «депутат Хохлов», «директор школы Херов»: a surname after a title.
        else if (namedPeople(n).has(word) && [i - 1, i - 2].some((j) => j >= 0 && !n.tokens[j]!.sentenceEnd && TITLE.test(n.tokens[j]!.plain))) out.add(i);
      }
    }
    found = out;
    surnameCache.set(n, found);
  }
  return found;
}

const sentenceCache = new LastMemo<Normalized, string>();

/**
 * The message with quotations and reported words blanked out, as one string of first
 * readings padded with spaces, for phrase patterns such as «тебе не жить» or «на вилы».
 */
export function ownSentence(n: Normalized): string {
  let s = sentenceCache.get(n);
  if (s === undefined) {
    s = phraseSentence(n.tokens, reportedTokens(n));
    sentenceCache.set(n, s);
  }
  return s;
}

/** Token indexes covered by the phrases found in a sentence built by `ownSentence`. */
export function phraseTokens(sentence: string, phrases: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const p of phrases) {
    const at = sentence.indexOf(` ${p} `);
    if (at < 0) continue;
    const first = sentence.slice(1, at + 1).split(' ').length - 1;
    const count = p.split(' ').length;
    for (let k = 0; k < count; k++) out.add(first + k);
  }
  return out;
}
