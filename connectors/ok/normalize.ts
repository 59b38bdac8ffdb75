import { z } from 'zod';
import type { MessageAttachment, NormalizedMessage } from '../types.js';
import { compact } from '../normalized.js';

/** discussions.getList item: a topic (or photo, video) with its discussion's activity. */
export const okDiscussionSchema = z.looseObject({
  object_type: z.string().min(1),
  object_id: z.string().min(1),
  title: z.string().optional(),
  last_activity_date: z.string().optional(),
  new_comments_count: z.number().optional(),
});
export type OkDiscussion = z.infer<typeof okDiscussionSchema>;

/** discussions.getComments item. */
export const okCommentSchema = z.looseObject({
  id: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
  author_id: z.string().min(1),
  author_name: z.string().optional(),
  text: z.string(),
  reply_to_comment_id: z.string().optional(),
});
export type OkComment = z.infer<typeof okCommentSchema>;

/** A Bot API message (graph.user.messages), as documented in apiok-documentation. */
export const okChatMessageSchema = z.looseObject({
  sender: z.looseObject({ user_id: z.string().min(1), name: z.string().optional() }),
  recipient: z.looseObject({ chat_id: z.string().min(1) }),
  message: z.looseObject({
    text: z.string().optional(),
    seq: z.number(),
    mid: z.string().min(1),
    attachments: z.array(z.looseObject({ type: z.string(), payload: z.looseObject({ url: z.string().optional() }).optional() })).optional(),
  }),
  timestamp: z.number().int(),
});
export type OkChatMessage = z.infer<typeof okChatMessageSchema>;

/**
 * OK writes dates as "yyyy-MM-dd HH:mm:ss" without a zone; they are Moscow time, the
 * zone of OK's servers and of its web interface.
 */
export function okDate(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}+03:00`);
}

const stripPrefix = (id: string): string => id.replace(/^(user|group):/, '');

export function normalizeOkComment(groupId: string, discussion: OkDiscussion, comment: OkComment, matched: readonly string[], raw: unknown): NormalizedMessage {
  return {
    network: 'ok',
    externalId: `comment:${comment.id}`,
    kind: 'comment',
    place: compact({
      containerId: groupId,
      postId: discussion.object_id,
      itemId: comment.id,
      threadId: comment.reply_to_comment_id,
      replyToId: comment.reply_to_comment_id,
      discussionType: discussion.object_type,
      url: discussion.object_type === 'GROUP_TOPIC' ? `https://ok.ru/group/${groupId}/topic/${discussion.object_id}` : undefined,
    }),
    author: { id: comment.author_id, name: comment.author_name ?? `Пользователь ${comment.author_id}`, profileUrl: `https://ok.ru/profile/${comment.author_id}`, anonymous: false },
    text: comment.text,
    attachments: [],
    createdAt: okDate(comment.date),
    matchedKeywords: [...matched],
    raw,
  };
}

const attachmentType: Record<string, MessageAttachment['type']> = { IMAGE: 'photo', VIDEO: 'video', AUDIO: 'audio', SHARE: 'link' };

export function normalizeOkChatMessage(message: OkChatMessage, matched: readonly string[], raw: unknown): NormalizedMessage {
  const userId = stripPrefix(message.sender.user_id);
  return {
    network: 'ok',
    externalId: `message:${message.message.mid}`,
    kind: 'private',
    place: { containerId: message.recipient.chat_id, itemId: message.message.mid },
    author: { id: userId, name: message.sender.name ?? `Пользователь ${userId}`, profileUrl: `https://ok.ru/profile/${userId}`, anonymous: false },
    text: message.message.text ?? '',
    attachments: (message.message.attachments ?? []).flatMap((item) => item.payload?.url === undefined ? [] : [{ type: attachmentType[item.type] ?? 'other', url: item.payload.url }]),
    createdAt: new Date(message.timestamp),
    matchedKeywords: [...matched],
    raw,
  };
}
