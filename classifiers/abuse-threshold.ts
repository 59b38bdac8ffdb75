/**
 * The two thresholds of the abuse model, chosen from out-of-fold probabilities (each text
 * scored by a model that did not learn from its set, bench/abuse-model-cv.ts):
 *
 * - `veto`: below it the model is sure enough that a text is acceptable to overrule the
 *   rules. Rules written from some writers falsely reject 0.6–2.2 % of a new writer's
 *   complaints (surnames, quoted spam, «убить полчаса»); the veto is set where at most
 *   `vetoLoss` of the abuse the rules catch would be let through;
 * - `reject`: above it the model rejects what the rules let through; the lowest value at
 *   which rules and model together reject at most `target` of the acceptable texts (issue
 *   13 allows 0.5 %).
 */
export const ABUSE_FALSE_REJECTION_TARGET = 0.005;
/** Share of the rules' correct rejections the veto may undo. */
export const ABUSE_VETO_LOSS = 0.001;
/** The veto never reaches further than this: beyond it the model is not sure. */
export const ABUSE_VETO_MAX = 0.01;
/**
 * The model never rejects alone below this. With fewer false rejections of the rules to
 * absorb, the writers' 0.5 % points fell to about 0.8, where idioms and figures of speech
 * the labelled sets hold few of («бить тревогу надо», «руки бы оторвать тем, кто так кладёт
 * асфальт», «выйдем на митинг») score 0.80–0.90 (test/classifiers/abuse-generalised.test.ts).
 */
export const ABUSE_REJECT_FLOOR = 0.9;

export interface ScoredText {
  readonly acceptable: boolean;
  /** Whether the rules reject it. */
  readonly rules: boolean;
  /** The model's probability that it is to be rejected. */
  readonly p: number;
  /** The set (writer) it comes from: the threshold must hold for every writer. */
  readonly set?: string;
}

export interface AbuseThresholds {
  readonly reject: number;
  readonly veto: number;
}

/**
 * Whether rules and model together reject a text, by probability alone (the classifier
 * also lets the rules' exceptions stand against the model: verdict.ts).
 */
export function combinedReject(rules: boolean, p: number, t: AbuseThresholds): boolean {
  return (rules && p >= t.veto) || p > t.reject;
}

export function chooseThresholds(texts: readonly ScoredText[], target = ABUSE_FALSE_REJECTION_TARGET, vetoLoss = ABUSE_VETO_LOSS): AbuseThresholds {
  const caught = texts.filter((t) => !t.acceptable && t.rules).map((t) => t.p).sort((a, b) => a - b);
  const veto = Math.min(ABUSE_VETO_MAX, caught[Math.floor(vetoLoss * caught.length)] ?? 0);
  // The target holds for each writer's set, not only on average: the highest of the sets' thresholds.
  const sets = new Map<string, ScoredText[]>();
  for (const t of texts) { const key = t.set ?? ''; const list = sets.get(key) ?? []; list.push(t); sets.set(key, list); }
  let reject = ABUSE_REJECT_FLOOR;
  for (const list of sets.values()) reject = Math.max(reject, rejectThreshold(list, veto, target));
  return { reject, veto };
}

function rejectThreshold(texts: readonly ScoredText[], veto: number, target: number): number {
  const acceptable = texts.filter((t) => t.acceptable);
  const byRules = acceptable.filter((t) => t.rules && t.p >= veto).length;
  const allowed = Math.floor(target * acceptable.length) - byRules;
  const scores = acceptable.filter((t) => !(t.rules && t.p >= veto)).map((t) => t.p).sort((a, b) => b - a);
  // With the budget spent by the rules already, the model rejects only what it is surest of.
  return allowed < 0 ? scores[0] ?? 0.5 : scores[allowed] ?? 0.5;
}
