/**
 * Shapes shared by the rule sets and the verdict. Codes are English for code and
 * queries; labels are Russian because the curator reads them in Compass.
 */
export type ReasonCode = 'obscene' | 'insult' | 'threat' | 'violence-call' | 'advertising' | 'harm-intent';

export const REASON_CODES: readonly ReasonCode[] = ['obscene', 'insult', 'threat', 'violence-call', 'advertising', 'harm-intent'];

// 000 [3], 001 [22], 002 [12], 004 [3.6]: the grounds on which a message is not processed.
export const REASON_LABELS: Readonly<Record<ReasonCode, string>> = {
  obscene: 'Нецензурные выражения',
  insult: 'Оскорбительные выражения',
  threat: 'Угроза жизни, здоровью или имуществу должностных лиц, органам власти',
  'violence-call': 'Призыв к насильственным действиям или свержению власти',
  advertising: 'Реклама или спам',
  'harm-intent': 'Намерение причинить вред другому лицу',
};

/** What one rule set found: the reason and the words of the message that triggered it. */
export interface RuleHit {
  readonly reason: ReasonCode;
  readonly label: string;
  readonly evidence: readonly string[];
}

export function hit(reason: ReasonCode, evidence: Iterable<string>): RuleHit {
  return { reason, label: REASON_LABELS[reason], evidence: [...new Set(evidence)] };
}
