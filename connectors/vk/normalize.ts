import { z } from 'zod';
import type { MessageAttachment, MessageAuthor, NormalizedMessage } from '../types.js';
import { compact } from '../normalized.js';

/**
 * Raw VK payloads as the API spells them (STYLE 11), only the fields the connector
 * reads; the rest passes through untouched into `raw`.
 */
const attachmentSchema = z.looseObject({
  type: z.string(),
  photo: z.looseObject({ id: z.number(), owner_id: z.number(), sizes: z.array(z.looseObject({ url: z.string().optional(), width: z.number().optional() })).optional() }).optional(),
  video: z.looseObject({ id: z.number().optional(), owner_id: z.number().optional() }).optional(),
  doc: z.looseObject({ url: z.string().optional() }).optional(),
  link: z.looseObject({ url: z.string() }).optional(),
});

export const vkCommentSchema = z.looseObject({
  id: z.number().int().positive(),
  from_id: z.number().int(),
  date: z.number().int().nonnegative(),
  text: z.string(),
  post_id: z.number().int(),
  owner_id: z.number().int(),
  parents_stack: z.array(z.number()).optional(),
  reply_to_comment: z.number().int().optional(),
  reply_to_user: z.number().int().optional(),
  attachments: z.array(attachmentSchema).optional(),
});
export type VkComment = z.infer<typeof vkCommentSchema>;

export const vkMessageSchema = z.looseObject({
  id: z.number().int().nonnegative(),
  date: z.number().int(),
  peer_id: z.number().int(),
  from_id: z.number().int(),
  text: z.string(),
  out: z.number().int(),
  conversation_message_id: z.number().int(),
  attachments: z.array(attachmentSchema).optional(),
  reply_message: z.looseObject({ id: z.number().int().optional(), from_id: z.number().int(), conversation_message_id: z.number().int() }).optional(),
});
export type VkMessage = z.infer<typeof vkMessageSchema>;

export const vkPostSchema = z.looseObject({
  id: z.number().int(),
  owner_id: z.number().int(),
  from_id: z.number().int().optional(),
  date: z.number().int(),
  text: z.string(),
  signer_id: z.number().optional(),
  attachments: z.array(attachmentSchema).optional(),
});
export type VkPost = z.infer<typeof vkPostSchema>;

export const vkUserSchema = z.looseObject({ id: z.number().int(), first_name: z.string().optional(), last_name: z.string().optional(), deactivated: z.string().optional() });
export const vkGroupSchema = z.looseObject({ id: z.number().int(), name: z.string().optional(), screen_name: z.string().optional() });

/** Display names of the authors a batch mentions: users by positive id, communities by negative. */
export type VkNames = ReadonlyMap<number, string>;

export function vkAuthor(fromId: number, names: VkNames): MessageAuthor {
  // A deleted account comes as id 0 or without a name: no one can be written to.
  if (fromId === 0) return { id: '0', name: 'Аноним', anonymous: true };
  const name = names.get(fromId) ?? (fromId > 0 ? `id${fromId}` : `club${-fromId}`);
  const profileUrl = fromId > 0 ? `https://vk.com/id${fromId}` : `https://vk.com/club${-fromId}`;
  return { id: String(fromId), name, profileUrl, anonymous: false };
}

export function vkAttachments(items: readonly z.infer<typeof attachmentSchema>[] | undefined): MessageAttachment[] {
  const out: MessageAttachment[] = [];
  for (const item of items ?? []) {
    if (item.type === 'photo' && item.photo !== undefined) {
      const sizes = [...(item.photo.sizes ?? [])].sort((a, b) => (b.width ?? 0) - (a.width ?? 0));
      out.push({ type: 'photo', url: sizes[0]?.url ?? `https://vk.com/photo${item.photo.owner_id}_${item.photo.id}` });
    } else if (item.type === 'video' && item.video?.id !== undefined && item.video.owner_id !== undefined) {
      out.push({ type: 'video', url: `https://vk.com/video${item.video.owner_id}_${item.video.id}` });
    } else if (item.type === 'doc' && item.doc?.url !== undefined) {
      out.push({ type: 'document', url: item.doc.url });
    } else if (item.type === 'link' && item.link !== undefined) {
      out.push({ type: 'link', url: item.link.url });
    }
  }
  return out;
}

export function normalizeVkComment(comment: VkComment, names: VkNames, matched: readonly string[], raw: unknown): NormalizedMessage {
  const root = comment.parents_stack?.[0];
  return {
    network: 'vk',
    externalId: `comment:${comment.owner_id}_${comment.id}`,
    kind: 'comment',
    place: compact({
      containerId: String(comment.owner_id),
      postId: String(comment.post_id),
      itemId: String(comment.id),
      threadId: root === undefined ? undefined : String(root),
      replyToId: comment.reply_to_comment === undefined ? undefined : String(comment.reply_to_comment),
      replyToAuthorId: comment.reply_to_user === undefined ? undefined : String(comment.reply_to_user),
      url: `https://vk.com/wall${comment.owner_id}_${comment.post_id}?reply=${comment.id}${root === undefined ? '' : `&thread=${root}`}`,
    }),
    author: vkAuthor(comment.from_id, names),
    text: comment.text,
    attachments: vkAttachments(comment.attachments),
    createdAt: new Date(comment.date * 1000),
    matchedKeywords: [...matched],
    raw,
  };
}

export function normalizeVkMessage(message: VkMessage, names: VkNames, matched: readonly string[], raw: unknown): NormalizedMessage {
  return {
    network: 'vk',
    externalId: `message:${message.peer_id}_${message.conversation_message_id}`,
    kind: 'private',
    place: compact({
      containerId: String(message.peer_id),
      itemId: String(message.id),
      // The id is absent (or 0) in some conversations; then only the dialog and the author tell.
      replyToId: message.reply_message?.id === undefined || message.reply_message.id === 0 ? undefined : String(message.reply_message.id),
      replyToAuthorId: message.reply_message === undefined ? undefined : String(message.reply_message.from_id),
    }),
    author: vkAuthor(message.from_id, names),
    text: message.text,
    attachments: vkAttachments(message.attachments),
    createdAt: new Date(message.date * 1000),
    matchedKeywords: [...matched],
    raw,
  };
}

export function normalizeVkMention(post: VkPost, names: VkNames, matched: readonly string[], raw: unknown): NormalizedMessage {
  const fromId = post.signer_id ?? post.from_id ?? post.owner_id;
  return {
    network: 'vk',
    externalId: `post:${post.owner_id}_${post.id}`,
    kind: 'mention',
    place: { containerId: String(post.owner_id), postId: String(post.id), itemId: String(post.id), url: `https://vk.com/wall${post.owner_id}_${post.id}` },
    author: vkAuthor(fromId, names),
    text: post.text,
    attachments: vkAttachments(post.attachments),
    createdAt: new Date(post.date * 1000),
    matchedKeywords: [...matched],
    raw,
  };
}
