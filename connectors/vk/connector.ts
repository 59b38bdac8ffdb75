import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { MessageAttachment, MessageAuthor, NormalizedMessage } from '../types.js';
import type { AnswerRef, FetchBatch, NetworkConnector, PublishResult, RejectedPayload } from '../connector.js';
import { publishFailure } from '../connector.js';
import { checkNormalized, describeIssues } from '../normalized.js';
import { keywordMatcher, type KeywordMatcher } from '../keywords.js';
import { ApiError, PERMANENT, TransportError } from '../errors.js';
import { GaveUp } from '../retry.js';
import { AttachmentNotDownloadable, baseHost, contentTypeOf, fileNameOf, onAllowedHost, splitAttachments, withLinks, type AnswerAttachment, type AttachmentSource, type DownloadedAttachment, type OutgoingFile, type UndeliveredAttachment } from '../attachments.js';
import { CursorRefused, checkDateMs, checkSequence, notAfterNow } from '../cursor-guard.js';
import type { VkClient } from './client.js';
import {
  normalizeVkComment, normalizeVkMention, normalizeVkMessage,
  vkCommentSchema, vkGroupSchema, vkMessageSchema, vkPostSchema, vkUserSchema,
  type VkComment, type VkMessage, type VkPost,
} from './normalize.js';

/**
 * Bots Long Poll `ts` is the number of the group's last event: it rises by one per event.
 * One fetch returns at most the events since `ts`; a move of more than this many beyond
 * the events it carried is not a real stream.
 */
export const VK_MAX_TS_JUMP = 100_000;
const TS_LIMITS = { max: Number.MAX_SAFE_INTEGER, maxJump: VK_MAX_TS_JUMP };

export const vkCursorSchema = z.object({
  server: z.string().min(1),
  key: z.string().min(1),
  ts: z.string().regex(/^\d{1,16}$/).refine((ts) => Number.isSafeInteger(Number(ts)), 'ts beyond 2^53'),
  /** newsfeed.search: posts newer than this (unix seconds) are still to be read. */
  mentionsSinceSec: z.number().int().nonnegative(),
  mentionsCheckedAtSec: z.number().int().nonnegative(),
  /** The newest comment or message seen: where a backfill starts when Long Poll lost events. */
  lastEventSec: z.number().int().nonnegative().default(0),
});
export type VkCursor = z.infer<typeof vkCursorSchema>;

export interface VkConnectorOptions {
  readonly accountId: string;
  /** The community's id (positive). */
  readonly groupId: number;
  /** The community token: Long Poll, messages, comments. */
  readonly client: VkClient;
  /** A user or service token for newsfeed.search; without it mentions are not searched. */
  readonly searchClient?: VkClient;
  readonly keywords: readonly string[];
  readonly longPollWaitSec?: number;
  /** newsfeed.search costs a request per keyword, so it runs at most this often. */
  readonly mentionsIntervalSec?: number;
  readonly now?: () => Date;
}

/** Bots Long Poll events that carry nothing to handle; anything not listed and not handled is set aside. */
const IGNORED_EVENTS = new Set([
  'message_reply', 'message_edit', 'message_typing_state', 'message_read', 'message_allow', 'message_deny', 'message_event',
  'message_reaction_event', 'wall_post_new', 'wall_repost', 'wall_reply_edit', 'wall_reply_restore', 'wall_reply_delete',
  'group_join', 'group_leave', 'like_add', 'like_remove', 'photo_new', 'video_new', 'audio_new', 'user_block', 'user_unblock',
  'poll_vote_new', 'group_officers_edit', 'group_change_settings', 'group_change_photo',
]);

const longPollAnswerSchema = z.union([
  z.object({ ts: z.union([z.string(), z.number()]), updates: z.array(z.unknown()) }),
  z.object({ failed: z.number().int(), ts: z.union([z.string(), z.number()]).optional() }),
]);
const eventSchema = z.looseObject({ type: z.string(), object: z.unknown(), group_id: z.number().optional(), event_id: z.string().optional() });
const longPollServerSchema = z.object({ server: z.string().min(1), key: z.string().min(1), ts: z.union([z.string(), z.number()]) });
const newsfeedSchema = z.looseObject({
  items: z.array(z.unknown()),
  next_from: z.string().optional(),
  profiles: z.array(z.unknown()).optional(),
  groups: z.array(z.unknown()).optional(),
});

const BACKFILL_POSTS = 20;
const wallSchema = z.looseObject({ items: z.array(z.looseObject({ id: z.number().int(), comments: z.looseObject({ count: z.number() }).optional() })) });
const commentsSchema = z.looseObject({ items: z.array(z.unknown()) });
const conversationsSchema = z.looseObject({ items: z.array(z.looseObject({ last_message: z.unknown().optional() })) });

function threadItems(top: unknown): unknown[] {
  const thread = (top as { thread?: { items?: unknown } } | null)?.thread;
  return Array.isArray(thread?.items) ? thread.items : [];
}

function newestSec(previousSec: number, comments: readonly { comment: VkComment }[], messages: readonly { message: VkMessage }[]): number {
  return Math.max(previousSec, ...comments.map((c) => c.comment.date), ...messages.map((m) => m.message.date));
}

/** VK's random_id is a signed 32-bit integer; the same answer always yields the same one. */
export function vkRandomId(key: string): number {
  return createHash('sha256').update(key).digest().readInt32BE(0) & 0x7fffffff;
}

export class VkConnector implements NetworkConnector<VkCursor>, AttachmentSource {
  readonly network = 'vk' as const;
  readonly accountId: string;
  private readonly matcher: KeywordMatcher;
  private readonly now: () => Date;

  constructor(private readonly options: VkConnectorOptions) {
    this.accountId = options.accountId;
    this.matcher = keywordMatcher(options.keywords);
    this.now = options.now ?? (() => new Date());
  }

  parseCursor(stored: unknown): VkCursor | null {
    const parsed = vkCursorSchema.safeParse(stored);
    if (!parsed.success) return null;
    // A time saved from a forged date would hide everything dated before it.
    const nowMs = this.now().getTime();
    const { mentionsSinceSec, mentionsCheckedAtSec, lastEventSec } = parsed.data;
    return [mentionsSinceSec, mentionsCheckedAtSec, lastEventSec].every((sec) => checkDateMs(sec * 1000, nowMs).ok) ? parsed.data : null;
  }

  private get requests(): number {
    return this.options.client.requestCount + (this.options.searchClient?.requestCount ?? 0);
  }

  async fetchSince(cursor: VkCursor | null): Promise<FetchBatch<VkCursor>> {
    const before = this.requests;
    const nowSec = Math.floor(this.now().getTime() / 1000);
    if (cursor === null) {
      // First run: start from now; the history before the system existed is not ours to answer.
      const server = await this.longPollServer();
      return { messages: [], rejected: [], cursor: { ...server, mentionsSinceSec: nowSec, mentionsCheckedAtSec: 0, lastEventSec: nowSec }, requests: this.requests - before, more: true };
    }
    const answer = longPollAnswerSchema.safeParse(await this.options.client.longPollCheck(cursor.server, cursor.key, cursor.ts, this.options.longPollWaitSec ?? 25));
    if (!answer.success) throw new TransportError('vk', 'longpoll.a_check', 'malformed-body', describeIssues(answer.error));
    if ('failed' in answer.data) return this.recover(cursor, answer.data.failed, answer.data.ts, before);

    const rejected: RejectedPayload[] = [];
    const refused: CursorRefused[] = [];
    const comments: { comment: VkComment; raw: unknown }[] = [];
    const messages: { message: VkMessage; raw: unknown }[] = [];
    const dated = (date: number, raw: unknown): boolean => this.dateAccepted(date, raw, rejected, refused);
    for (const raw of answer.data.updates) {
      const event = eventSchema.safeParse(raw);
      if (!event.success) { rejected.push(this.reject(`event: ${describeIssues(event.error)}`, raw)); continue; }
      if (event.data.type === 'wall_reply_new') {
        const comment = vkCommentSchema.safeParse(event.data.object);
        if (!comment.success) rejected.push(this.reject(`wall_reply_new: ${describeIssues(comment.error)}`, raw));
        // The community's own answers come back as events too.
        else if (comment.data.from_id !== -this.options.groupId && dated(comment.data.date, raw)) comments.push({ comment: comment.data, raw });
      } else if (event.data.type === 'message_new') {
        const message = z.looseObject({ message: vkMessageSchema }).safeParse(event.data.object);
        if (!message.success) rejected.push(this.reject(`message_new: ${describeIssues(message.error)}`, raw));
        else if (message.data.message.out === 0 && dated(message.data.message.date, raw)) messages.push({ message: message.data.message, raw });
      } else if (!IGNORED_EVENTS.has(event.data.type)) {
        rejected.push(this.reject(`unknown event type ${event.data.type}`, raw));
      }
    }

    let mentions: { post: VkPost; raw: unknown; matched: string[] }[] = [];
    let mentionsSinceSec = cursor.mentionsSinceSec;
    let mentionsCheckedAtSec = cursor.mentionsCheckedAtSec;
    if (this.options.searchClient !== undefined && this.options.keywords.length > 0 && nowSec - cursor.mentionsCheckedAtSec >= (this.options.mentionsIntervalSec ?? 60)) {
      const found = await this.searchMentions(cursor.mentionsSinceSec, rejected, refused);
      mentions = found.mentions;
      mentionsSinceSec = found.newestSec === null ? cursor.mentionsSinceSec : Math.max(cursor.mentionsSinceSec, notAfterNow(found.newestSec + 1, nowSec));
      mentionsCheckedAtSec = nowSec;
    }

    const out = await this.normalizeAll(comments, messages, mentions, rejected);
    const lastEventSec = Math.max(cursor.lastEventSec, notAfterNow(newestSec(cursor.lastEventSec, comments, messages), nowSec));
    const ts = checkSequence(String(answer.data.ts), Number(cursor.ts), { ...TS_LIMITS, maxJump: answer.data.updates.length + VK_MAX_TS_JUMP });
    if (!ts.ok) {
      // The events are kept; the ts is not. VK itself names a fresh one (groups.getLongPollServer),
      // and the comments and conversations since the last event are read back, as after `failed: 3`.
      const refusal = new CursorRefused('vk', this.accountId, 'ts', ts.rule, Number(cursor.ts), answer.data.ts, ts.limit);
      const recovered = await this.recover({ ...cursor, mentionsSinceSec, mentionsCheckedAtSec, lastEventSec }, 3, undefined, before);
      return {
        ...recovered,
        messages: [...out, ...recovered.messages],
        rejected: [...rejected, this.reject(refusal.message, { ts: answer.data.ts, updates: answer.data.updates.length }), ...recovered.rejected],
        refused: [...refused, refusal, ...(recovered.refused ?? [])],
      };
    }
    return {
      messages: out,
      rejected,
      cursor: { ...cursor, ts: String(ts.value), mentionsSinceSec, mentionsCheckedAtSec, lastEventSec },
      requests: this.requests - before,
      more: answer.data.updates.length > 0,
      waited: (this.options.longPollWaitSec ?? 25) > 0,
      ...(refused.length === 0 ? {} : { refused }),
    };
  }

  /** A date of a comment, message or post that may move a time cursor; one far ahead is refused and set aside. */
  private dateAccepted(dateSec: number, raw: unknown, rejected: RejectedPayload[], refused: CursorRefused[]): boolean {
    const nowMs = this.now().getTime();
    const check = checkDateMs(dateSec * 1000, nowMs);
    if (check.ok) return true;
    const refusal = new CursorRefused('vk', this.accountId, 'date', check.rule, Math.floor(nowMs / 1000), dateSec, Math.floor(check.limit / 1000));
    refused.push(refusal);
    rejected.push(this.reject(refusal.message, raw));
    return false;
  }

  private async normalizeAll(
    comments: readonly { comment: VkComment; raw: unknown }[],
    messages: readonly { message: VkMessage; raw: unknown }[],
    mentions: readonly { post: VkPost; raw: unknown; matched: string[] }[],
    rejected: RejectedPayload[],
  ): Promise<NormalizedMessage[]> {
    const names = await this.names([...comments.map((c) => c.comment.from_id), ...messages.map((m) => m.message.from_id), ...mentions.map((m) => m.post.signer_id ?? m.post.from_id ?? m.post.owner_id)]);
    const out: NormalizedMessage[] = [];
    const keep = (candidate: NormalizedMessage, raw: unknown): void => {
      const checked = checkNormalized(candidate);
      if (checked.ok) out.push(checked.message);
      else rejected.push(this.reject(`normalized: ${checked.reason}`, raw));
    };
    for (const { comment, raw } of comments) keep(normalizeVkComment(comment, names, this.matcher.match(comment.text), raw), raw);
    for (const { message, raw } of messages) keep(normalizeVkMessage(message, names, this.matcher.match(message.text), raw), raw);
    for (const { post, raw, matched } of mentions) keep(normalizeVkMention(post, names, matched, raw), raw);
    return out;
  }

  /**
   * Long Poll `failed`: 2 the key expired (new key, same ts); 1 the history was lost (new
   * ts given) and 3 the key and ts were lost. After 1 and 3 the events in between are gone,
   * so the latest posts' comments and the unanswered conversations are read back since the
   * last event seen; the unique index drops what was already stored.
   */
  private async recover(cursor: VkCursor, failed: number, ts: string | number | undefined, before: number): Promise<FetchBatch<VkCursor>> {
    if (failed === 2) {
      const server = await this.longPollServer();
      return { messages: [], rejected: [], cursor: { ...cursor, server: server.server, key: server.key }, requests: this.requests - before, more: true };
    }
    // The new ts of `failed: 1` must still be ahead of ours; otherwise VK names a fresh one.
    const given = failed === 1 && ts !== undefined ? checkSequence(String(ts), Number(cursor.ts), TS_LIMITS) : null;
    const next = given?.ok === true ? { ...cursor, ts: String(given.value) } : { ...cursor, ...(await this.longPollServer()) };
    const rejected: RejectedPayload[] = [];
    const refused: CursorRefused[] = [];
    const found = await this.backfill(cursor.lastEventSec, rejected, refused);
    const messages = await this.normalizeAll(found.comments, found.messages, [], rejected);
    const lastEventSec = Math.max(cursor.lastEventSec, notAfterNow(newestSec(cursor.lastEventSec, found.comments, found.messages), Math.floor(this.now().getTime() / 1000)));
    return { messages, rejected, cursor: { ...next, lastEventSec }, requests: this.requests - before, more: true, ...(refused.length === 0 ? {} : { refused }) };
  }

  private async backfill(sinceSec: number, rejected: RejectedPayload[], refused: CursorRefused[]): Promise<{ comments: { comment: VkComment; raw: unknown }[]; messages: { message: VkMessage; raw: unknown }[] }> {
    const { client, groupId } = this.options;
    // A minute of overlap: events of the last second seen may not all have been read.
    const fromSec = Math.max(0, sinceSec - 60);
    const comments: { comment: VkComment; raw: unknown }[] = [];
    const messages: { message: VkMessage; raw: unknown }[] = [];
    const wall = wallSchema.safeParse(await client.call('wall.get', { domain: `club${groupId}`, count: BACKFILL_POSTS }));
    if (!wall.success) throw new TransportError('vk', 'wall.get', 'malformed-body', describeIssues(wall.error));
    for (const post of wall.data.items) {
      if ((post.comments?.count ?? 0) === 0) continue;
      const answer = commentsSchema.safeParse(await client.call('wall.getComments', { owner_id: -groupId, post_id: post.id, count: 100, sort: 'desc', thread_items_count: 10 }));
      if (!answer.success) throw new TransportError('vk', 'wall.getComments', 'malformed-body', describeIssues(answer.error));
      for (const item of answer.data.items.flatMap((top) => [top, ...(threadItems(top))])) {
        // getComments leaves out the post's coordinates the Long Poll event carries.
        const raw = { owner_id: -groupId, post_id: post.id, ...(item as object) };
        const comment = vkCommentSchema.safeParse(raw);
        if (!comment.success) { rejected.push(this.reject(`wall.getComments: ${describeIssues(comment.error)}`, raw)); continue; }
        if (comment.data.date >= fromSec && comment.data.from_id !== -groupId && this.dateAccepted(comment.data.date, raw, rejected, refused)) comments.push({ comment: comment.data, raw });
      }
    }
    const conversations = conversationsSchema.safeParse(await client.call('messages.getConversations', { filter: 'unanswered', count: 200, group_id: groupId }));
    if (!conversations.success) throw new TransportError('vk', 'messages.getConversations', 'malformed-body', describeIssues(conversations.error));
    for (const item of conversations.data.items) {
      // Only the last message of each unanswered conversation is on offer here.
      const message = vkMessageSchema.safeParse(item.last_message);
      if (!message.success) { rejected.push(this.reject(`messages.getConversations: ${describeIssues(message.error)}`, item)); continue; }
      if (message.data.date >= fromSec && message.data.out === 0 && this.dateAccepted(message.data.date, item.last_message, rejected, refused)) messages.push({ message: message.data, raw: item.last_message });
    }
    rejected.push(this.reject(`long poll events lost; read back ${comments.length} comments of the latest ${BACKFILL_POSTS} posts and ${messages.length} last messages of unanswered conversations since ${new Date(fromSec * 1000).toISOString()}`, { sinceSec }));
    return { comments, messages };
  }

  private async longPollServer(): Promise<{ server: string; key: string; ts: string }> {
    const raw = await this.options.client.call('groups.getLongPollServer', { group_id: this.options.groupId });
    const parsed = longPollServerSchema.safeParse(raw);
    if (!parsed.success) throw new TransportError('vk', 'groups.getLongPollServer', 'malformed-body', describeIssues(parsed.error));
    const ts = checkSequence(String(parsed.data.ts), null, TS_LIMITS);
    if (!ts.ok) throw new TransportError('vk', 'groups.getLongPollServer', 'malformed-body', `ts ${String(parsed.data.ts).slice(0, 40)} refused (${ts.rule})`);
    return { server: parsed.data.server, key: parsed.data.key, ts: String(ts.value) };
  }

  private async searchMentions(sinceSec: number, rejected: RejectedPayload[], refused: CursorRefused[]): Promise<{ mentions: { post: VkPost; raw: unknown; matched: string[] }[]; newestSec: number | null }> {
    const client = this.options.searchClient;
    const byId = new Map<string, { post: VkPost; raw: unknown; matched: string[] }>();
    let newestSec: number | null = null;
    for (const keyword of this.options.keywords) {
      const answer = newsfeedSchema.safeParse(await client?.call('newsfeed.search', { q: keyword, start_time: sinceSec, count: 200 }));
      if (!answer.success) throw new TransportError('vk', 'newsfeed.search', 'malformed-body', describeIssues(answer.error));
      for (const raw of answer.data.items) {
        const post = vkPostSchema.safeParse(raw);
        if (!post.success) { rejected.push(this.reject(`newsfeed.search item: ${describeIssues(post.error)}`, raw)); continue; }
        if (!this.dateAccepted(post.data.date, raw, rejected, refused)) continue;
        newestSec = Math.max(newestSec ?? 0, post.data.date);
        // The community's own posts are not mentions; VK's search is fuzzy, so keep only real matches.
        const matched = this.matcher.match(post.data.text);
        if (post.data.owner_id === -this.options.groupId || matched.length === 0) continue;
        byId.set(`${post.data.owner_id}_${post.data.id}`, { post: post.data, raw, matched });
      }
    }
    return { mentions: [...byId.values()], newestSec };
  }

  /** One users.get and at most one groups.getById per batch, whatever its size. */
  private async names(fromIds: readonly number[]): Promise<Map<number, string>> {
    const names = new Map<number, string>();
    const users = [...new Set(fromIds.filter((id) => id > 0))];
    const groups = [...new Set(fromIds.filter((id) => id < 0).map((id) => -id))];
    if (users.length > 0) {
      const raw = await this.options.client.call<unknown>('users.get', { user_ids: users.join(',') });
      for (const item of Array.isArray(raw) ? raw : []) {
        const user = vkUserSchema.safeParse(item);
        if (user.success) names.set(user.data.id, [user.data.first_name, user.data.last_name].filter(Boolean).join(' '));
      }
    }
    if (groups.length > 0) {
      const raw = await this.options.client.call<unknown>('groups.getById', { group_ids: groups.join(',') });
      const list = raw !== null && typeof raw === 'object' && 'groups' in raw ? (raw as { groups: unknown }).groups : raw;
      for (const item of Array.isArray(list) ? list : []) {
        const group = vkGroupSchema.safeParse(item);
        if (group.success && group.data.name !== undefined) names.set(-group.data.id, group.data.name);
      }
    }
    return names;
  }

  private reject(reason: string, raw: unknown): RejectedPayload {
    return { network: 'vk', accountId: this.accountId, reason, raw, receivedAt: this.now() };
  }

  async reply(answer: AnswerRef, message: NormalizedMessage, text: string, attachments: readonly AnswerAttachment[] = []): Promise<PublishResult> {
    const { files, links, undelivered } = splitAttachments(attachments, vkMaxBytes);
    const body = withLinks(text, links);
    try {
      if (message.kind === 'private') {
        const media = await this.uploadAll(files, { peerId: message.place.containerId });
        const id = await this.options.client.call<unknown>('messages.send', {
          peer_id: message.place.containerId, random_id: vkRandomId(answer.answerId), message: body, reply_to: message.place.itemId, attachment: media.attachment,
        });
        return withUndelivered(publishedId('messages.send', id), [...undelivered, ...media.undelivered]);
      }
      const media = await this.uploadAll(files, { wall: true });
      const created = await this.options.client.call<unknown>('wall.createComment', {
        owner_id: message.place.containerId,
        post_id: message.place.postId ?? message.place.itemId,
        from_group: this.options.groupId,
        message: body,
        // A comment is answered inside its thread; a mention (a post) gets a top-level comment.
        reply_to_comment: message.kind === 'comment' ? message.place.itemId : undefined,
        attachments: media.attachment,
        guid: answer.answerId,
      });
      return withUndelivered(publishedId('wall.createComment', created), [...undelivered, ...media.undelivered]);
    } catch (error) {
      return publishFailure(error);
    }
  }

  async sendPrivate(answer: AnswerRef, author: MessageAuthor, text: string, attachments: readonly AnswerAttachment[] = []): Promise<PublishResult> {
    const { files, links, undelivered } = splitAttachments(attachments, vkMaxBytes);
    try {
      const media = await this.uploadAll(files, { peerId: author.id });
      const id = await this.options.client.call<unknown>('messages.send', {
        user_id: author.id, random_id: vkRandomId(`${answer.answerId}:private`), message: withLinks(text, links), attachment: media.attachment,
      });
      return withUndelivered(publishedId('messages.send', id), [...undelivered, ...media.undelivered]);
    } catch (error) {
      return publishFailure(error);
    }
  }

  /**
   * Uploads the answer's files and names them as VK attachments (`photo-1_2,doc-1_3`).
   * Messages: photos through photos.getMessagesUploadServer / saveMessagesPhoto, other
   * files as documents (docs.getMessagesUploadServer / docs.save): the community token
   * may do both. Wall comments: photos.getWallUploadServer and saveWallPhoto take only a
   * user token, so photos go that way when the account has one (a community admin's, the
   * one that searches mentions), else as documents (VK shows an image document as a
   * picture). Videos go as documents everywhere: video.save takes only a user token, and
   * VK processes a video for minutes before it can be shown. A file VK refuses is
   * reported in `undelivered`; a retryable failure fails the whole answer before anything
   * is posted, and guid / random_id keep the retry single.
   */
  private async uploadAll(files: readonly OutgoingFile[], where: { peerId: string } | { wall: true }): Promise<{ attachment?: string; undelivered: UndeliveredAttachment[] }> {
    const names: string[] = [];
    const undelivered: UndeliveredAttachment[] = [];
    for (const file of files) {
      try {
        names.push(await this.uploadOne(file, where));
      } catch (error) {
        // VK refused this file, or answered what cannot be read: the answer goes without it.
        const refused = (error instanceof GaveUp && error.decision.kind === 'permanent') || error instanceof TransportError;
        if (!refused) throw error;
        undelivered.push({ name: file.fileName, reason: error.message });
      }
    }
    return { ...(names.length === 0 ? {} : { attachment: names.join(',') }), undelivered };
  }

  private async uploadOne(file: OutgoingFile, where: { peerId: string } | { wall: true }): Promise<string> {
    const { client, groupId } = this.options;
    const photoClient = 'wall' in where ? this.options.searchClient : client;
    if (file.kind === 'photo' && photoClient !== undefined) {
      const server = uploadServerSchema.safeParse('wall' in where
        ? await photoClient.call('photos.getWallUploadServer', { group_id: groupId })
        : await photoClient.call('photos.getMessagesUploadServer', { peer_id: where.peerId }));
      if (!server.success) throw new TransportError('vk', 'photos.getUploadServer', 'malformed-body', describeIssues(server.error));
      const uploaded = photoUploadSchema.safeParse(await photoClient.upload(server.data.upload_url, 'photo', file));
      if (!uploaded.success) throw new GaveUp(new ApiError('vk', 'upload', 0, `photo upload: ${describeIssues(uploaded.error)}`), PERMANENT, 0);
      const saved = savedPhotosSchema.safeParse('wall' in where
        ? await photoClient.call('photos.saveWallPhoto', { group_id: groupId, photo: uploaded.data.photo, server: uploaded.data.server, hash: uploaded.data.hash })
        : await photoClient.call('photos.saveMessagesPhoto', { photo: uploaded.data.photo, server: uploaded.data.server, hash: uploaded.data.hash }));
      if (!saved.success || saved.data[0] === undefined) throw new TransportError('vk', 'photos.save', 'malformed-body', saved.success ? 'no photo saved' : describeIssues(saved.error));
      const photo = saved.data[0];
      return `photo${photo.owner_id}_${photo.id}${photo.access_key === undefined || 'wall' in where ? '' : `_${photo.access_key}`}`;
    }
    const server = uploadServerSchema.safeParse('wall' in where
      ? await client.call('docs.getWallUploadServer', { group_id: groupId })
      : await client.call('docs.getMessagesUploadServer', { type: 'doc', peer_id: where.peerId }));
    if (!server.success) throw new TransportError('vk', 'docs.getUploadServer', 'malformed-body', describeIssues(server.error));
    const uploaded = docUploadSchema.safeParse(await client.upload(server.data.upload_url, 'file', file));
    if (!uploaded.success) throw new GaveUp(new ApiError('vk', 'upload', 0, `document upload: ${describeIssues(uploaded.error)}`), PERMANENT, 0);
    const saved = savedDocSchema.safeParse(await client.call('docs.save', { file: uploaded.data.file, title: file.fileName }));
    if (!saved.success) throw new TransportError('vk', 'docs.save', 'malformed-body', describeIssues(saved.error));
    const { doc } = saved.data;
    return `doc${doc.owner_id}_${doc.id}${doc.access_key === undefined || 'wall' in where ? '' : `_${doc.access_key}`}`;
  }

  /**
   * A photo's or document's file, for staff: from VK's file hosts only (the URL comes from
   * the payload). A video is a page on vk.com, not a file: the curator opens its link.
   */
  async fetchAttachment(attachment: MessageAttachment): Promise<DownloadedAttachment> {
    if (attachment.type !== 'photo' && attachment.type !== 'document') throw new AttachmentNotDownloadable(attachment, 'not a file VK serves (open the link)');
    const hosts = [...VK_FILE_HOSTS, ...(this.options.client.baseUrl === undefined ? [] : [baseHost(this.options.client.baseUrl)])];
    if (!onAllowedHost(attachment.url, hosts)) throw new AttachmentNotDownloadable(attachment, "not on VK's file hosts");
    const fileName = fileNameOf(attachment.url, attachment.type);
    const { data, contentType } = await this.options.client.download(attachment.url, hosts);
    return { contentType: contentTypeOf(fileName, contentType), fileName, data };
  }
}

/** Where VK serves photos and documents. */
const VK_FILE_HOSTS = ['userapi.com', 'vk.com', 'vk.me', 'vkuser.net', 'vk-cdn.net', 'vkuserphoto.ru', 'vk.ru'];

/** VK's upload limits: 50 MB for a photo, 200 MB for a document. */
function vkMaxBytes(file: OutgoingFile): number {
  return file.kind === 'photo' ? 50 * 1024 * 1024 : 200 * 1024 * 1024;
}

const uploadServerSchema = z.looseObject({ upload_url: z.string().url() });
/** The upload server's answer for a photo; "[]" means it took no photo. */
const photoUploadSchema = z.looseObject({ server: z.number().int(), photo: z.string().min(1).refine((photo) => photo !== '[]', 'no photo taken'), hash: z.string().min(1) });
const docUploadSchema = z.looseObject({ file: z.string().min(1) });
const savedPhotosSchema = z.array(z.looseObject({ id: z.number().int(), owner_id: z.number().int(), access_key: z.string().optional() }));
const savedDocSchema = z.looseObject({ type: z.string(), doc: z.looseObject({ id: z.number().int(), owner_id: z.number().int(), access_key: z.string().optional() }) });

function withUndelivered(result: PublishResult, undelivered: readonly UndeliveredAttachment[]): PublishResult {
  return result.status === 'published' && undelivered.length > 0 ? { ...result, undelivered } : result;
}

function publishedId(method: string, response: unknown): PublishResult {
  const id = typeof response === 'number' ? response
    : response !== null && typeof response === 'object' && 'comment_id' in response && typeof response.comment_id === 'number' ? response.comment_id
      : undefined;
  if (id === undefined) return { status: 'retryable', error: `vk ${method}: answer without an id` };
  return { status: 'published', externalId: String(id), recovered: false };
}
