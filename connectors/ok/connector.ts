import { z } from 'zod';
import type { MessageAttachment, MessageAuthor, NormalizedMessage } from '../types.js';
import type { AnswerRef, FetchBatch, NetworkConnector, PublishAttempt, PublishAttemptLog, PublishResult, RejectedPayload } from '../connector.js';
import { EarlierAttempt, attemptRecorder, lookBackFailure, publishFailure } from '../connector.js';
import { checkNormalized, describeIssues } from '../normalized.js';
import { keywordMatcher, type KeywordMatcher } from '../keywords.js';
import { PERMANENT, TransportError, type ConnectorError, type Decision } from '../errors.js';
import { GaveUp, type CallHooks } from '../retry.js';
import { CursorRefused, checkDateMs, notAfterNow } from '../cursor-guard.js';
import { mayHaveArrived } from '../http.js';
import type { OkClient } from './client.js';
import { AttachmentNotDownloadable, baseHost, contentTypeOf, fileNameOf, onAllowedHost, splitAttachments, withLinks, type AnswerAttachment, type AttachmentSource, type DownloadedAttachment, type OutgoingFile, type UndeliveredAttachment } from '../attachments.js';
import { decideOk } from './errors.js';
import { normalizeOkChatMessage, normalizeOkComment, okChatMessageSchema, okCommentSchema, okDate, okDiscussionSchema, type OkDiscussion } from './normalize.js';

export const okCursorSchema = z.object({
  /** Activity before this instant was there before the system; it is not read. */
  sinceMs: z.number().int().nonnegative(),
  /** Per discussion ("GROUP_TOPIC:123"): the getComments anchor after the last comment read. */
  topics: z.record(z.string(), z.object({
    anchor: z.string(),
    activityMs: z.number(),
    /** A far-future activity date OK kept giving for this topic: refused once, not on every poll. */
    refusedActivityMs: z.number().optional(),
  })),
  /** Bot API chats: messages newer than this (ms) are still to be read. */
  messagesSinceMs: z.number().int().nonnegative(),
});
export type OkCursor = z.infer<typeof okCursorSchema>;

export interface OkConnectorOptions {
  readonly accountId: string;
  readonly groupId: string;
  readonly client: OkClient;
  readonly keywords: readonly string[];
  readonly attempts: PublishAttemptLog;
  /** How many discussions the cursor remembers; the least recently active are forgotten. */
  readonly maxTopics?: number;
  readonly now?: () => Date;
}

const listSchema = z.looseObject({ discussions: z.array(z.unknown()).optional(), anchor: z.string().optional(), has_more: z.boolean().optional() });
const commentsSchema = z.looseObject({ comments: z.array(z.unknown()).optional(), anchor: z.string().optional(), has_more: z.boolean().optional() });
const chatsSchema = z.looseObject({ chats: z.array(z.looseObject({ chat_id: z.string(), type: z.string().optional(), lastEventTime: z.number().optional(), participants: z.record(z.string(), z.number()).optional() })).optional(), marker: z.string().optional() });
const messagesSchema = z.looseObject({ messages: z.array(z.unknown()).optional() });
const COMMENTS_PAGE = 100;
/**
 * Pages of one topic read in one fetch. Bounded so that a fetch ends (and its cursor is
 * saved) within a few seconds at three calls a second, whatever the backlog.
 */
const COMMENT_PAGES_PER_FETCH = 5;
/** getComments anchors are short opaque tokens (base64 and the words FIRST, LAST). */
const MAX_ANCHOR_LENGTH = 512;
function okAnchor(anchor: string): boolean {
  return anchor.length > 0 && anchor.length <= MAX_ANCHOR_LENGTH && /^[\w+/=.:-]+$/.test(anchor);
}
const CHAT_PAGE = 50;
const DISCUSSIONS_PAGE = 50;

/** A send is not repeated after a broken socket: the next attempt first looks for it. */
function decideSend(error: ConnectorError): Decision {
  return mayHaveArrived(error) ? PERMANENT : decideOk(error);
}

export class OkConnector implements NetworkConnector<OkCursor>, AttachmentSource {
  readonly network = 'ok' as const;
  readonly accountId: string;
  private readonly matcher: KeywordMatcher;
  private readonly now: () => Date;

  constructor(private readonly options: OkConnectorOptions) {
    this.accountId = options.accountId;
    this.matcher = keywordMatcher(options.keywords);
    this.now = options.now ?? (() => new Date());
  }

  parseCursor(stored: unknown): OkCursor | null {
    const parsed = okCursorSchema.safeParse(stored);
    if (!parsed.success) return null;
    // A time saved from a forged date would hide everything dated before it.
    const nowMs = this.now().getTime();
    const times = [parsed.data.sinceMs, parsed.data.messagesSinceMs, ...Object.values(parsed.data.topics).map((topic) => topic.activityMs)];
    return times.every((ms) => checkDateMs(ms, nowMs).ok) ? parsed.data : null;
  }

  async fetchSince(stored: OkCursor | null): Promise<FetchBatch<OkCursor>> {
    const { client } = this.options;
    const before = client.requestCount;
    const nowMs = this.now().getTime();
    // Topic dates have whole seconds, so the starting instant is taken at a whole second too.
    const cursor: OkCursor = stored ?? { sinceMs: Math.floor(nowMs / 1000) * 1000, topics: {}, messagesSinceMs: nowMs };
    const messages: NormalizedMessage[] = [];
    const rejected: RejectedPayload[] = [];
    const refused: CursorRefused[] = [];
    const topics = { ...cursor.topics };
    let more = false;

    for (const rawDiscussion of await this.activeDiscussions(cursor.sinceMs)) {
      const discussion = okDiscussionSchema.safeParse(rawDiscussion);
      if (!discussion.success) { rejected.push(this.reject(`discussion: ${describeIssues(discussion.error)}`, rawDiscussion)); continue; }
      const key = `${discussion.data.object_type}:${discussion.data.object_id}`;
      const known = topics[key];
      const offeredMs = discussion.data.last_activity_date === undefined ? nowMs : okDate(discussion.data.last_activity_date).getTime();
      // A far-future activity date would keep the topic "read" until then: it counts as now,
      // so the topic is read on every fetch while OK gives that date, and is refused once.
      const dateCheck = checkDateMs(offeredMs, nowMs);
      if (!dateCheck.ok && known?.refusedActivityMs !== offeredMs) {
        const refusal = new CursorRefused('ok', this.accountId, 'last_activity_date', dateCheck.rule, known?.activityMs ?? null, discussion.data.last_activity_date, dateCheck.limit);
        refused.push(refusal);
        rejected.push(this.reject(refusal.message, rawDiscussion));
      }
      const activityMs = dateCheck.ok ? offeredMs : nowMs;
      if (activityMs < cursor.sinceMs || (known !== undefined && activityMs <= known.activityMs)) continue;
      const anchor = known?.anchor !== undefined && okAnchor(known.anchor) ? known.anchor : undefined;
      // A busy topic is read several pages on in the same fetch: each fetch also spends a
      // call on the topic list and one on the chats, which at three calls a second would
      // otherwise cap a topic at one page per round and let a lively thread fall behind.
      let page = await this.comments(discussion.data, anchor, cursor.sinceMs, messages, rejected, refused);
      for (let pages = 1; page.hasMore && page.anchor !== undefined && pages < COMMENT_PAGES_PER_FETCH; pages++) {
        const next = await this.comments(discussion.data, page.anchor, cursor.sinceMs, messages, rejected, refused);
        page = { ...next, anchor: next.anchor ?? page.anchor };
      }
      // OK dates have whole seconds: a comment later in the current second would carry the
      // same activity date, so a topic active this second is read again next time.
      const settledMs = activityMs >= nowMs - 1_000 ? activityMs - 1 : activityMs;
      topics[key] = {
        anchor: page.anchor ?? anchor ?? 'FIRST',
        activityMs: page.hasMore ? (known?.activityMs ?? 0) : settledMs,
        ...(dateCheck.ok ? {} : { refusedActivityMs: offeredMs }),
      };
      more ||= page.hasMore;
    }

    const messagesSinceMs = await this.chatMessages(cursor.messagesSinceMs, messages, rejected, refused);
    return {
      messages, rejected, cursor: { sinceMs: cursor.sinceMs, topics: this.prune(topics), messagesSinceMs }, requests: client.requestCount - before, more,
      ...(refused.length === 0 ? {} : { refused }),
    };
  }

  /** A date of a comment or chat message; one far ahead is refused and set aside. */
  private dateAccepted(field: string, offeredMs: number, offered: unknown, raw: unknown, rejected: RejectedPayload[], refused: CursorRefused[]): boolean {
    const nowMs = this.now().getTime();
    const check = checkDateMs(offeredMs, nowMs);
    if (check.ok) return true;
    const refusal = new CursorRefused('ok', this.accountId, field, check.rule, nowMs, offered, check.limit);
    refused.push(refusal);
    rejected.push(this.reject(refusal.message, raw));
    return false;
  }

  private async comments(discussion: OkDiscussion, anchor: string | undefined, sinceMs: number, out: NormalizedMessage[], rejected: RejectedPayload[], refused: CursorRefused[]): Promise<{ anchor?: string; hasMore: boolean }> {
    const answer = commentsSchema.safeParse(await this.options.client.call('discussions.getComments', {
      discussionId: discussion.object_id, discussionType: discussion.object_type, anchor: anchor ?? 'FIRST', direction: 'FORWARD', count: COMMENTS_PAGE,
    }));
    if (!answer.success) throw new TransportError('ok', 'discussions.getComments', 'malformed-body', describeIssues(answer.error));
    for (const raw of answer.data.comments ?? []) {
      const comment = okCommentSchema.safeParse(raw);
      if (!comment.success) { rejected.push(this.reject(`comment: ${describeIssues(comment.error)}`, raw)); continue; }
      // The group's own answers and the talk before the system started are not incoming messages.
      if (comment.data.author_id === this.options.groupId || okDate(comment.data.date).getTime() < sinceMs) continue;
      if (!this.dateAccepted('date', okDate(comment.data.date).getTime(), comment.data.date, raw, rejected, refused)) continue;
      this.keep(normalizeOkComment(this.options.groupId, discussion, comment.data, this.matcher.match(comment.data.text), raw), raw, out, rejected);
    }
    // An anchor OK would refuse on the next call would stop this topic for good: such a one is not kept.
    const next = answer.data.anchor;
    if (next !== undefined && !okAnchor(next)) {
      const refusal = new CursorRefused('ok', this.accountId, 'anchor', 'type', null, next, MAX_ANCHOR_LENGTH);
      refused.push(refusal);
      rejected.push(this.reject(refusal.message, { discussion: discussion.object_id, anchor: next.slice(0, 200) }));
      return { hasMore: false };
    }
    return { ...(next === undefined ? {} : { anchor: next }), hasMore: answer.data.has_more === true };
  }

  private async chatMessages(sinceMs: number, out: NormalizedMessage[], rejected: RejectedPayload[], refused: CursorRefused[]): Promise<number> {
    const { client } = this.options;
    let newestMs = sinceMs;
    for (const chat of await this.activeChats(sinceMs)) {
      if ((chat.lastEventTime ?? 0) <= sinceMs) continue;
      // Messages come newest first, a page at a time: walk back until the cursor's instant.
      let fromMs = chat.lastEventTime ?? this.now().getTime();
      for (;;) {
        const answer = messagesSchema.safeParse(await client.graphGet(`/graph/me/messages/${chat.chat_id}`, { count: CHAT_PAGE, from: fromMs, to: sinceMs + 1 }));
        if (!answer.success) throw new TransportError('ok', 'graph/me/messages', 'malformed-body', describeIssues(answer.error));
        const page = answer.data.messages ?? [];
        let oldestMs = fromMs;
        for (const raw of page) {
          const message = okChatMessageSchema.safeParse(raw);
          if (!message.success) { rejected.push(this.reject(`chat message: ${describeIssues(message.error)}`, raw)); continue; }
          if (!this.dateAccepted('timestamp', message.data.timestamp, message.data.timestamp, raw, rejected, refused)) continue;
          oldestMs = Math.min(oldestMs, message.data.timestamp);
          if (message.data.timestamp <= sinceMs) continue;
          newestMs = Math.max(newestMs, message.data.timestamp);
          if (message.data.sender.user_id.startsWith('group:')) continue;
          this.keep(normalizeOkChatMessage(message.data, this.matcher.match(message.data.message.text ?? ''), raw), raw, out, rejected);
        }
        if (page.length < CHAT_PAGE || oldestMs <= sinceMs + 1 || oldestMs >= fromMs) break;
        fromMs = oldestMs - 1;
      }
    }
    return Math.max(sinceMs, notAfterNow(newestMs, this.now().getTime()));
  }

  /**
   * discussions.getList pages, most recently active first, followed by `anchor` while a
   * page still ends in activity after `sinceMs`.
   */
  private async activeDiscussions(sinceMs: number): Promise<unknown[]> {
    const all: unknown[] = [];
    let anchor: string | undefined;
    for (;;) {
      const page = listSchema.safeParse(await this.options.client.call('discussions.getList', { types: 'GROUP_TOPIC', count: DISCUSSIONS_PAGE, anchor }));
      if (!page.success) throw new TransportError('ok', 'discussions.getList', 'malformed-body', describeIssues(page.error));
      const discussions = page.data.discussions ?? [];
      all.push(...discussions);
      const quietReached = discussions.some((item) => {
        const parsed = okDiscussionSchema.safeParse(item);
        return parsed.success && parsed.data.last_activity_date !== undefined && okDate(parsed.data.last_activity_date).getTime() < sinceMs;
      });
      if (page.data.has_more !== true || page.data.anchor === undefined || discussions.length === 0 || quietReached) return all;
      anchor = page.data.anchor;
    }
  }

  /** Chats with events after `sinceMs`, following `marker` while the pages still hold any. */
  private async activeChats(sinceMs: number): Promise<{ chat_id: string; lastEventTime?: number | undefined }[]> {
    const active: { chat_id: string; lastEventTime?: number | undefined }[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = chatsSchema.safeParse(await this.options.client.graphGet('/graph/me/chats', { count: 100, marker }));
      if (!page.success) throw new TransportError('ok', 'graph/me/chats', 'malformed-body', describeIssues(page.error));
      const chats = page.data.chats ?? [];
      active.push(...chats.filter((chat) => (chat.lastEventTime ?? 0) > sinceMs));
      // Chats come most recently active first: a page ending in quiet chats is the last one needed.
      const quietReached = chats.some((chat) => (chat.lastEventTime ?? 0) <= sinceMs);
      if (page.data.marker === undefined || chats.length === 0 || quietReached) return active;
      marker = page.data.marker;
    }
  }

  private keep(candidate: NormalizedMessage, raw: unknown, out: NormalizedMessage[], rejected: RejectedPayload[]): void {
    const checked = checkNormalized(candidate);
    if (checked.ok) out.push(checked.message);
    else rejected.push(this.reject(`normalized: ${checked.reason}`, raw));
  }

  private prune(topics: OkCursor['topics']): OkCursor['topics'] {
    const limit = this.options.maxTopics ?? 500;
    const entries = Object.entries(topics);
    if (entries.length <= limit) return topics;
    return Object.fromEntries(entries.sort(([, a], [, b]) => b.activityMs - a.activityMs).slice(0, limit));
  }

  private reject(reason: string, raw: unknown): RejectedPayload {
    return { network: 'ok', accountId: this.accountId, reason, raw, receivedAt: this.now() };
  }

  async reply(answer: AnswerRef, message: NormalizedMessage, text: string, attachments: readonly AnswerAttachment[] = []): Promise<PublishResult> {
    const { files, links, undelivered } = splitAttachments(attachments, () => OK_MAX_PHOTO_BYTES);
    const body = withLinks(text, links);
    const { place } = message;
    if (message.kind === 'private') {
      const result = await this.send(answer, `${place.containerId}:reply:${place.itemId}`,
        (since) => this.findInChat(place.containerId, body, since),
        (hooks) => this.options.client.graphPost(`/graph/me/messages/${place.containerId}`, { recipient: { chat_id: place.containerId }, message: { text: body } }, decideSend, hooks));
      return withUndelivered(result, [...undelivered, ...files.map(notInChats)]);
    }
    if (place.postId === undefined || place.discussionType === undefined) {
      return { status: 'blocked', error: { network: 'ok', method: 'discussions.addDiscussionComment', code: 0, description: 'the message has no discussion to comment in' } };
    }
    const { postId, discussionType } = place;
    let media: { attachments?: string; undelivered: UndeliveredAttachment[] };
    try {
      media = await this.uploadPhotos(files);
    } catch (error) {
      // OK refused the photos, or answered what cannot be read: the comment goes without them.
      if ((error instanceof GaveUp && error.decision.kind === 'permanent') || error instanceof TransportError) {
        media = { undelivered: files.map((file) => ({ name: file.fileName, reason: error.message })) };
      } else {
        return publishFailure(error);
      }
    }
    const result = await this.send(answer, `topic:${discussionType}:${postId}:reply:${place.itemId}`,
      (since) => this.findComment(postId, discussionType, place.itemId, body, since),
      (hooks) => this.options.client.call('discussions.addDiscussionComment', {
        entityId: postId, entityType: discussionType, comment: body, reply_to_comment_id: place.itemId, as_admin: true, attachments: media.attachments,
      }, decideSend, hooks));
    return withUndelivered(result, [...undelivered, ...media.undelivered]);
  }

  async sendPrivate(answer: AnswerRef, author: MessageAuthor, text: string, attachments: readonly AnswerAttachment[] = []): Promise<PublishResult> {
    const { files, links, undelivered } = splitAttachments(attachments, () => OK_MAX_PHOTO_BYTES);
    const body = withLinks(text, links);
    const userId = `user:${author.id}`;
    const result = await this.send(answer, userId,
      async (since) => {
        const chat = await this.dialogWith(userId);
        return chat === null ? null : this.findInChat(chat, body, since);
      },
      (hooks) => this.options.client.graphPost('/graph/me/messages', { recipient: { user_id: userId }, message: { text: body } }, decideSend, hooks));
    return withUndelivered(result, [...undelivered, ...files.map(notInChats)]);
  }

  /**
   * The answer's photos for a topic comment: photosV2.getUploadUrl for the group, one
   * multipart upload (pic1…picN), and the tokens it returns as the comment's `attachments`
   * in the media form of mediatopic.post (`{"media":[{"type":"photo","list":[{"id":…}]}]}`:
   * discussions.addDiscussionComment documents the parameter as "JSON", without a shape,
   * and photosV2 is not among the reference pages; both follow client code). Videos and
   * documents are not sent: OK takes a video only through its own video upload and
   * publishing, which a comment cannot carry; they come back in `undelivered`.
   */
  private async uploadPhotos(files: readonly OutgoingFile[]): Promise<{ attachments?: string; undelivered: UndeliveredAttachment[] }> {
    const photos = files.filter((file) => file.kind === 'photo');
    const undelivered: UndeliveredAttachment[] = files.filter((file) => file.kind !== 'photo')
      .map((file) => ({ name: file.fileName, reason: 'OK comments carry photos; a video or document is not uploaded there' }));
    if (photos.length === 0) return { undelivered };
    const server = uploadUrlSchema.safeParse(await this.options.client.call('photosV2.getUploadUrl', { gid: this.options.groupId, count: photos.length }));
    if (!server.success) throw new TransportError('ok', 'photosV2.getUploadUrl', 'malformed-body', describeIssues(server.error));
    const uploaded = uploadedPhotosSchema.safeParse(await this.options.client.upload(server.data.upload_url, photos.map((file, index) => ({ field: `pic${index + 1}`, file }))));
    if (!uploaded.success) {
      return { undelivered: [...undelivered, ...photos.map((file) => ({ name: file.fileName, reason: `photo upload: ${describeIssues(uploaded.error)}` }))] };
    }
    const tokens = Object.values(uploaded.data.photos).map((photo) => ({ id: photo.token }));
    return { attachments: JSON.stringify({ media: [{ type: 'photo', list: tokens }] }), undelivered };
  }

  /** An image or file of a chat message, for staff: from OK's file hosts only. */
  async fetchAttachment(attachment: MessageAttachment): Promise<DownloadedAttachment> {
    const hosts = [...OK_FILE_HOSTS, ...(this.options.client.baseUrl === undefined ? [] : [baseHost(this.options.client.baseUrl)])];
    if (attachment.type === 'link' || !onAllowedHost(attachment.url, hosts)) throw new AttachmentNotDownloadable(attachment, "not a file on OK's file hosts");
    const fileName = fileNameOf(attachment.url, attachment.type);
    const { data, contentType } = await this.options.client.download(attachment.url, hosts);
    return { contentType: contentTypeOf(fileName, contentType), fileName, data };
  }

  /**
   * OK has no idempotency key, so the attempt is recorded right before the post (inside
   * the rate limiter's slot); if an earlier attempt exists without a result, what the
   * group posted since is read back before posting again.
   */
  private async send(answer: AnswerRef, target: string, findPosted: (since: Date) => Promise<string | null>, post: (hooks: CallHooks) => Promise<unknown>): Promise<PublishResult> {
    const recorder = attemptRecorder(this.options.attempts, () => ({ answerId: answer.answerId, network: 'ok', target, startedAt: this.now() }));
    try {
      return await this.posted(answer, target, await post(recorder));
    } catch (error) {
      if (error instanceof EarlierAttempt) return this.afterEarlier(answer, target, error.attempt, findPosted, post);
      return this.postFailed(answer, target, error);
    }
  }

  /** An earlier attempt exists: its result, or what the group posted since, or one more post. */
  private async afterEarlier(answer: AnswerRef, target: string, earlier: PublishAttempt, findPosted: (since: Date) => Promise<string | null>, post: (hooks: CallHooks) => Promise<unknown>): Promise<PublishResult> {
    if (earlier.externalId !== undefined) return { status: 'published', externalId: earlier.externalId, recovered: true };
    let found: string | null;
    try {
      found = await findPosted(earlier.startedAt);
    } catch (error) {
      return lookBackFailure(error);
    }
    if (found !== null) {
      await this.options.attempts.complete(answer.answerId, target, found);
      return { status: 'published', externalId: found, recovered: true };
    }
    // Nothing was posted: the attempt on record stands for this post too.
    try {
      return await this.posted(answer, target, await post({}));
    } catch (error) {
      return this.postFailed(answer, target, error);
    }
  }

  private async posted(answer: AnswerRef, target: string, response: unknown): Promise<PublishResult> {
    const externalId = postedId(response);
    if (externalId === null) {
      await this.options.attempts.abandon(answer.answerId, target);
      return { status: 'blocked', error: { network: 'ok', method: target.startsWith('topic:') ? 'discussions.addDiscussionComment' : 'graph/me/messages', code: 0, description: `not sent: ${JSON.stringify(response)}` } };
    }
    // If recording fails the attempt stays open, and the next try reads back.
    await this.options.attempts.complete(answer.answerId, target, externalId);
    return { status: 'published', externalId, recovered: false };
  }

  private async postFailed(answer: AnswerRef, target: string, error: unknown): Promise<PublishResult> {
    // A broken socket may have delivered it: the attempt stays, and the next try reads back first.
    if (error instanceof GaveUp && mayHaveArrived(error.error)) return { status: 'retryable', error: error.message };
    // OK answered with an error: nothing was posted, so a later attempt may post.
    if (error instanceof GaveUp) await this.options.attempts.abandon(answer.answerId, target);
    return publishFailure(error);
  }

  private async findComment(topicId: string, topicType: string, replyTo: string, text: string, since: Date): Promise<string | null> {
    const answer = commentsSchema.safeParse(await this.options.client.call('discussions.getComments', { discussionId: topicId, discussionType: topicType, anchor: 'LAST', direction: 'BACKWARD', count: COMMENTS_PAGE }));
    if (!answer.success) throw new TransportError('ok', 'discussions.getComments', 'malformed-body', describeIssues(answer.error));
    for (const raw of answer.data.comments ?? []) {
      const comment = okCommentSchema.safeParse(raw);
      if (comment.success && comment.data.author_id === this.options.groupId && comment.data.text === text
        && comment.data.reply_to_comment_id === replyTo && okDate(comment.data.date).getTime() >= since.getTime() - 60_000) return comment.data.id;
    }
    return null;
  }

  private async findInChat(chatId: string, text: string, since: Date): Promise<string | null> {
    const answer = messagesSchema.safeParse(await this.options.client.graphGet(`/graph/me/messages/${chatId}`, { count: CHAT_PAGE }));
    if (!answer.success) throw new TransportError('ok', 'graph/me/messages', 'malformed-body', describeIssues(answer.error));
    for (const raw of answer.data.messages ?? []) {
      const message = okChatMessageSchema.safeParse(raw);
      if (message.success && message.data.sender.user_id.startsWith('group:') && message.data.message.text === text && message.data.timestamp >= since.getTime() - 60_000) return message.data.message.mid;
    }
    return null;
  }

  private async dialogWith(userId: string): Promise<string | null> {
    const chats = chatsSchema.safeParse(await this.options.client.graphGet('/graph/me/chats', { count: 100 }));
    if (!chats.success) throw new TransportError('ok', 'graph/me/chats', 'malformed-body', describeIssues(chats.error));
    return chats.data.chats?.find((chat) => chat.participants !== undefined && userId in chat.participants)?.chat_id ?? null;
  }
}

/**
 * addDiscussionComment answers with the new comment's id; the Bot API with
 * `message_id`, or for a message to a user with `success`/`chat_ids` lists.
 */
function postedId(response: unknown): string | null {
  if (typeof response === 'string' && response !== '') return response;
  if (response === null || typeof response !== 'object') return null;
  const record = response as { id?: unknown; comment_id?: unknown; message_id?: unknown; success?: unknown; chat_ids?: unknown };
  for (const value of [record.message_id, record.comment_id, record.id]) if (typeof value === 'string' && value !== '') return value;
  if (Array.isArray(record.success) && record.success[0] === true && Array.isArray(record.chat_ids) && typeof record.chat_ids[0] === 'string') return record.chat_ids[0];
  if (record.success === true && Array.isArray(record.chat_ids) && typeof record.chat_ids[0] === 'string') return record.chat_ids[0];
  return null;
}

/** Where OK serves images and files. */
const OK_FILE_HOSTS = ['mycdn.me', 'okcdn.ru', 'ok.ru', 'odnoklassniki.ru'];
/** OK accepts photos of up to this size. */
const OK_MAX_PHOTO_BYTES = 50 * 1024 * 1024;

const uploadUrlSchema = z.looseObject({ upload_url: z.url(), photo_ids: z.array(z.string()).optional() });
const uploadedPhotosSchema = z.looseObject({ photos: z.record(z.string(), z.looseObject({ token: z.string().min(1) })).refine((photos) => Object.keys(photos).length > 0, 'no photo taken') });

/** OK's Bot API takes an image only by a public URL (graph.user.messages), which an answer's bytes do not have. */
function notInChats(file: OutgoingFile): UndeliveredAttachment {
  return { name: file.fileName, reason: 'OK chats take an image only by its public URL; the file has none' };
}

function withUndelivered(result: PublishResult, undelivered: readonly UndeliveredAttachment[]): PublishResult {
  return result.status === 'published' && undelivered.length > 0 ? { ...result, undelivered } : result;
}
