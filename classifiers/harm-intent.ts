/**
 * Intent to harm another person (002 [12], 004 [3.6]): the author's own promise or plan
 * of violence aimed at a private person («прибью соседа», «хочу избить этого водителя»).
 * The same words aimed at officials or the administration are a threat (threat.ts).
 */
import type { Normalized } from './normalize.js';
import { hit, type RuleHit } from './types.js';
import { violenceEvidence, violenceTarget } from './threat.js';

export function detectHarmIntent(n: Normalized): RuleHit | null {
  const evidence = violenceEvidence(n);
  if (evidence.length === 0 || violenceTarget(n) !== 'private') return null;
  return hit('harm-intent', evidence);
}
