import type { NormalizedMessage } from './types.js';
import type { ApiErrorRecord } from './errors.js';
import type { AnswerRef, NetworkConnector, PublishResult } from './connector.js';
import type { AnswerAttachment, UndeliveredAttachment } from './attachments.js';

/** The regulation's wording for closing without an answer delivered (001 [20]). */
export const NO_TECHNICAL_POSSIBILITY = 'Отсутствие технической возможности для публикации ответа пользователю';

export type PublishOutcome =
  | {
    readonly outcome: 'published-public' | 'published-private'; readonly externalId: string; readonly recovered: boolean;
    /** Attachments that did not go out with the answer, and why: tell the curator. */
    readonly undelivered?: readonly UndeliveredAttachment[];
    readonly errors: readonly ApiErrorRecord[];
  }
  | { readonly outcome: 'no-technical-possibility'; readonly reason: string; readonly errors: readonly ApiErrorRecord[] }
  | {
    readonly outcome: 'retryable'; readonly error: string; readonly waitMs?: number;
    /** The network's hint was clamped (or unusable): see PublishResult. */
    readonly waitClamped?: boolean; readonly apiRetryAfterSec?: number;
    readonly errors: readonly ApiErrorRecord[];
  }
  | { readonly outcome: 'config'; readonly error: string; readonly errors: readonly ApiErrorRecord[] }
  | { readonly outcome: 'uncertain'; readonly startedAt: Date; readonly errors: readonly ApiErrorRecord[] };

/**
 * The publishing order of the regulation (004 [3.4], 001 [20]): reply in the same place;
 * a comment whose public reply is blocked gets a private message (the fallback text
 * says the person can also write to the official accounts); when that fails too, or
 * the author cannot be written to, the workflow closes the incident as «Готово» with
 * the reason. Answers to private messages stay private, so they have no fallback.
 */
export async function publishAnswer(
  connector: NetworkConnector<unknown>,
  answer: AnswerRef,
  message: NormalizedMessage,
  text: string,
  privateFallbackText: string,
  /** The answer's photos, videos and documents as bytes (000 [16]), and links. */
  attachments: readonly AnswerAttachment[] = [],
): Promise<PublishOutcome> {
  const first = await connector.reply(answer, message, text, attachments);
  const publicOutcome = nonBlocked(first, message.kind === 'private' ? 'published-private' : 'published-public', []);
  if (publicOutcome !== null) return publicOutcome;
  const errors = first.status === 'blocked' ? [first.error] : [];
  if (message.kind === 'private' || message.author.anonymous) {
    return { outcome: 'no-technical-possibility', reason: NO_TECHNICAL_POSSIBILITY, errors };
  }
  const second = await connector.sendPrivate(answer, message.author, privateFallbackText, attachments);
  const privateOutcome = nonBlocked(second, 'published-private', errors);
  if (privateOutcome !== null) return privateOutcome;
  return { outcome: 'no-technical-possibility', reason: NO_TECHNICAL_POSSIBILITY, errors: second.status === 'blocked' ? [...errors, second.error] : errors };
}

function nonBlocked(result: PublishResult, published: 'published-public' | 'published-private', errors: readonly ApiErrorRecord[]): PublishOutcome | null {
  switch (result.status) {
    case 'published':
      return { outcome: published, externalId: result.externalId, recovered: result.recovered, ...(result.undelivered === undefined ? {} : { undelivered: result.undelivered }), errors };
    case 'retryable': {
      const { status: _status, ...rest } = result;
      return { outcome: 'retryable', ...rest, errors };
    }
    case 'config':
      return { outcome: 'config', error: result.error, errors };
    case 'uncertain':
      return { outcome: 'uncertain', startedAt: result.startedAt, errors };
    case 'blocked':
      return null;
  }
}
