import { z } from 'zod';
import type { MessageAttachment, MessageAuthor, MessageKind, NormalizedMessage } from '../types.js';
import { compact } from '../normalized.js';

const userSchema = z.looseObject({ id: z.number().int(), is_bot: z.boolean(), first_name: z.string(), last_name: z.string().optional(), username: z.string().optional() });
const chatSchema = z.looseObject({ id: z.number().int(), type: z.enum(['private', 'group', 'supergroup', 'channel']), title: z.string().optional(), username: z.string().optional() });
const fileSchema = z.looseObject({ file_id: z.string(), file_unique_id: z.string() });

export const telegramMessageSchema = z.looseObject({
  message_id: z.number().int(),
  message_thread_id: z.number().int().optional(),
  from: userSchema.optional(),
  sender_chat: chatSchema.optional(),
  date: z.number().int(),
  chat: chatSchema,
  text: z.string().optional(),
  caption: z.string().optional(),
  is_automatic_forward: z.boolean().optional(),
  reply_to_message: z.looseObject({ message_id: z.number().int(), from: userSchema.optional(), sender_chat: chatSchema.optional() }).optional(),
  photo: z.array(fileSchema.extend({ width: z.number(), height: z.number() })).optional(),
  video: fileSchema.optional(),
  document: fileSchema.optional(),
  voice: fileSchema.optional(),
  audio: fileSchema.optional(),
});
export type TelegramMessage = z.infer<typeof telegramMessageSchema>;

export const telegramUpdateSchema = z.looseObject({ update_id: z.number().int() });

/** Files have no public URL without the token in it; the id is kept and fetched later through getFile. */
export function telegramAttachments(message: TelegramMessage): MessageAttachment[] {
  const out: MessageAttachment[] = [];
  const largest = [...(message.photo ?? [])].sort((a, b) => b.width * b.height - a.width * a.height)[0];
  if (largest !== undefined) out.push({ type: 'photo', url: `telegram-file:${largest.file_id}` });
  if (message.video !== undefined) out.push({ type: 'video', url: `telegram-file:${message.video.file_id}` });
  if (message.document !== undefined) out.push({ type: 'document', url: `telegram-file:${message.document.file_id}` });
  if (message.voice !== undefined) out.push({ type: 'audio', url: `telegram-file:${message.voice.file_id}` });
  if (message.audio !== undefined) out.push({ type: 'audio', url: `telegram-file:${message.audio.file_id}` });
  return out;
}

export function telegramAuthor(message: TelegramMessage): MessageAuthor | null {
  // An anonymous group admin or a channel writes as `sender_chat`: there is no person to message.
  if (message.sender_chat !== undefined) {
    return compact({ id: String(message.sender_chat.id), name: message.sender_chat.title ?? 'Аноним', profileUrl: message.sender_chat.username === undefined ? undefined : `https://t.me/${message.sender_chat.username}`, anonymous: true });
  }
  if (message.from === undefined) return null;
  const name = [message.from.first_name, message.from.last_name].filter(Boolean).join(' ');
  return compact({ id: String(message.from.id), name, profileUrl: message.from.username === undefined ? undefined : `https://t.me/${message.from.username}`, anonymous: false });
}

export function normalizeTelegramMessage(message: TelegramMessage, kind: MessageKind, author: MessageAuthor, matched: readonly string[], raw: unknown): NormalizedMessage {
  // t.me/<name>/<id> opens a message of a public group or channel; a private chat has no such link.
  const url = message.chat.username === undefined || message.chat.type === 'private' ? undefined : `https://t.me/${message.chat.username}/${message.message_id}`;
  return {
    network: 'telegram',
    externalId: `${message.chat.id}:${message.message_id}`,
    kind,
    place: compact({
      containerId: String(message.chat.id),
      // A comment's post is its thread (the channel post's copy); a reply to another comment
      // still belongs to the post's thread.
      postId: kind !== 'comment' ? undefined : String(message.message_thread_id ?? message.reply_to_message?.message_id ?? '') || undefined,
      itemId: String(message.message_id),
      threadId: message.message_thread_id === undefined ? undefined : String(message.message_thread_id),
      replyToId: message.reply_to_message === undefined ? undefined : String(message.reply_to_message.message_id),
      replyToAuthorId: replyAuthorId(message),
      url,
    }),
    author,
    text: message.text ?? message.caption ?? '',
    attachments: telegramAttachments(message),
    createdAt: new Date(message.date * 1000),
    matchedKeywords: [...matched],
    raw,
  };
}

function replyAuthorId(message: TelegramMessage): string | undefined {
  const replied = message.reply_to_message;
  if (replied === undefined) return undefined;
  if (replied.sender_chat !== undefined) return String(replied.sender_chat.id);
  return replied.from === undefined ? undefined : String(replied.from.id);
}
