/**
 * Words of violence shared by the threat, harm-intent and call-to-violence rules
 * (lexicon/violence.ts). They differ in grammar and target, not in vocabulary: «убью» is
 * a threat to whoever is addressed, «убейте их» a call, «хочу избить соседа» an intent
 * to harm another person.
 */
import { Lexicon, type PhraseList, type WordList } from './lexicon.js';
import VIOLENCE from './lexicon/violence.js';
import type { Token } from './normalize.js';
import { OFFICIALS, PERSONS, PRIVATE_PERSONS, SECOND_PERSON } from './words.js';

const LEXICON = new Lexicon('lexicon/violence.ts', VIOLENCE, ['threat-phrases', 'call-phrases', 'self-harm']);

/** First person future, singular and plural: the speaker promises to do it. */
export const FIRST_PERSON_VIOLENCE: WordList = LEXICON.wordList('first-person');
/** Infinitives of violence against people, for «хочу …», «надо …», «пора …». */
export const VIOLENT_INFINITIVES: WordList = LEXICON.wordList('infinitives');
export const VIOLENT_IMPERATIVES: WordList = LEXICON.wordList('imperatives');
export const MODAL: WordList = LEXICON.wordList('modal');
export const WANT: WordList = LEXICON.wordList('want');
export const CALL_TARGETS: WordList = LEXICON.wordList('call-targets');
export const THREAT_PHRASES: PhraseList = LEXICON.phraseList('threat-phrases');
export const CALL_PHRASES: PhraseList = LEXICON.phraseList('call-phrases');
/** The author's intent to harm themselves, in the first person. */
export const SELF_HARM: PhraseList = LEXICON.phraseList('self-harm');
/** Objects after which a verb of violence is innocent: pests, weeds, time. */
const NOT_TARGETS: WordList = LEXICON.wordList('not-targets');

const OBJECT_PRONOUNS: WordList = LEXICON.wordList('object-pronouns');
const PEOPLE: readonly WordList[] = [OFFICIALS, PERSONS, PRIVATE_PERSONS, SECOND_PERSON, CALL_TARGETS];
/** How far back a pronoun's antecedent is looked for, in words (the sentence before counts). */
const ANTECEDENT_WORDS = 15;

/**
 * Whether a verb of violence at `i` takes an innocent object: one of the next three words
 * is a pest, a weed or time («убить время», «убейте уже этих тараканов»), or the object is
 * a pronoun beside the verb whose nearest antecedent is one («тараканов развелось тьма …
 * хочется их всех уничтожить»); a person or an office named nearer wins («крыс травят, а
 * чиновников надо их всех расстрелять» is not about rats).
 */
export function innocentObject(tokens: readonly Token[], i: number): boolean {
  for (let j = i + 1; j <= i + 3 && j < tokens.length; j++) {
    // «отстреливать надо, как кабанов» compares people to game: no object.
    if (NOT_TARGETS.matchesToken(tokens, j) && !/^(?:как|словно|будто)$/.test(tokens[j - 1]!.folded[0] ?? '')) return true;
  }
  for (let p = Math.max(0, i - 2); p <= i + 3 && p < tokens.length; p++) {
    if (p === i || !OBJECT_PRONOUNS.matchesToken(tokens, p)) continue;
    return antecedentIsNotTarget(tokens, p, Math.min(p, i));
  }
  return false;
}

/**
 * Whether the word at `i` is, or stands beside, an object that makes violence innocent: a
 * pest, a weed or time named at it or within three words after it, or a pronoun that
 * stands for one («тараканов развелось … хочется их всех уничтожить»).
 */
export function besideInnocentObject(tokens: readonly Token[], i: number): boolean {
  return NOT_TARGETS.matchesToken(tokens, i) || innocentObject(tokens, i);
}

// A pronoun stands for a word of its number: «крысы …, управляющая молчит, надо их
// уничтожить» is about the rats, not the manager; «тараканы …, а он молчит, надо его …» is
// not about the cockroaches.
const PLURAL_PRONOUN = /^(?:их|них|ими|всех)$/;
const PLURAL_ENDING = /(?:ы|и|ов|ев|ей|ам|ям|ами|ями|ах|ях|ых|их)$/;

function antecedentIsNotTarget(tokens: readonly Token[], pronoun: number, from: number): boolean {
  const plural = PLURAL_PRONOUN.test(tokens[pronoun]!.folded[0] ?? '');
  for (let j = from - 1; j >= 0 && j >= from - ANTECEDENT_WORDS; j--) {
    if (OBJECT_PRONOUNS.matchesToken(tokens, j) || plural !== PLURAL_ENDING.test(tokens[j]!.folded[0] ?? '')) continue;
    if (NOT_TARGETS.matchesToken(tokens, j)) return true;
    if (PEOPLE.some((list) => list.matchesToken(tokens, j))) return false;
  }
  return false;
}

/** Whether the token's reading that matched the list is violent only with a person as object. */
export function needsTarget(t: Token, list: WordList): boolean {
  for (const w of t.folded) {
    const e = list.entryFor(w);
    if (e !== null) return e.options['needs'] === 'target';
  }
  return false;
}
