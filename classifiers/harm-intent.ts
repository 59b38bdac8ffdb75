/**
 * Intent to harm another person (002 [12], 004 [3.6]): the author's own promise or plan
 * of violence aimed at a private person («прибью соседа», «хочу избить этого водителя»).
 * The same words aimed at officials or the administration are a threat (threat.ts).
 * The author's stated intent to harm themselves («покончу с собой», «спрыгну с крыши
 * мэрии») is kept out of the public thread as well: not answered in the comments, it goes
 * to the curator, who can reach the person by other means. Idioms of despair («хоть
 * вешайся») are not intents.
 */
import type { Normalized } from './normalize.js';
import { hit, type RuleHit } from './types.js';
import { violenceEvidence, violenceTarget } from './threat.js';
import { SELF_HARM } from './violence-lexicon.js';
import { ownSentence } from './words.js';

export function detectHarmIntent(n: Normalized): RuleHit | null {
  const self = SELF_HARM.find(ownSentence(n));
  if (self.length > 0) return hit('harm-intent', self);
  const evidence = violenceEvidence(n);
  if (evidence.length === 0 || violenceTarget(n) !== 'private') return null;
  return hit('harm-intent', [...evidence]);
}
