/**
 * Small helpers shared by the rule sets: finding words by pattern in the normalized
 * tokens, and telling the author's own words from words they report someone said.
 */
import type { Normalized, Token } from './normalize.js';

// Each list is tested as one alternation: one regex run per word instead of dozens.
const combinedCache = new WeakMap<readonly RegExp[], RegExp>();

function combined(patterns: readonly RegExp[]): RegExp {
  let re = combinedCache.get(patterns);
  if (re === undefined) {
    re = new RegExp(patterns.map((p) => `(?:${p.source})`).join('|'));
    combinedCache.set(patterns, re);
  }
  return re;
}

export function matchesAny(word: string, patterns: readonly RegExp[]): boolean {
  return combined(patterns).test(word);
}

export function tokenMatches(t: Token, patterns: readonly RegExp[]): boolean {
  for (const w of t.folded) if (matchesAny(w, patterns)) return true;
  return false;
}

/** Indexes of the tokens whose readings match one of the patterns. */
export function findTokens(n: Normalized, patterns: readonly RegExp[]): number[] {
  const out: number[] = [];
  n.tokens.forEach((t, i) => { if (tokenMatches(t, patterns)) out.push(i); });
  return out;
}

/**
 * Verbs with which a citizen reports what others said or did to them
 * («сосед назвал меня дебилом», «мне кричали: убью»). The words that follow them
 * are a quotation, not the author's own.
 */
const REPORTING = [
  /^(?:на|об|от)?звал[аи]?$/, /^обзыва/, /^называ(?:ет|ют|л|ли|ла)/, /^оскорб(?:ил|ля|ле)/, /^кричал/, /^крича(?:т|л)/,
  /^(?:с|вы)?казал[аи]?$/, /^говор(?:ит|ят|ил)/, /^ответил/, /^написал[аи]?$/, /^пишут$/, /^угрожа/, /^грози(?:т|л|тся)/, /^пообещал/,
  /^обещ(?:ает|ал|ают)/, /^орал/, /^орет$/, /^оскорбляют/, /^обозвал/, /^хамит/, /^нахамил/, /^послал[аи]?$/,
];

const reportedCache = new WeakMap<Normalized, ReadonlySet<number>>();

/** Token indexes that belong to a quotation or a report of someone else's words. */
export function reportedTokens(n: Normalized): ReadonlySet<number> {
  let cached = reportedCache.get(n);
  if (cached === undefined) { cached = computeReported(n, 6); reportedCache.set(n, cached); }
  return cached;
}

function computeReported(n: Normalized, window: number): Set<number> {
  const out = new Set<number>();
  n.tokens.forEach((t, i) => {
    if (t.quoted) out.add(i);
    // «я написал вам жалобу» is the author speaking for themselves, not a report.
    const byAuthor = i > 0 && /^(?:я|мы)$/.test(n.tokens[i - 1]!.plain);
    if (!byAuthor && tokenMatches(t, REPORTING)) for (let j = i + 1; j <= i + window && j < n.tokens.length; j++) out.add(j);
  });
  return out;
}

/** People and bodies whose threat or insult the regulations name (001 [22]). */
export const OFFICIAL_TARGETS: readonly RegExp[] = [
  /^чиновн/, /^администрац/, /^мэр(?:а|у|ом|е|ия|ии|ию)?$/, /^мэри/, /^глав(?:а|е|у|ой|ы)$/, /^депутат/, /^губернатор/,
  /^власт/, /^правительств/, /^начальни/, /^сотрудник/, /^руководител/, /^руководств/, /^директор/, /^прокурор/,
  /^полици/, /^мент/, /^госдум/, /^министр/, /^президент/, /^единорос/, /^слуг/, /^кабинет/, /^исполком/, /^управ(?:а|ы|е|у)$/,
  /^управляющ/, /^зам(?:а|у|ом)?$/, /^замглав/, /^специалист/, /^отдел/, /^комитет/, /^совет(?:а|у|е)?$/,
];
export const SECOND_PERSON: readonly RegExp[] = [/^(?:ты|тебя|тебе|тобой|твой|твою|твоя|твоих|твои|твоего|твоей|вы|вас|вам|вами|ваш|вашу|ваша|ваших|ваши|вашего|вашей)$/];
