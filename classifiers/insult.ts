/**
 * Insulting language (000 [3], 001 [22], 002 [12], 004 [3.6]): personal insults of
 * people, officials and groups. The words live in lexicon/insult.ts.
 *
 * Some words insult whoever they name («мразь», «дебил», «ублюдок»), and so do the
 * derogatory words for ethnic, religious and social groups («хачи», «бомжары»), or a
 * neutral group word with an epithet («бомжи вонючие», «таджики-обезьяны»). Others are
 * ordinary words that insult only when aimed at a person («козёл», «вор», «клоун»,
 * «крыса»): a goat on the road or thieves in a garage are a complaint; «вы воры», «мэр —
 * клоун», «Романова гадина», «эта жаба из бухгалтерии» are insults. Words the citizen
 * quotes («сосед назвал меня дебилом») are theirs to report, idioms («валять дурака»)
 * insult no one, and angry words about things («ужасная дорога», «бардак», «позор») are
 * not insults at all.
 */
import { Lexicon } from './lexicon.js';
import INSULT from './lexicon/insult.js';
import type { Normalized } from './normalize.js';
import { hit, type RuleHit } from './types.js';
import { namedPeople, OFFICIALS, ownSentence, PERSONS, phraseTokens, reportedTokens, SECOND_PERSON, surnameTokens } from './words.js';

const LEXICON = new Lexicon('lexicon/insult.ts', INSULT, ['phrases', 'idioms', 'aimed-phrases']);
const WORDS = LEXICON.wordList('words');
const AIMED = LEXICON.wordList('aimed');
const GROUPS = LEXICON.wordList('groups');
const GROUP_NOUNS = LEXICON.wordList('group-nouns');
const GROUP_EPITHETS = LEXICON.wordList('group-epithets');
const EXCEPT = LEXICON.wordList('except');
const PHRASES = LEXICON.phraseList('phrases');
const IDIOMS = LEXICON.phraseList('idioms');
const AIMED_PHRASES = LEXICON.phraseList('aimed-phrases');

// A verb in the second person (сидите, делаете, понимаешь) aims a simile at the reader:
// «сидите там как бараны».
const SECOND_PERSON_VERB = /^[а-я]{3,}(?:ете|ите|ешь|ишь|етесь|итесь)$/;
// Whom a metaphor of `aimed-phrases` can be said of besides the targets: «ты просто кусок мяса».
const PRONOUN_SUBJECT = /^(?:ты|вы|он|она|они|этот|эта|это|эти)$/;
const DEMONSTRATIVE = /^(?:этот|эта|эти|это|этого|этой|этих|этому|эту)$/;

// «жулики в управляющей», «в администрации одни воры»: the office names where the people
// are, not whom the word is said of.
const LOCATIVE = /^(?:в|во|на)$/;

function isOfficeAsPlace(n: Normalized, j: number): boolean {
  return j > 0 && LOCATIVE.test(n.tokens[j - 1]!.folded[0] ?? '') && OFFICIALS.testAt(n.tokens, j);
}

function isAccusation(n: Normalized, i: number): boolean {
  for (const w of n.tokens[i]!.folded) {
    const e = AIMED.entryFor(w);
    if (e !== null) return e.options['kind'] === 'accusation';
  }
  return false;
}

function isTarget(n: Normalized, j: number): boolean {
  const t = n.tokens[j]!;
  if (OFFICIALS.testAt(n.tokens, j) || SECOND_PERSON.testAt(n.tokens, j) || PERSONS.testAt(n.tokens, j)) return true;
  const first = t.folded[0] ?? '';
  return SECOND_PERSON_VERB.test(first) || namedPeople(n).has(t.plain);
}

// A finite verb in the past or third person between two words puts them in different
// clauses for this purpose («мошенники звонят, представляются из соцзащиты»).
const FINITE_VERB = /^[а-я]{2,}(?:ют|ят|ут|ат|ет|ит|ал|ала|али|ил|ила|или|ел|ела|ели|ался|ался|лись|ется|ится|ются|ятся)$/;

function sameClause(n: Normalized, i: number, j: number): boolean {
  const [a, b] = i < j ? [i, j] : [j, i];
  for (let k = a; k < b; k++) if (n.tokens[k]!.sentenceEnd) return false;
  for (let k = a + 1; k < b; k++) if (FINITE_VERB.test(n.tokens[k]!.folded[0] ?? '')) return false;
  // «а», «но» open another clause: «жулики в управляющей, а вы их покрываете».
  for (let k = a + 1; k < b; k++) if (/^(?:а|но)$/.test(n.tokens[k]!.folded[0] ?? '')) return false;
  return true;
}

/**
 * Token indexes the insult rules hold innocent: words that only look like an insult
 * («идиотизм», «поддон»), of those `among` (all by default), and the words of idioms
 * («валять дурака»).
 */
export function insultExceptionTokens(n: Normalized, among: readonly number[] = [...n.tokens.keys()]): Set<number> {
  const sentence = ownSentence(n);
  const out = phraseTokens(sentence, IDIOMS.find(sentence));
  for (const i of among) if (EXCEPT.test(n.tokens[i]?.folded[0] ?? '')) out.add(i);
  return out;
}

export function detectInsult(n: Normalized): RuleHit | null {
  const reported = reportedTokens(n);
  const sentence = ownSentence(n);
  const idioms = phraseTokens(sentence, IDIOMS.find(sentence));
  // «фамилия Дураков» names a man; it calls no one a fool.
  const surnames = surnameTokens(n);
  const own = (i: number): boolean => !reported.has(i) && !idioms.has(i) && !surnames.has(i) && !EXCEPT.test(n.tokens[i]!.folded[0] ?? '');
  const evidence: string[] = PHRASES.find(sentence);

  for (const i of WORDS.find(n.tokens)) if (own(i)) evidence.push(n.tokens[i]!.raw);
  for (const i of GROUPS.find(n.tokens)) if (own(i)) evidence.push(n.tokens[i]!.raw);

  // A neutral word for a group with an epithet beside it or in the same compound.
  const nouns = GROUP_NOUNS.find(n.tokens).filter(own);
  const epithets = new Set(GROUP_EPITHETS.find(n.tokens).filter(own));
  for (const i of nouns) {
    for (let j = Math.max(0, i - 2); j <= Math.min(n.tokens.length - 1, i + 2); j++) {
      if (epithets.has(j)) { evidence.push(i === j ? n.tokens[i]!.raw : `${n.tokens[Math.min(i, j)]!.raw} ${n.tokens[Math.max(i, j)]!.raw}`); break; }
    }
  }

  // «участковый — бесполезный кусок мяса», «бабки в поликлинике, старые кошёлки»: a metaphor
  // said of a person, the reader, an office or a group named in the same clause.
  for (const p of AIMED_PHRASES.find(sentence)) {
    const at = [...phraseTokens(sentence, [p])];
    if (at.length === 0 || !at.every(own)) continue;
    const i = Math.min(...at);
    if (PRONOUN_SUBJECT.test(n.tokens[i]!.folded[0] ?? '')) { evidence.push(p); continue; }
    const from = Math.max(0, i - 4);
    const to = Math.min(n.tokens.length - 1, Math.max(...at) + 3);
    for (let j = from; j <= to; j++) {
      if (at.includes(j) || reported.has(j) || !sameClause(n, i, j)) continue;
      if (!isTarget(n, j) && !GROUP_NOUNS.testAt(n.tokens, j) && !PRONOUN_SUBJECT.test(n.tokens[j]!.folded[0] ?? '')) continue;
      evidence.push(p);
      break;
    }
  }

  const aimed = AIMED.find(n.tokens).filter(own);
  // A word that opens the message as an address («Гниды, наживаетесь…») is aimed at the reader.
  // «Позорище, а не дорога» compares a thing with what it should be: no address.
  if (aimed[0] === 0 && /^[^\s,!?.]+\s*[,!]/.test(n.text) && !/^[^\s,!?.]+\s*,\s*а не\s/.test(n.text)) evidence.push(n.tokens[0]!.raw);
  for (const i of aimed) {
    // «это от соцзащиты или мошенники?» asks who is writing; it calls no one names.
    if (i > 0 && n.tokens[i - 1]!.folded[0] === 'или') continue;
    // «этот урод из ЖЭКа»: a demonstrative and where the person works.
    if (i > 0 && DEMONSTRATIVE.test(n.tokens[i - 1]!.folded[0] ?? '') && n.tokens[i + 1]?.folded[0] === 'из') { evidence.push(n.tokens[i]!.raw); continue; }
    // Otherwise a person, an office or the reader named within a few words of the same
    // clause: «мэр — клоун», «вы воры», not «звонят мошенники, представляются из соцзащиты».
    // A wrongdoing named of an office's staff («жулики в управляющей») accuses them, as a
    // complaint may; said of a person, the reader or the office itself it insults.
    const accusation = isAccusation(n, i);
    // «предупредите людей, что это мошенники»: a wrongdoing said of «это», the calls or the
    // messages just named, warns of them; «вы мошенники» accuses the reader.
    if (accusation && i > 0 && n.tokens[i - 1]!.folded[0] === 'это') continue;
    const from = Math.max(0, i - 4);
    const to = Math.min(n.tokens.length - 1, i + 3);
    for (let j = from; j <= to; j++) {
      if (j === i || reported.has(j) || !isTarget(n, j) || !sameClause(n, i, j)) continue;
      if (accusation && isOfficeAsPlace(n, j)) continue;
      evidence.push(n.tokens[i]!.raw);
      break;
    }
  }
  return evidence.length > 0 ? hit('insult', evidence) : null;
}
