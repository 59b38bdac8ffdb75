/**
 * Threats to the life, health or property of officials and their families, and to state
 * bodies (001 [22], 002 [12], 004 [3.6]). A message to the administration that promises
 * violence in the first person («убью», «сожжём») or in the set phrases of threat
 * («тебе не жить», «кровью умоетесь») is a threat to whoever it addresses, unless it
 * names a private person as the target: that is harm-intent.ts. Threats the citizen
 * reports receiving («сосед кричит: убью») are quoted and do not count.
 */
import type { Normalized } from './normalize.js';
import { LastMemo } from './memo.js';
import { hit, type RuleHit } from './types.js';
import { FIRST_PERSON_VIOLENCE, innocentObject, needsTarget, SELF_HARM, THREAT_PHRASES, VIOLENT_INFINITIVES, WANT } from './violence-lexicon.js';
import { findTokens, OFFICIALS, ownSentence, PRIVATE_PERSONS, reportedTokens, SECOND_PERSON } from './words.js';

export type Target = 'official' | 'private' | 'none';

/** Who the violence is aimed at: an official or body, a private person, or no one named. */
export function violenceTarget(n: Normalized): Target {
  const reported = reportedTokens(n);
  const own = (idx: readonly number[]): boolean => idx.some((i) => !reported.has(i));
  if (own(findTokens(n, OFFICIALS)) || own(findTokens(n, SECOND_PERSON))) return 'official';
  if (own(findTokens(n, PRIVATE_PERSONS))) return 'private';
  return 'none';
}

const evidenceCache = new LastMemo<Normalized, readonly string[]>();

/** The author's own words of violence: promises, set phrases, «хочу/буду + убить». */
export function violenceEvidence(n: Normalized): readonly string[] {
  // The threat and the harm-intent rules both ask; the message is read once.
  let cached = evidenceCache.get(n);
  if (cached === undefined) { cached = computeEvidence(n); evidenceCache.set(n, cached); }
  return cached;
}

function computeEvidence(n: Normalized): string[] {
  const reported = reportedTokens(n);
  const evidence: string[] = [];
  const aimed = violenceTarget(n) !== 'none';
  for (const i of findTokens(n, FIRST_PERSON_VIOLENCE)) {
    if (reported.has(i) || innocentObject(n.tokens, i) || (!aimed && needsTarget(n.tokens[i]!, FIRST_PERSON_VIOLENCE))) continue;
    evidence.push(n.tokens[i]!.raw);
  }
  for (const i of findTokens(n, VIOLENT_INFINITIVES)) {
    if (reported.has(i) || innocentObject(n.tokens, i) || (!aimed && needsTarget(n.tokens[i]!, VIOLENT_INFINITIVES))) continue;
    for (let j = Math.max(0, i - 3); j < i; j++) {
      if (WANT.testAt(n.tokens, j)) { evidence.push(`${n.tokens[j]!.raw} ${n.tokens[i]!.raw}`); break; }
    }
  }
  evidence.push(...THREAT_PHRASES.find(ownSentence(n), aimed));
  return evidence;
}

export function detectThreat(n: Normalized): RuleHit | null {
  const evidence = violenceEvidence(n);
  if (evidence.length === 0) return null;
  // «сожгу себя перед администрацией» harms the author, not the office: harm-intent.ts.
  if (SELF_HARM.find(ownSentence(n)).length > 0) return null;
  // Addressed to the administration, a threat without a named private target is a threat to it.
  return violenceTarget(n) === 'private' ? null : hit('threat', [...evidence]);
}
