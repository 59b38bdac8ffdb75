import { z } from 'zod';
import type { MessageAttachment, MessageAuthor, MessageKind, NormalizedMessage } from '../types.js';
import { compact } from '../normalized.js';

/*
 * MAX's payloads as the API spells them (reference/max-bot-api.subset.yaml), checked at
 * the edge. Ids of users and chats are int64 numbers (chats negative, within 2^53 in
 * every example), message ids (`mid`) strings, times Unix milliseconds. `seq` is an
 * int64 beyond 2^53 and is not read.
 */

const idSchema = z.number().int();
const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

export const maxUserSchema = z.looseObject({
  user_id: idSchema,
  first_name: z.string(),
  last_name: nullable(z.string()),
  username: nullable(z.string()),
  is_bot: z.boolean(),
  /** Deprecated by MAX in favour of first_name and last_name; read only when they are empty. */
  name: nullable(z.string()),
});

const recipientSchema = z.looseObject({
  chat_id: nullable(idSchema),
  chat_type: z.enum(['dialog', 'chat', 'channel']),
  user_id: nullable(idSchema),
  /** A comment's post: its `mid` (the schema's MessageId; an old library types it as a number). */
  post_id: nullable(z.union([z.string().min(1), idSchema])),
});

const attachmentSchema = z.looseObject({
  type: z.string(),
  payload: nullable(z.looseObject({ url: nullable(z.string()), token: nullable(z.string()) })),
  filename: z.string().optional(),
  latitude: z.number().optional(),
  longitude: z.number().optional(),
});

const bodySchema = z.looseObject({
  mid: z.string().min(1),
  text: nullable(z.string()),
  attachments: nullable(z.array(attachmentSchema)),
});

export const maxMessageSchema = z.looseObject({
  sender: nullable(maxUserSchema),
  recipient: recipientSchema,
  timestamp: z.number().int().nonnegative(),
  link: nullable(z.looseObject({
    type: z.enum(['forward', 'reply']),
    sender: nullable(maxUserSchema),
    chat_id: nullable(idSchema),
    message: z.looseObject({ mid: z.string().min(1) }),
  })),
  body: bodySchema,
  url: nullable(z.string()),
});
export type MaxMessage = z.infer<typeof maxMessageSchema>;

export const maxUpdateSchema = z.looseObject({ update_type: z.string().min(1), timestamp: z.number().int() });
/** GET /updates: `marker` is int64 and nullable; it is checked by the cursor guard, not here. */
export const maxUpdateListSchema = z.looseObject({ updates: z.array(z.unknown()), marker: z.unknown().optional() });

/** A MAX video is played through GET /videos/{token}, not fetched from the payload's URL. */
export const MAX_VIDEO_PREFIX = 'max-video:';

/**
 * Images, files and audio have a URL on MAX's file hosts; a video has only its token,
 * whose download links GET /videos/{token} gives. A sticker or a location is kept as
 * "other", a link preview as a link.
 */
export function maxAttachments(message: MaxMessage): MessageAttachment[] {
  const out: MessageAttachment[] = [];
  for (const attachment of message.body.attachments ?? []) {
    const url = attachment.payload?.url ?? undefined;
    switch (attachment.type) {
      case 'image':
        if (url) out.push({ type: 'photo', url });
        break;
      case 'video':
        if (attachment.payload?.token) out.push({ type: 'video', url: `${MAX_VIDEO_PREFIX}${attachment.payload.token}` });
        break;
      case 'audio':
        if (url) out.push({ type: 'audio', url });
        break;
      case 'file':
        if (url) out.push({ type: 'document', url });
        break;
      case 'share':
        if (url) out.push({ type: 'link', url });
        break;
      case 'sticker':
        if (url) out.push({ type: 'other', url });
        break;
      case 'location':
        if (attachment.latitude !== undefined && attachment.longitude !== undefined) out.push({ type: 'other', url: `geo:${attachment.latitude},${attachment.longitude}` });
        break;
      default:
        // Contacts and keyboards carry nothing a curator reads as the message.
        break;
    }
  }
  return out;
}

export function maxAuthor(sender: z.infer<typeof maxUserSchema>): MessageAuthor {
  const name = [sender.first_name, sender.last_name].filter(Boolean).join(' ') || sender.name || `Пользователь ${sender.user_id}`;
  return compact({ id: String(sender.user_id), name, profileUrl: sender.username ? `https://max.ru/${sender.username}` : undefined, anonymous: false });
}

export function normalizeMaxMessage(message: MaxMessage, kind: MessageKind, author: MessageAuthor, matched: readonly string[], raw: unknown): NormalizedMessage {
  const { recipient, link } = message;
  return {
    network: 'max',
    // "Unique identifier of message": a comment's mid too, across chats.
    externalId: message.body.mid,
    kind,
    place: compact({
      containerId: String(recipient.chat_id),
      postId: kind === 'comment' && recipient.post_id !== undefined && recipient.post_id !== null ? String(recipient.post_id) : undefined,
      itemId: message.body.mid,
      replyToId: link?.type === 'reply' ? link.message.mid : undefined,
      replyToAuthorId: link?.type === 'reply' && link.sender ? String(link.sender.user_id) : undefined,
      url: message.url || undefined,
    }),
    author,
    text: message.body.text ?? '',
    attachments: maxAttachments(message),
    createdAt: new Date(message.timestamp),
    matchedKeywords: [...matched],
    raw,
  };
}
