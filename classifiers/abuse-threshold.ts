/**
 * The rejection threshold of the abuse model, chosen from out-of-fold probabilities (each
 * text scored by a model that did not learn from its set) so that rules + model reject no
 * more than the target share of acceptable texts: the highest false-rejection rate issue
 * 13 allows is 0.5 %.
 */
export const ABUSE_FALSE_REJECTION_TARGET = 0.005;

export interface ScoredText {
  readonly acceptable: boolean;
  /** Whether the rules reject it already. */
  readonly rules: boolean;
  /** The model's probability that it is to be rejected. */
  readonly p: number;
}

/**
 * The lowest threshold at which rules + model (reject when p > threshold) falsely reject
 * at most `target` of the acceptable texts.
 */
export function chooseThreshold(texts: readonly ScoredText[], target = ABUSE_FALSE_REJECTION_TARGET): number {
  const acceptable = texts.filter((t) => t.acceptable);
  const byRules = acceptable.filter((t) => t.rules).length;
  const allowed = Math.max(0, Math.floor(target * acceptable.length) - byRules);
  const scores = acceptable.filter((t) => !t.rules).map((t) => t.p).sort((a, b) => b - a);
  return scores[allowed] ?? 0.5;
}
