import { z } from 'zod';
import type { MessageAttachment, MessageAuthor, MessageKind, NormalizedMessage } from '../types.js';
import type TelegramBot from 'node-telegram-bot-api';
import { AttachmentNotDownloadable, contentTypeOf, fileNameOf, splitAttachments, withLinks, type AnswerAttachment, type AttachmentSource, type DownloadedAttachment, type OutgoingFile } from '../attachments.js';
import type { AnswerRef, FetchBatch, NetworkConnector, PublishAttemptLog, PublishResult, RejectedPayload } from '../connector.js';
import { EarlierAttempt, attemptRecorder, publishFailure } from '../connector.js';
import { checkNormalized, describeIssues } from '../normalized.js';
import { keywordMatcher, type KeywordMatcher } from '../keywords.js';
import { PERMANENT, TransportError, type ConnectorError, type Decision } from '../errors.js';
import { GaveUp } from '../retry.js';
import { CursorRefused, checkDateMs, checkSequence } from '../cursor-guard.js';
import { mayHaveArrived } from '../http.js';
import { TELEGRAM_MAX_DOWNLOAD_BYTES, type TelegramClient } from './client.js';
import { decideTelegram } from './errors.js';
import { normalizeTelegramMessage, telegramAuthor, telegramMessageSchema, telegramUpdateSchema } from './normalize.js';

/**
 * update_id is an Integer of the Bot API without the note "may have more than 32
 * significant bits" that chat and user ids carry, so it is a signed 32-bit number.
 */
export const TELEGRAM_MAX_UPDATE_ID = 2 ** 31 - 1;
/**
 * How far one fetch may move the offset. Ids rise by one per update of the bot, also for
 * the kinds it does not ask for, and Telegram keeps updates for 24 hours: a municipal bot
 * does not see 100,000 updates between two polls, even after a day's outage.
 */
export const TELEGRAM_MAX_UPDATE_JUMP = 100_000;
/** "If there are no new updates for at least a week, then identifier of the next update will be chosen randomly." */
const RANDOM_ID_AFTER_SEC = 7 * 86_400;

export const telegramCursorSchema = z.object({
  offset: z.number().int().nonnegative().max(TELEGRAM_MAX_UPDATE_ID + 1),
  /** The date of the newest update taken: after a week without updates a jump is legitimate. */
  lastUpdateSec: z.number().int().nonnegative().optional(),
  /** The update_id refused last: one that Telegram keeps offering is set aside once, not every poll. */
  refusedUpdateId: z.number().optional(),
});
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

/** A wait for one chat's window this long is not sat out in a publisher's slot. */
const CHAT_BACKLOG_POSTPONE_MS = 5_000;

export class TelegramConnector implements NetworkConnector<TelegramCursor>, AttachmentSource {
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
    const refused: CursorRefused[] = [];
    const heads: { update: unknown; id: number }[] = [];
    for (const update of raw as unknown[]) {
      const head = telegramUpdateSchema.safeParse(update);
      if (!head.success) rejected.push(this.reject(`update: ${describeIssues(head.error)}`, update));
      else heads.push({ update, id: head.data.update_id });
    }
    // Telegram sends updates in id order; sorting makes one out of order a refusal of its own
    // instead of a reason to refuse the real ones after it.
    heads.sort((a, b) => a.id - b.id);
    // The id the next update must have at least. Offset 0 is the Bot API's "no offset": then
    // the batch's own median id is the reference, so one forged id cannot start the sequence.
    const median = heads[Math.floor((heads.length - 1) / 2)]?.id;
    const fromCursor = cursor !== null && cursor.offset > 0;
    let expected: number | null = fromCursor ? cursor.offset : median === undefined ? null : Math.max(0, median - TELEGRAM_MAX_UPDATE_JUMP);
    // Around the median the window reaches as far on either side.
    let maxJump = fromCursor ? TELEGRAM_MAX_UPDATE_JUMP : 2 * TELEGRAM_MAX_UPDATE_JUMP;
    let taken = false;
    let lastUpdateSec = cursor?.lastUpdateSec;
    let refusedUpdateId = cursor?.refusedUpdateId;
    const nowMs = this.now().getTime();
    for (const { update, id } of heads) {
      const dateSec = updateDateSec(update, nowMs);
      const check = checkSequence(id, expected, { max: TELEGRAM_MAX_UPDATE_ID, maxJump });
      const weekOfSilence = !check.ok && check.rule === 'jump' && lastUpdateSec !== undefined && dateSec !== null && dateSec - lastUpdateSec >= RANDOM_ID_AFTER_SEC;
      if (!check.ok && !weekOfSilence) {
        const refusal = new CursorRefused('telegram', this.accountId, 'update_id', check.rule, expected, id, check.limit);
        refused.push(refusal);
        if (refusedUpdateId !== id) rejected.push(this.reject(refusal.message, update));
        refusedUpdateId = id;
        continue;
      }
      expected = id + 1;
      maxJump = TELEGRAM_MAX_UPDATE_JUMP;
      taken = true;
      if (dateSec !== null) lastUpdateSec = Math.max(lastUpdateSec ?? 0, dateSec);
      const result = this.normalize(update);
      if (result === null) continue;
      if ('reason' in result) rejected.push(this.reject(result.reason, update));
      else messages.push(result.message);
    }
    const offset = taken && expected !== null ? expected : cursor?.offset ?? 0;
    return {
      messages, rejected,
      cursor: { offset, ...(lastUpdateSec === undefined ? {} : { lastUpdateSec }), ...(refusedUpdateId === undefined ? {} : { refusedUpdateId }) },
      requests: client.requestCount - before,
      // A full page that moved nothing (all refused) is not fetched again at once.
      more: raw.length >= limit && offset !== (cursor?.offset ?? 0),
      waited: client.longPollWaitSec > 0 && (raw.length === 0 || offset !== (cursor?.offset ?? 0)),
      ...(refused.length === 0 ? {} : { refused }),
    };
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
    if (!checkDateMs(message.date * 1000, this.now().getTime()).ok) return { reason: `message: date ${message.date} is more than a day ahead of now` };
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

  reply(answer: AnswerRef, message: NormalizedMessage, text: string, attachments: readonly AnswerAttachment[] = []): Promise<PublishResult> {
    const chatId = message.place.containerId;
    return this.deliver(answer, `chat:${chatId}:reply:${message.place.itemId}`, chatId, text, attachments, {
      reply_parameters: { message_id: Number(message.place.itemId), allow_sending_without_reply: true },
      ...(message.place.threadId === undefined ? {} : { message_thread_id: Number(message.place.threadId) }),
    });
  }

  sendPrivate(answer: AnswerRef, author: MessageAuthor, text: string, attachments: readonly AnswerAttachment[] = []): Promise<PublishResult> {
    return this.deliver(answer, `user:${author.id}`, author.id, text, attachments, {});
  }

  /**
   * The text and the files as real media: one sendPhoto / sendVideo / sendDocument, or a
   * sendMediaGroup for several (photos and videos in one album, documents in another,
   * ten to an album), with the text as the first caption when it fits, else sent first.
   * Each send is its own attempt (the first under `target`, the next `target:part:N`),
   * so a retry goes on where the last one stopped, and nothing is sent twice.
   */
  private async deliver(answer: AnswerRef, target: string, chatId: string, text: string, attachments: readonly AnswerAttachment[], where: object): Promise<PublishResult> {
    const { files, links, undelivered } = splitAttachments(attachments, (file) => (file.kind === 'photo' ? TELEGRAM_MAX_PHOTO_BYTES : TELEGRAM_MAX_FILE_BYTES));
    const missing = [...undelivered];
    let first: PublishResult | undefined;
    for (const [index, step] of telegramSteps(withLinks(text, links), files).entries()) {
      const result = await this.send(answer, index === 0 ? target : `${target}:part:${index}`, chatId, step, where);
      if (index === 0) {
        if (result.status !== 'published') return result;
        first = result;
      } else if (result.status === 'blocked') {
        // The text is out; Telegram refused these files (type, size): the curator is told.
        missing.push(...step.files.map((file) => ({ name: file.fileName, reason: `${result.error.method}: ${result.error.code} ${result.error.description}` })));
      } else if (result.status !== 'published') {
        return result;
      }
    }
    return missing.length === 0 ? first! : { ...(first as Extract<PublishResult, { status: 'published' }>), undelivered: missing };
  }

  private async send(answer: AnswerRef, target: string, chatId: string, step: TelegramStep, where: object): Promise<PublishResult> {
    // Others already wait for this chat's window: come back then instead of holding one of
    // the publisher's few slots (and every other network's answers) for up to a minute.
    const backlogMs = this.options.client.backlogMs(chatId);
    if (backlogMs >= CHAT_BACKLOG_POSTPONE_MS) {
      return { status: 'retryable', error: `chat ${chatId}: Telegram's limit for one chat is taken by the answers before this one`, waitMs: backlogMs };
    }
    const recorder = attemptRecorder(this.options.attempts, () => ({ answerId: answer.answerId, network: 'telegram', target, startedAt: this.now() }));
    let sent: { message_id: number };
    try {
      sent = await this.options.client.call(step.method, (bot) => sendStep(bot, chatId, step, where), chatId, decideSend, recorder);
    } catch (error) {
      if (error instanceof EarlierAttempt) {
        return error.attempt.externalId === undefined
          ? { status: 'uncertain', startedAt: error.attempt.startedAt }
          : { status: 'published', externalId: error.attempt.externalId, recovered: true };
      }
      const begun = recorder.begun();
      if (error instanceof GaveUp && begun !== undefined && mayHaveArrived(error.error)) return { status: 'uncertain', startedAt: begun.startedAt };
      // The API answered with an error: nothing was posted, a later attempt may post.
      if (error instanceof GaveUp && begun !== undefined) await this.options.attempts.abandon(answer.answerId, target);
      return publishFailure(error);
    }
    const externalId = String(sent.message_id);
    // Outside the try: if recording fails the attempt stays open and reads as uncertain later.
    await this.options.attempts.complete(answer.answerId, target, externalId);
    return { status: 'published', externalId, recovered: false };
  }

  /**
   * The file of a `telegram-file:<file_id>` attachment, through getFile and the file
   * server. The file's URL holds the bot's token: it never leaves the client.
   */
  async fetchAttachment(attachment: MessageAttachment): Promise<DownloadedAttachment> {
    if (!attachment.url.startsWith('telegram-file:')) throw new AttachmentNotDownloadable(attachment, 'not a Telegram file id');
    const fileId = attachment.url.slice('telegram-file:'.length);
    const file = telegramFileSchema.safeParse(await this.options.client.call('getFile', (bot) => bot.getFile(fileId)));
    if (!file.success) throw new TransportError('telegram', 'getFile', 'malformed-body', describeIssues(file.error));
    if (file.data.file_path === undefined) throw new AttachmentNotDownloadable(attachment, `larger than the ${TELEGRAM_MAX_DOWNLOAD_BYTES} bytes a bot may download`);
    const { data, contentType } = await this.options.client.downloadFile(file.data.file_path);
    const fileName = file.data.file_path.split('/').pop() || fileNameOf('', attachment.type);
    return { contentType: contentTypeOf(fileName, contentType), fileName, data };
  }
}

/** Bot API upload limits: 10 MB for a photo, 50 MB for other files. */
export const TELEGRAM_MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export const TELEGRAM_MAX_FILE_BYTES = 50 * 1024 * 1024;
/** "Photo caption … 0-1024 characters"; a longer text goes as its own message first. */
const CAPTION_MAX_CHARS = 1024;
/** sendMediaGroup: "an array … must include 2-10 items". */
const ALBUM_MAX = 10;

const telegramFileSchema = z.looseObject({ file_id: z.string(), file_path: z.string().min(1).optional(), file_size: z.number().optional() });

type TelegramStep =
  | { readonly method: 'sendMessage'; readonly text: string; readonly files: readonly OutgoingFile[] }
  | { readonly method: 'sendPhoto' | 'sendVideo' | 'sendDocument' | 'sendMediaGroup'; readonly files: readonly OutgoingFile[]; readonly caption?: string };

function telegramSteps(text: string, files: readonly OutgoingFile[]): TelegramStep[] {
  const albums = [...chunks(files.filter((file) => file.kind !== 'document'), ALBUM_MAX), ...chunks(files.filter((file) => file.kind === 'document'), ALBUM_MAX)];
  if (albums.length === 0) return [{ method: 'sendMessage', text, files: [] }];
  const asCaption = text.length > 0 && text.length <= CAPTION_MAX_CHARS;
  const steps: TelegramStep[] = asCaption || text.length === 0 ? [] : [{ method: 'sendMessage', text, files: [] }];
  albums.forEach((album, index) => {
    const caption = asCaption && index === 0 ? { caption: text } : {};
    const single = album.length === 1 ? album[0]! : undefined;
    const method = single === undefined ? 'sendMediaGroup' : single.kind === 'photo' ? 'sendPhoto' : single.kind === 'video' ? 'sendVideo' : 'sendDocument';
    steps.push({ method, files: album, ...caption });
  });
  return steps;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** One Bot API call of a step, with the files uploaded as multipart parts. */
async function sendStep(bot: TelegramBot, chatId: string, step: TelegramStep, where: object): Promise<{ message_id: number }> {
  // The library writes chat_id, text and media into the options object it is given: each
  // call (and each retry) gets its own copy, so one send's fields never leak into the next.
  if (step.method === 'sendMessage') return bot.sendMessage(chatId, step.text, { ...where });
  const options = { ...where, ...(step.caption === undefined ? {} : { caption: step.caption }) };
  const fileOptions = (file: OutgoingFile) => ({ filename: file.fileName, contentType: file.contentType });
  const [file] = step.files;
  switch (step.method) {
    case 'sendPhoto': return bot.sendPhoto(chatId, file!.data, options, fileOptions(file!));
    case 'sendVideo': return bot.sendVideo(chatId, file!.data, options, fileOptions(file!));
    case 'sendDocument': return bot.sendDocument(chatId, file!.data, options, fileOptions(file!));
    case 'sendMediaGroup': {
      // The library uploads a Buffer given as `media` as the part attach://N.
      const media = step.files.map((item, index) => ({
        type: item.kind, media: item.data, fileOptions: fileOptions(item), ...(index === 0 && step.caption !== undefined ? { caption: step.caption } : {}),
      }));
      const sent = await bot.sendMediaGroup(chatId, media as unknown as TelegramBot.InputMedia[], { ...where });
      if (!Array.isArray(sent) || sent[0] === undefined) throw new TransportError('telegram', 'sendMediaGroup', 'malformed-body', 'no messages in the answer');
      return sent[0];
    }
  }
}

/** The update's message date, when it is one a real message can have (checkDateMs). */
function updateDateSec(update: unknown, nowMs: number): number | null {
  const date = (update as { message?: { date?: unknown } }).message?.date;
  return typeof date === 'number' && checkDateMs(date * 1000, nowMs).ok ? date : null;
}

