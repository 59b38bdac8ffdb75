import type { Notice } from './incident-machine.js';

/**
 * The curator hears of new incidents one card each while they come a few at a time; a batch
 * of more than this (a storm of comments under one post, a connector catching up after an
 * outage) is told in one message instead, so the bot does not flood the curator's chat with
 * hundreds of cards (nor hit Telegram's limit of about 30 messages a second per bot).
 */
export const NEW_INCIDENT_CARDS_AT_MOST = 3;

export interface NumberedNotice {
  readonly number: number;
  readonly notice: Notice;
  /** The incident was suggested high importance (000 [9]): named apart in a digest. */
  readonly high?: boolean;
}

export interface NoticeDigest<T extends NumberedNotice> {
  /** The notices still sent one by one (every kind but «new incident», or all when few). */
  readonly single: readonly T[];
  /** One notice for all new incidents of the batch, or null when they went one by one. */
  readonly digest: { readonly numbers: readonly number[]; readonly notice: Notice } | null;
}

/** The «new incident» notices of one classifier batch, folded into one when there are many. */
export function digestNewIncidents<T extends NumberedNotice>(notices: readonly T[]): NoticeDigest<T> {
  const fresh = notices.filter((n) => n.notice.kind === 'new-incident');
  if (fresh.length <= NEW_INCIDENT_CARDS_AT_MOST) return { single: notices, digest: null };
  const numbers = fresh.map((n) => n.number).sort((a, b) => a - b);
  const high = fresh.filter((n) => n.high === true).map((n) => n.number).sort((a, b) => a - b);
  const text = [
    `Новые обращения: ${numbers.length} (${listNumbers(numbers)}).`,
    ...(high.length > 0 ? [`Предположительно повышенной важности: ${listNumbers(high)}.`] : []),
    'Карточка обращения — /card N; все новые — в рабочем месте в браузере (/login).',
  ].join('\n');
  return {
    single: notices.filter((n) => n.notice.kind !== 'new-incident'),
    digest: { numbers, notice: { to: { role: 'curator' }, kind: 'new-incidents', text } },
  };
}

/** «№ 5–9, № 12» for 5, 6, 7, 8, 9, 12: runs of consecutive numbers as ranges. */
export function listNumbers(sorted: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j += 1;
    parts.push(j > i + 1 ? `№ ${sorted[i]}–${sorted[j]}` : j === i + 1 ? `№ ${sorted[i]}, № ${sorted[j]}` : `№ ${sorted[i]}`);
    i = j + 1;
  }
  return parts.join(', ');
}
