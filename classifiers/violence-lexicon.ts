/**
 * Words of violence shared by the threat, harm-intent and call-to-violence rules
 * (lexicon/violence.ts). They differ in grammar and target, not in vocabulary: «убью» is
 * a threat to whoever is addressed, «убейте их» a call, «хочу избить соседа» an intent
 * to harm another person.
 */
import { Lexicon, type PhraseList, type WordList } from './lexicon.js';
import VIOLENCE from './lexicon/violence.js';
import type { Token } from './normalize.js';

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

/**
 * Whether a verb of violence at `i` takes an innocent object: one of the next three words
 * is a pest, a weed or time («убить время», «убейте уже этих тараканов»).
 */
export function innocentObject(tokens: readonly Token[], i: number): boolean {
  for (let j = i + 1; j <= i + 3 && j < tokens.length; j++) {
    if (NOT_TARGETS.matchesToken(tokens, j)) return true;
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
