/**
 * Calls to violence or to the overthrow of the government (001 [22]) and wishes of death
 * or mutilation: imperatives of violence («бейте», «жгите»), «надо/пора + расстрелять»,
 * the set phrases of lynching («на вилы», «к стенке»), «чтоб вы сдохли», «руки отрубить»,
 * and calls to seize or overthrow power. Words that are violent only with a person as
 * object («повесить», «сжечь») need one: «надо повесить знак» and «пора сжечь листья» are
 * not calls. The words live in lexicon/violence.ts.
 */
import type { Normalized } from './normalize.js';
import { hit, type RuleHit } from './types.js';
import { CALL_PHRASES, CALL_TARGETS, innocentObject, MODAL, needsTarget, VIOLENT_IMPERATIVES, VIOLENT_INFINITIVES } from './violence-lexicon.js';
import { findTokens, OFFICIALS, ownSentence, reportedTokens } from './words.js';

export function detectViolenceCall(n: Normalized): RuleHit | null {
  const reported = reportedTokens(n);
  const evidence: string[] = [];
  const targeted = [...findTokens(n, OFFICIALS), ...findTokens(n, CALL_TARGETS)].some((i) => !reported.has(i));
  for (const i of findTokens(n, VIOLENT_IMPERATIVES)) {
    if (reported.has(i) || innocentObject(n.tokens, i) || (!targeted && needsTarget(n.tokens[i]!, VIOLENT_IMPERATIVES))) continue;
    // «бей тревогу» is an idiom, not a call.
    if (/^тревог/.test(n.tokens[i + 1]?.folded[0] ?? '')) continue;
    evidence.push(n.tokens[i]!.raw);
  }
  for (const i of findTokens(n, VIOLENT_INFINITIVES)) {
    if (reported.has(i) || innocentObject(n.tokens, i) || (!targeted && needsTarget(n.tokens[i]!, VIOLENT_INFINITIVES))) continue;
    // A likeness is no call: «гонит, как будто убить всех хочет».
    if (likeness(n, i)) continue;
    // Hyperbole about oneself is no call: «пока дождёшься, можно самому себе аппендицит вырезать».
    if (doneToOneself(n, i)) continue;
    // The modal word may follow the infinitive too: «депутатов вешать надо», «взять бы … да утопить».
    for (let j = Math.max(0, i - 4); j <= Math.min(n.tokens.length - 1, i + 3); j++) {
      if (j === i || !MODAL.testAt(n.tokens, j)) continue;
      // A refused verb is refused whatever modal word stands near it next: «ничего жечь не
      // надо, давайте соберём подписи».
      if (!refusal(n, j, i)) evidence.push(`${n.tokens[j]!.raw} ${n.tokens[i]!.raw}`);
      break;
    }
  }
  // An infinitive opening the message is an order: «Сжечь мэрию!», «Всех расстрелять!».
  const first = n.tokens.findIndex((t) => !/^(?:всех|их|этих|вот|так|да|просто)$/.test(t.folded[0] ?? ''));
  if (first >= 0 && first <= 2 && targeted && !reported.has(first) && !innocentObject(n.tokens, first) && VIOLENT_INFINITIVES.testAt(n.tokens, first)) {
    evidence.push(n.tokens[first]!.raw);
  }
  evidence.push(...CALL_PHRASES.find(ownSentence(n), targeted));
  return evidence.length > 0 ? hit('violence-call', [...new Set(evidence)]) : null;
}

const INFINITIVE = /(?:ть|ти|чь|ться|тись)$/;

/** Whether «себе» or «себя» stands just before the infinitive at `i`: the author's own body or life. */
function doneToOneself(n: Normalized, i: number): boolean {
  for (let j = Math.max(0, i - 3); j < i; j++) if (/^(?:себе|себя)$/.test(n.tokens[j]!.folded[0] ?? '')) return true;
  return false;
}

/**
 * Whether the modal word at `j` is negated and refuses the infinitive at `i`: «ничего жечь
 * не надо», «не надо никого бить» answer a call, often one quoted just before. The refusal
 * belongs to the verb beside it: in «жалеть не надо, всех расстрелять» it is «жалеть» that
 * is refused.
 */
function refusal(n: Normalized, j: number, i: number): boolean {
  if (n.tokens[j - 1]?.folded[0] !== 'не') return false;
  const other = i > j ? n.tokens[j - 2] : n.tokens[j + 1];
  return other === undefined || !INFINITIVE.test(other.folded[0] ?? '');
}

/** Whether «будто», «словно» or «как бы» stands just before the word: it says what something looks like. */
function likeness(n: Normalized, i: number): boolean {
  for (let j = Math.max(0, i - 2); j < i; j++) {
    const w = n.tokens[j]!.folded[0] ?? '';
    if (w === 'будто' || w === 'словно' || (w === 'бы' && n.tokens[j - 1]?.folded[0] === 'как')) return true;
  }
  return false;
}
