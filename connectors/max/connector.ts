import { z } from 'zod';
import type { Api } from '@maxhub/max-bot-api';
import type { MessageAttachment, MessageAuthor, MessageKind, NormalizedMessage } from '../types.js';
import {
  AttachmentNotDownloadable, baseHost, contentTypeOf, fileNameOf, onAllowedHost, splitAttachments, withLinks,
  type AnswerAttachment, type AttachmentSource, type DownloadedAttachment, type OutgoingFile, type UndeliveredAttachment,
} from '../attachments.js';
import type { AnswerRef, FetchBatch, NetworkConnector, PublishAttempt, PublishAttemptLog, PublishResult, RejectedPayload } from '../connector.js';
import { EarlierAttempt, attemptRecorder, lookBackFailure, publishFailure } from '../connector.js';
import { checkNormalized, describeIssues } from '../normalized.js';
import { keywordMatcher, type KeywordMatcher } from '../keywords.js';
import { PERMANENT, TransportError, type ConnectorError, type Decision } from '../errors.js';
import { GaveUp, type CallHooks } from '../retry.js';
import { CursorRefused, checkDateMs, checkSequence } from '../cursor-guard.js';
import { mayHaveArrived } from '../http.js';
import type { MaxClient } from './client.js';
import { decideMax } from './errors.js';
import { MAX_VIDEO_PREFIX, maxAuthor, maxMessageSchema, maxUpdateListSchema, maxUpdateSchema, normalizeMaxMessage } from './normalize.js';

/** The updates asked for: messages (dialogs, group chats) and comments under the channel's posts. */
export const MAX_UPDATE_TYPES = ['message_created', 'comment_created'] as const;
/**
 * How far one fetch may move the marker. The marker numbers the bot's updates ("every
 * update has its own sequence number"), and MAX keeps long-poll updates only for a
 * limited time: a municipal bot does not receive 100,000 updates between two polls.
 */
export const MAX_MARKER_JUMP = 100_000;
/** NewMessageBody and NewCommentBody: "text … maxLength: 4000". A longer answer goes in parts. */
export const MAX_TEXT_CHARS = 4000;
/** Photos and videos per message: MAX documents no figure; ten keeps a message a readable album. */
const MEDIA_PER_MESSAGE = 10;
/** POST /uploads: an image up to 50 MB, a video up to 250 MB, a file up to 4 GB. */
export const MAX_UPLOAD_BYTES: Readonly<Record<OutgoingFile['kind'], number>> = { photo: 50 * 1024 * 1024, video: 250 * 1024 * 1024, document: 4 * 1024 * 1024 * 1024 };
/** How far back a look for an interrupted send reads: it went out minutes ago at most. */
const LOOK_BACK_COUNT = 50;
/** Where MAX serves images and files (its upload hosts are okcdn.ru, its image links oneme.ru). */
const MAX_FILE_HOSTS = ['oneme.ru', 'okcdn.ru', 'mycdn.me', 'max.ru'];

export const maxCursorSchema = z.object({
  /** The marker to pass next; absent before MAX gave one. */
  marker: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
  /** The marker refused last: one MAX keeps offering is set aside once, not every poll. */
  refusedMarker: z.unknown().optional(),
});
export type MaxCursor = z.infer<typeof maxCursorSchema>;

export interface MaxConnectorOptions {
  readonly accountId: string;
  readonly client: MaxClient;
  /** Group chats of the administration where every message is addressed to it (a comment); elsewhere only keyword mentions. */
  readonly discussionChatIds: readonly string[];
  readonly keywords: readonly string[];
  readonly attempts: PublishAttemptLog;
  readonly batchSize?: number;
  readonly now?: () => Date;
}

/**
 * A send has no idempotency key in MAX: after a timeout or a broken answer it may have
 * gone out, so it is not repeated inside the call. The attempt stays recorded and the
 * next try reads the chat back first.
 */
function decideSend(error: ConnectorError): Decision {
  return mayHaveArrived(error) ? PERMANENT : decideMax(error);
}

/** The library drops a falsy query value (its client's `if (!value) return`): a zero goes as the string "0". */
const queryNumber = (value: number): number => (value === 0 ? ('0' as unknown as number) : value);

type LibraryAttachments = NonNullable<Parameters<Api['raw']['messages']['send']>[0]['attachments']>;
type AttachmentRequest = { readonly type: 'image' | 'video' | 'file'; readonly payload: Record<string, unknown> };

/** One message of an answer: a text part, its media, and the reply link on the first. */
interface MaxStep {
  readonly text: string;
  readonly files: readonly OutgoingFile[];
}

/** Where an answer goes: a chat (a reply, or a dialog), a user (the private fallback), or a channel post's comments. */
type Destination =
  | { readonly kind: 'chat'; readonly chatId: number; readonly replyTo?: string }
  | { readonly kind: 'user'; readonly userId: number }
  | { readonly kind: 'comments'; readonly postId: string; readonly replyTo: string };

export class MaxConnector implements NetworkConnector<MaxCursor>, AttachmentSource {
  readonly network = 'max' as const;
  readonly accountId: string;
  private readonly matcher: KeywordMatcher;
  private readonly discussions: ReadonlySet<string>;
  private readonly now: () => Date;

  constructor(private readonly options: MaxConnectorOptions) {
    this.accountId = options.accountId;
    this.matcher = keywordMatcher(options.keywords);
    this.discussions = new Set(options.discussionChatIds);
    this.now = options.now ?? (() => new Date());
  }

  parseCursor(stored: unknown): MaxCursor | null {
    const parsed = maxCursorSchema.safeParse(stored);
    return parsed.success ? parsed.data : null;
  }

  /**
   * GET /updates with `marker`: MAX commits the updates below a marker only when the next
   * call passes it, so a crash before the cursor is saved re-delivers them. The marker
   * comes with the batch; it moves the cursor only after the guard (cursor-guard.ts).
   */
  async fetchSince(cursor: MaxCursor | null): Promise<FetchBatch<MaxCursor>> {
    const { client } = this.options;
    const before = client.requestCount;
    const limit = this.options.batchSize ?? 100;
    const answer = maxUpdateListSchema.safeParse(await client.call('GET /updates', (api) => api.getUpdates([...MAX_UPDATE_TYPES], {
      limit, timeout: queryNumber(client.longPollWaitSec),
      ...(cursor?.marker === undefined ? {} : { marker: queryNumber(cursor.marker) }),
    })));
    if (!answer.success) throw new TransportError('max', 'GET /updates', 'malformed-body', describeIssues(answer.error));
    const messages: NormalizedMessage[] = [];
    const rejected: RejectedPayload[] = [];
    const refused: CursorRefused[] = [];
    for (const update of answer.data.updates) {
      const result = this.normalize(update);
      if (result === null) continue;
      if ('reason' in result) rejected.push(this.reject(result.reason, update));
      else messages.push(result.message);
    }
    let next: MaxCursor = cursor ?? {};
    const offered = answer.data.marker;
    if (offered !== undefined && offered !== null) {
      const current = cursor?.marker ?? null;
      const check = checkSequence(offered, current, { max: Number.MAX_SAFE_INTEGER, maxJump: MAX_MARKER_JUMP });
      if (check.ok) {
        next = { marker: check.value };
      } else {
        // Passing a forged marker would commit every real update below it: it is refused,
        // the updates of the batch are still stored (each checked on its own), and the
        // cursor stays where it was.
        const refusal = new CursorRefused('max', this.accountId, 'marker', check.rule, current, offered, check.limit);
        refused.push(refusal);
        if (cursor?.refusedMarker !== offered) rejected.push(this.reject(refusal.message, { marker: offered }));
        next = { ...(cursor?.marker === undefined ? {} : { marker: cursor.marker }), refusedMarker: offered };
      }
    }
    const moved = next.marker !== undefined && next.marker !== cursor?.marker;
    return {
      messages, rejected, cursor: next, requests: client.requestCount - before, more: answer.data.updates.length >= limit,
      waited: client.longPollWaitSec > 0 && (answer.data.updates.length === 0 || moved),
      ...(refused.length === 0 ? {} : { refused }),
    };
  }

  private normalize(update: unknown): { message: NormalizedMessage } | { reason: string } | null {
    const head = maxUpdateSchema.safeParse(update);
    if (!head.success) return { reason: `update: ${describeIssues(head.error)}` };
    const type = head.data.update_type;
    if (type !== 'message_created' && type !== 'comment_created') return { reason: `unknown update kind ${type}` };
    const parsed = maxMessageSchema.safeParse((update as { message?: unknown }).message);
    if (!parsed.success) return { reason: `message: ${describeIssues(parsed.error)}` };
    const message = parsed.data;
    if (!checkDateMs(message.timestamp, this.now().getTime()).ok) return { reason: `message: timestamp ${message.timestamp} is more than a day ahead of now` };
    // Posted on behalf of the channel (sender null), or by a bot (ours among them): not a citizen's.
    if (message.sender === null || message.sender === undefined || message.sender.is_bot) return null;
    const { recipient } = message;
    if (recipient.chat_id === null || recipient.chat_id === undefined) return { reason: 'message: recipient.chat_id missing, nowhere to answer' };
    const text = message.body.text ?? '';
    const matched = this.matcher.match(text);
    let kind: MessageKind;
    if (type === 'comment_created') {
      if (recipient.post_id === null || recipient.post_id === undefined) return { reason: 'comment: recipient.post_id missing, no post to answer under' };
      kind = 'comment';
    } else if (recipient.chat_type === 'dialog') kind = 'private';
    // Only the channel's admins post in it: the administration's own posts.
    else if (recipient.chat_type === 'channel') return null;
    else if (this.discussions.has(String(recipient.chat_id))) kind = 'comment';
    else if (matched.length > 0) kind = 'mention';
    // Ordinary talk in a group chat where the bot sits is not addressed to the administration.
    else return null;
    const checked = checkNormalized(normalizeMaxMessage(message, kind, maxAuthor(message.sender), matched, update));
    return checked.ok ? { message: checked.message } : { reason: `normalized: ${checked.reason}` };
  }

  private reject(reason: string, raw: unknown): RejectedPayload {
    return { network: 'max', accountId: this.accountId, reason, raw, receivedAt: this.now() };
  }

  /**
   * A comment under a channel post is answered under the same post (POST
   * /messages/{post}/comments), a message in a chat or dialog in the same chat, both as
   * a reply (`link: { type: 'reply', mid }`).
   */
  reply(answer: AnswerRef, message: NormalizedMessage, text: string, attachments: readonly AnswerAttachment[] = []): Promise<PublishResult> {
    const { place } = message;
    if (message.kind === 'comment' && place.postId !== undefined) {
      return this.deliver(answer, `post:${place.postId}:reply:${place.itemId}`, { kind: 'comments', postId: place.postId, replyTo: place.itemId }, text, attachments);
    }
    return this.deliver(answer, `chat:${place.containerId}:reply:${place.itemId}`, { kind: 'chat', chatId: Number(place.containerId), replyTo: place.itemId }, text, attachments);
  }

  /** POST /messages?user_id: MAX lets a bot write first only to a user who started it; otherwise 403, blocked. */
  sendPrivate(answer: AnswerRef, author: MessageAuthor, text: string, attachments: readonly AnswerAttachment[] = []): Promise<PublishResult> {
    return this.deliver(answer, `user:${author.id}`, { kind: 'user', userId: Number(author.id) }, text, attachments);
  }

  /**
   * The text in parts of at most 4,000 characters, photos and videos with the first part
   * (ten to a message), each document in a message of its own ("MUST be the only
   * attachment"). Comments take no attachments at all: files for a comment come back in
   * `undelivered`. Each message is its own attempt (`target`, then `target:part:N`), so a
   * retry goes on where the last one stopped.
   */
  private async deliver(answer: AnswerRef, target: string, to: Destination, text: string, attachments: readonly AnswerAttachment[]): Promise<PublishResult> {
    const split = splitAttachments(attachments, (file) => MAX_UPLOAD_BYTES[file.kind]);
    const missing: UndeliveredAttachment[] = [...split.undelivered];
    let files = split.files;
    if (to.kind === 'comments' && files.length > 0) {
      missing.push(...files.map((file) => ({ name: file.fileName, reason: 'MAX comments take no attachments (POST /messages/{messageId}/comments)' })));
      files = [];
    }
    let first: Extract<PublishResult, { status: 'published' }> | undefined;
    for (const [index, step] of maxSteps(withLinks(text, split.links), files).entries()) {
      const stepTarget = index === 0 ? target : `${target}:part:${index}`;
      const uploaded = await this.uploadAll(step.files);
      if ('failed' in uploaded) {
        if (index === 0) return uploaded.failed;
        return { ...first!, undelivered: [...missing, ...step.files.map((file) => ({ name: file.fileName, reason: uploaded.failed.status === 'config' ? uploaded.failed.error : 'upload failed' }))] };
      }
      missing.push(...uploaded.undelivered);
      if (step.text === '' && uploaded.requests.length === 0) continue;
      const result = await this.send(answer, stepTarget, to, index === 0, step.text, uploaded.requests);
      if (index === 0) {
        if (result.status !== 'published') return result;
        first = result;
      } else if (result.status === 'blocked') {
        // The first message is out; MAX refused this one (a file's type, its size): the curator is told.
        missing.push(...step.files.map((file) => ({ name: file.fileName, reason: `${result.error.method}: ${result.error.description}` })));
      } else if (result.status !== 'published') {
        return result;
      }
    }
    if (first === undefined) return { status: 'blocked', error: { network: 'max', method: 'POST /messages', code: 0, description: 'nothing to send: the answer has no text and no file MAX takes' } };
    return missing.length === 0 ? first : { ...first, undelivered: missing };
  }

  /**
   * Each file through POST /uploads (the library) and its upload host (our guarded
   * transport: the library's own upload goes around it and names the file by a random
   * UUID). A file the host refuses comes back as undelivered; a failure a retry may cure
   * stops the answer before anything is sent, so a later try starts over.
   */
  private async uploadAll(files: readonly OutgoingFile[]): Promise<{ requests: AttachmentRequest[]; undelivered: UndeliveredAttachment[] } | { failed: PublishResult }> {
    const requests: AttachmentRequest[] = [];
    const undelivered: UndeliveredAttachment[] = [];
    for (const file of files) {
      try {
        const request = await this.upload(file);
        if ('reason' in request) undelivered.push({ name: file.fileName, reason: request.reason });
        else requests.push(request);
      } catch (error) {
        if (!(error instanceof GaveUp)) throw error;
        if (error.decision.kind === 'permanent') undelivered.push({ name: file.fileName, reason: `upload: ${error.error.message}` });
        else return { failed: publishFailure(error) };
      }
    }
    return { requests, undelivered };
  }

  private async upload(file: OutgoingFile): Promise<AttachmentRequest | { reason: string }> {
    const type = file.kind === 'photo' ? 'image' : file.kind === 'video' ? 'video' : 'file';
    const endpoint = uploadEndpointSchema.safeParse(await this.options.client.call('POST /uploads', (api) => api.raw.uploads.getUploadUrl({ type })));
    if (!endpoint.success) throw new GaveUp(new TransportError('max', 'POST /uploads', 'malformed-body', describeIssues(endpoint.error)), PERMANENT, 0);
    const answer = await this.options.client.upload(endpoint.data.url, file);
    if (type === 'image') {
      // "Use this object to create attachment": the host's JSON is the image's payload.
      const photos = uploadedImageSchema.safeParse(answer);
      return photos.success ? { type, payload: photos.data } : { reason: `image upload: ${describeIssues(photos.error)}` };
    }
    // A video's token comes with its upload URL (its host answers <retval>1</retval>); a file's in the host's JSON.
    const token = uploadedTokenSchema.safeParse(answer).data?.token ?? endpoint.data.token ?? undefined;
    return token === undefined ? { reason: `${type} upload: no token in the answer` } : { type, payload: { token } };
  }

  /**
   * MAX has no idempotency key, so the attempt is recorded right before the send (inside
   * the rate limiter's slot). If an earlier attempt exists without a result, the chat (or
   * the post's comments) is read back for the bot's message with the same text before
   * sending again; a message to a user by id has no chat to read back, so an interrupted
   * one is handed to a person as uncertain.
   */
  private async send(answer: AnswerRef, target: string, to: Destination, first: boolean, text: string, attachments: readonly AttachmentRequest[]): Promise<PublishResult> {
    const post = (hooks: CallHooks): Promise<string> => this.post(to, first, text, attachments, hooks);
    const look = to.kind === 'user' || text === '' ? null : (since: Date) => this.findPosted(to, text, since);
    const recorder = attemptRecorder(this.options.attempts, () => ({ answerId: answer.answerId, network: 'max', target, startedAt: this.now() }));
    try {
      return await this.posted(answer, target, await post(recorder));
    } catch (error) {
      if (error instanceof EarlierAttempt) return this.afterEarlier(answer, target, error.attempt, look, post);
      return this.postFailed(answer, target, error, recorder.begun(), look !== null);
    }
  }

  /** One send; the new message's `mid`. A 200 without one is a broken answer (it may have gone out). */
  private async post(to: Destination, first: boolean, text: string, attachments: readonly AttachmentRequest[], hooks: CallHooks): Promise<string> {
    const { client } = this.options;
    const link = first && to.kind !== 'user' && to.replyTo !== undefined ? { link: { type: 'reply' as const, mid: to.replyTo } } : {};
    const method = to.kind === 'comments' ? 'POST /messages/{messageId}/comments' : 'POST /messages';
    const sent = await client.call(method, async (api: Api) => {
      if (to.kind === 'comments') return api.raw.comments.send({ messageId: to.postId, text, ...link });
      // raw.post rather than messages.send: the latter retries attachment.not.ready by
      // itself with real sleeps, outside our decisions, throttle and attempt record.
      return api.raw.post('messages', {
        query: to.kind === 'user' ? { user_id: to.userId } : { chat_id: to.chatId },
        // The library types attachments as those its own upload helpers build; ours carry the host's payload as MAX documents it.
        body: { ...(text === '' ? {} : { text }), ...(attachments.length === 0 ? {} : { attachments: attachments as unknown as LibraryAttachments }), ...link },
      });
    }, decideSend, hooks);
    const parsed = sentSchema.safeParse(sent);
    if (!parsed.success) throw new GaveUp(new TransportError('max', method, 'malformed-body', `answer: ${describeIssues(parsed.error)}`), PERMANENT, 0);
    return parsed.data.message.body.mid;
  }

  private async posted(answer: AnswerRef, target: string, externalId: string): Promise<PublishResult> {
    // If recording fails the attempt stays open, and the next try reads back.
    await this.options.attempts.complete(answer.answerId, target, externalId);
    return { status: 'published', externalId, recovered: false };
  }

  private async postFailed(answer: AnswerRef, target: string, error: unknown, begun: PublishAttempt | undefined, canLook: boolean): Promise<PublishResult> {
    if (error instanceof GaveUp && begun !== undefined && mayHaveArrived(error.error)) {
      // It may have gone out: the attempt stays, and the next try reads the chat back first.
      return canLook ? { status: 'retryable', error: error.message } : { status: 'uncertain', startedAt: begun.startedAt };
    }
    // MAX answered with an error: nothing was sent, a later attempt may send.
    if (error instanceof GaveUp && begun !== undefined) await this.options.attempts.abandon(answer.answerId, target);
    return publishFailure(error);
  }

  /** An earlier attempt exists: its result, or the message found in the chat since, or one more send. */
  private async afterEarlier(answer: AnswerRef, target: string, earlier: PublishAttempt, look: ((since: Date) => Promise<string | null>) | null, post: (hooks: CallHooks) => Promise<string>): Promise<PublishResult> {
    if (earlier.externalId !== undefined) return { status: 'published', externalId: earlier.externalId, recovered: true };
    if (look === null) return { status: 'uncertain', startedAt: earlier.startedAt };
    let found: string | null;
    try {
      found = await look(earlier.startedAt);
    } catch (error) {
      return lookBackFailure(error);
    }
    if (found !== null) {
      await this.options.attempts.complete(answer.answerId, target, found);
      return { status: 'published', externalId: found, recovered: true };
    }
    // Nothing went out: the attempt on record stands for this send too.
    try {
      return await this.posted(answer, target, await post({}));
    } catch (error) {
      return this.postFailed(answer, target, error, earlier, true);
    }
  }

  /** The bot's message with this text in the chat (or under the post) since the attempt began. */
  private async findPosted(to: Exclude<Destination, { kind: 'user' }>, text: string, since: Date): Promise<string | null> {
    const { client } = this.options;
    const method = to.kind === 'comments' ? 'GET /messages/{messageId}/comments' : 'GET /messages';
    const raw = await client.call(method, (api: Api) => (to.kind === 'comments'
      ? api.getComments(to.postId, { count: LOOK_BACK_COUNT })
      : api.getMessages(to.chatId, { count: LOOK_BACK_COUNT })));
    const list = lookBackSchema.safeParse(raw);
    if (!list.success) throw new TransportError('max', method, 'malformed-body', describeIssues(list.error));
    // A minute of slack for a clock that differs from MAX's.
    const fromMs = since.getTime() - 60_000;
    for (const item of list.data.messages) {
      const message = maxMessageSchema.safeParse(item);
      if (!message.success) continue;
      const { sender, body, timestamp } = message.data;
      // Ours: sent by a bot, or (a comment) on behalf of the channel.
      const ours = sender === null || sender === undefined || sender.is_bot;
      if (ours && (body.text ?? '') === text && timestamp >= fromMs) return body.mid;
    }
    return null;
  }

  /**
   * An incoming file, for staff: images, files and audio from MAX's file hosts only; a
   * video through GET /videos/{token}, whose links lead to the largest MP4 there is.
   */
  async fetchAttachment(attachment: MessageAttachment): Promise<DownloadedAttachment> {
    const { client } = this.options;
    const hosts = [...MAX_FILE_HOSTS, baseHost(client.baseUrl)];
    let url = attachment.url;
    if (attachment.type === 'video' && url.startsWith(MAX_VIDEO_PREFIX)) {
      const token = url.slice(MAX_VIDEO_PREFIX.length);
      // The library's getVideoInfo leaves `{video_token}` in its path; the raw call fills it.
      const details = videoDetailsSchema.safeParse(await client.call('GET /videos/{videoToken}', (api: Api) => api.raw.get('videos/{video_token}', { path: { video_token: token } } as never)));
      if (!details.success) throw new TransportError('max', 'GET /videos/{videoToken}', 'malformed-body', describeIssues(details.error));
      const urls = details.data.urls ?? {};
      const best = [urls.mp4_1080, urls.mp4_720, urls.mp4_480, urls.mp4_360, urls.mp4_240, urls.mp4_144].find((candidate) => typeof candidate === 'string' && candidate !== '');
      if (best === undefined || best === null) throw new AttachmentNotDownloadable(attachment, 'MAX gives no MP4 link for this video (yet)');
      url = best;
    }
    if (attachment.type === 'link' || attachment.type === 'other' || !onAllowedHost(url, hosts)) throw new AttachmentNotDownloadable(attachment, "not a file on MAX's file hosts");
    const fileName = fileNameOf(url, attachment.type);
    const { data, contentType } = await client.download(url, hosts);
    return { contentType: contentTypeOf(fileName, contentType), fileName, data };
  }
}

const uploadEndpointSchema = z.looseObject({ url: z.url(), token: z.string().min(1).nullable().optional() });
const uploadedImageSchema = z.looseObject({ photos: z.record(z.string(), z.looseObject({ token: z.string().min(1) })).refine((photos) => Object.keys(photos).length > 0, 'no image taken') });
const uploadedTokenSchema = z.looseObject({ token: z.string().min(1) });
const sentSchema = z.looseObject({ message: z.looseObject({ body: z.looseObject({ mid: z.string().min(1) }) }) });
const lookBackSchema = z.looseObject({ messages: z.array(z.unknown()) });
const videoUrl = z.string().nullable().optional();
const videoDetailsSchema = z.looseObject({
  token: z.string(),
  urls: z.looseObject({ mp4_1080: videoUrl, mp4_720: videoUrl, mp4_480: videoUrl, mp4_360: videoUrl, mp4_240: videoUrl, mp4_144: videoUrl }).nullable().optional(),
});

/** The messages of an answer: text parts, photos and videos with the first, documents one to a message. */
export function maxSteps(text: string, files: readonly OutgoingFile[]): MaxStep[] {
  const parts = splitText(text, MAX_TEXT_CHARS);
  const media = files.filter((file) => file.kind !== 'document');
  const documents = files.filter((file) => file.kind === 'document');
  const steps: MaxStep[] = parts.map((part, index) => ({ text: part, files: index === 0 ? media.slice(0, MEDIA_PER_MESSAGE) : [] }));
  for (let i = MEDIA_PER_MESSAGE; i < media.length; i += MEDIA_PER_MESSAGE) steps.push({ text: '', files: media.slice(i, i + MEDIA_PER_MESSAGE) });
  for (const document of documents) steps.push({ text: '', files: [document] });
  return steps;
}

/** The text in parts of at most `maxChars`, cut after a line break or a space where there is one. */
export function splitText(text: string, maxChars: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars);
    const cut = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
    const at = cut > maxChars / 2 ? cut + 1 : maxChars;
    parts.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  parts.push(rest);
  return parts;
}
