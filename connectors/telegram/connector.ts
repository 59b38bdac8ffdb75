import { z } from 'zod';
import type { MessageAttachment, MessageAuthor, MessageKind, NormalizedMessage } from '../types.js';
import type { AnswerRef, FetchBatch, NetworkConnector, PublishAttemptLog, PublishResult, RejectedPayload } from '../connector.js';
import { publishFailure } from '../connector.js';
import { checkNormalized, describeIssues } from '../normalized.js';
import { keywordMatcher, type KeywordMatcher } from '../keywords.js';
import { PERMANENT, TransportError, type ConnectorError, type Decision } from '../errors.js';
import { GaveUp } from '../retry.js';
import { mayHaveArrived } from '../http.js';
import type { TelegramClient } from './client.js';
import { decideTelegram } from './errors.js';
import { normalizeTelegramMessage, telegramAuthor, telegramMessageSchema, telegramUpdateSchema } from './normalize.js';

export const telegramCursorSchema = z.object({ offset: z.number().int().nonnegative() });
export type TelegramCursor = z.infer<typeof telegramCursorSchema>;

export interface TelegramConnectorOptions {
  readonly accountId: string;
  readonly client: TelegramClient;
  /** The discussion groups linked to the official channels: every message there is a comment. */
  readonly discussionChatIds: readonly string[];
  readonly keywords: readonly string[];
  readonly attempts: PublishAttemptLog;
  readonly batchSize?: number;
  readonly now?: () => Date;
}

/**
 * A send has no idempotency key in the Bot API and a bot cannot read a chat's history:
 * after a timeout or a reset the message may have been delivered, so the send is not
 * repeated; the attempt stays recorded and the outcome is `uncertain` for a person to
 * check in the chat.
 */
function decideSend(error: ConnectorError): Decision {
  return mayHaveArrived(error) ? PERMANENT : decideTelegram(error);
}

export class TelegramConnector implements NetworkConnector<TelegramCursor> {
  readonly network = 'telegram' as const;
  readonly accountId: string;
  private readonly matcher: KeywordMatcher;
  private readonly discussions: ReadonlySet<string>;
  private readonly now: () => Date;

  constructor(private readonly options: TelegramConnectorOptions) {
    this.accountId = options.accountId;
    this.matcher = keywordMatcher(options.keywords);
    this.discussions = new Set(options.discussionChatIds);
    this.now = options.now ?? (() => new Date());
  }

  parseCursor(stored: unknown): TelegramCursor | null {
    const parsed = telegramCursorSchema.safeParse(stored);
    return parsed.success ? parsed.data : null;
  }

  /**
   * getUpdates with `offset`: Telegram forgets the updates below the offset only when
   * the next call passes it, so a crash before the cursor is saved re-delivers them.
   * On the first run (no cursor) the pending updates of the last 24 hours are read.
   */
  async fetchSince(cursor: TelegramCursor | null): Promise<FetchBatch<TelegramCursor>> {
    const { client } = this.options;
    const before = client.requestCount;
    const limit = this.options.batchSize ?? 100;
    const raw: unknown = await client.call('getUpdates', (bot) => bot.getUpdates({
      ...(cursor === null ? {} : { offset: cursor.offset }),
      limit,
      timeout: client.longPollWaitSec,
      // The Bot API wants a JSON-serialized list; the library would form-encode an array as
      // allowed_updates[0]=message, which Telegram ignores.
      allowed_updates: JSON.stringify(['message']) as unknown as string[],
    }));
    if (!Array.isArray(raw)) throw new TransportError('telegram', 'getUpdates', 'malformed-body', 'result is not an array');
    const messages: NormalizedMessage[] = [];
    const rejected: RejectedPayload[] = [];
    let offset = cursor?.offset ?? 0;
    for (const update of raw as unknown[]) {
      const head = telegramUpdateSchema.safeParse(update);
      if (!head.success) { rejected.push(this.reject(`update: ${describeIssues(head.error)}`, update)); continue; }
      offset = Math.max(offset, head.data.update_id + 1);
      const result = this.normalize(update);
      if (result === null) continue;
      if ('reason' in result) rejected.push(this.reject(result.reason, update));
      else messages.push(result.message);
    }
    return { messages, rejected, cursor: { offset }, requests: client.requestCount - before, more: raw.length >= limit };
  }

  private normalize(update: unknown): { message: NormalizedMessage } | { reason: string } | null {
    const body = (update as { message?: unknown }).message;
    if (body === undefined) {
      const kinds = Object.keys(update as object).filter((key) => key !== 'update_id');
      return { reason: `unknown update kind ${kinds.join(',') || '(empty)'}` };
    }
    const parsed = telegramMessageSchema.safeParse(body);
    if (!parsed.success) return { reason: `message: ${describeIssues(parsed.error)}` };
    const message = parsed.data;
    // The channel's post copied into its discussion group is ours, not a citizen's.
    if (message.is_automatic_forward === true) return null;
    const author = telegramAuthor(message);
    if (author === null) return { reason: 'message: neither from nor sender_chat' };
    const text = message.text ?? message.caption ?? '';
    const matched = this.matcher.match(text);
    let kind: MessageKind;
    if (message.chat.type === 'private') kind = 'private';
    else if (this.discussions.has(String(message.chat.id))) kind = 'comment';
    else if (matched.length > 0) kind = 'mention';
    // Ordinary talk in a group where the bot sits is not addressed to the administration.
    else return null;
    const checked = checkNormalized(normalizeTelegramMessage(message, kind, author, matched, update));
    return checked.ok ? { message: checked.message } : { reason: `normalized: ${checked.reason}` };
  }

  private reject(reason: string, raw: unknown): RejectedPayload {
    return { network: 'telegram', accountId: this.accountId, reason, raw, receivedAt: this.now() };
  }

  reply(answer: AnswerRef, message: NormalizedMessage, text: string, attachments: readonly MessageAttachment[] = []): Promise<PublishResult> {
    const chatId = message.place.containerId;
    return this.send(answer, `chat:${chatId}:reply:${message.place.itemId}`, chatId, withLinks(text, attachments), {
      reply_parameters: { message_id: Number(message.place.itemId), allow_sending_without_reply: true },
      ...(message.place.threadId === undefined ? {} : { message_thread_id: Number(message.place.threadId) }),
    });
  }

  sendPrivate(answer: AnswerRef, author: MessageAuthor, text: string): Promise<PublishResult> {
    return this.send(answer, `user:${author.id}`, author.id, text, {});
  }

  private async send(answer: AnswerRef, target: string, chatId: string, text: string, extra: object): Promise<PublishResult> {
    const startedAt = this.now();
    const earlier = await this.options.attempts.begin({ answerId: answer.answerId, network: 'telegram', target, startedAt });
    if (earlier !== null) {
      return earlier.externalId === undefined
        ? { status: 'uncertain', startedAt: earlier.startedAt }
        : { status: 'published', externalId: earlier.externalId, recovered: true };
    }
    let sent: { message_id: number };
    try {
      sent = await this.options.client.call('sendMessage', (bot) => bot.sendMessage(chatId, text, extra), chatId, decideSend);
    } catch (error) {
      if (error instanceof GaveUp && mayHaveArrived(error.error)) return { status: 'uncertain', startedAt };
      // The API answered with an error: nothing was posted, a later attempt may post.
      if (error instanceof GaveUp) await this.options.attempts.abandon(answer.answerId, target);
      return publishFailure(error);
    }
    const externalId = String(sent.message_id);
    // Outside the try: if recording fails the attempt stays open and reads as uncertain later.
    await this.options.attempts.complete(answer.answerId, target, externalId);
    return { status: 'published', externalId, recovered: false };
  }
}

function withLinks(text: string, attachments: readonly MessageAttachment[]): string {
  return attachments.length === 0 ? text : `${text}\n\n${attachments.map((item) => item.url).join('\n')}`;
}
