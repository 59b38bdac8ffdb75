import type { ServerResponse } from 'node:http';
import { authorName, SANDBOX_CREDENTIALS, SANDBOX_PHOTO, type SandboxFile, type SandboxState, type ScriptedItem } from './state.js';
import { floodAnswer } from './hostile.js';
import { sendJson, type UploadedPart } from './http.js';

const { token: TOKEN, discussionChatId: DISCUSSION, channelId: CHANNEL, cityChatId: CITY } = SANDBOX_CREDENTIALS.telegram;
const BOT_ID = Number(TOKEN.split(':')[0]);
const USER_BASE = 5012345600;
/** 2^53 − 1: the update_id of a poisoned update (`poisonedIds`). */
const POISONED_UPDATE_ID = Number.MAX_SAFE_INTEGER;

/** The subset of the Bot API the connector uses, with Telegram's envelope and error statuses. */
export class TelegramSandbox {
  private readonly updates: { update_id: number; message: Record<string, unknown> }[] = [];
  private nextUpdateId = 731500000;
  private readonly nextMessageId = new Map<number, number>();
  /** Users who started the bot: only they can be written to first. */
  private readonly started = new Set<number>();
  private channelPostId = 0;

  constructor(private readonly state: SandboxState) {
    state.listeners.telegram.push((item) => this.push(item));
    state.unpoison.push(() => { for (let i = this.updates.length - 1; i >= 0; i -= 1) if (this.updates[i]!.update_id === POISONED_UPDATE_ID) this.updates.splice(i, 1); });
  }

  /** Why a send to this chat is refused, by the switches and who started the bot; null when it goes. */
  private refusal(chatId: number): { code: number; description: string } | null {
    const { switches } = this.state;
    if (chatId > 0) {
      if (switches.botBlocked) return { code: 403, description: 'Forbidden: bot was blocked by the user' };
      if (switches.privateClosed || !this.started.has(chatId)) return { code: 403, description: "Forbidden: bot can't initiate conversation with a user" };
    } else {
      if (switches.communityBlocked) return { code: 403, description: 'Forbidden: bot was kicked from the supergroup chat' };
      if (switches.commentsClosed) return { code: 400, description: 'Bad Request: not enough rights to send text messages to the chat' };
    }
    return null;
  }

  private sent(chatId: number, params: Record<string, string>, fields: Record<string, unknown>): Record<string, unknown> {
    return {
      message_id: this.messageId(chatId), from: { id: BOT_ID, is_bot: true, first_name: 'Отклик (песочница)', username: 'otklik_sandbox_bot' },
      chat: chatId > 0 ? { id: chatId, type: 'private', first_name: 'Житель' } : { id: chatId, title: 'Охинский — обсуждение', type: 'supergroup' },
      date: this.state.nowSec(),
      ...(params.message_thread_id === undefined ? {} : { message_thread_id: Number(params.message_thread_id) }),
      ...fields,
    };
  }

  /** A sent file as the Message field Telegram answers with (photo sizes, video, document). */
  private fileField(kind: 'photo' | 'video' | 'document', file: SandboxFile): Record<string, unknown> {
    const ref = { file_id: `sandbox-${file.id}`, file_unique_id: `u${file.id}`, file_size: file.data.length };
    if (kind === 'photo') return { photo: [{ ...ref, width: 1, height: 1 }] };
    if (kind === 'video') return { video: { ...ref, width: 1, height: 1, duration: 1, file_name: file.fileName, mime_type: file.contentType } };
    return { document: { ...ref, file_name: file.fileName, mime_type: file.contentType } };
  }

  /** GET /tg/file/bot<token>/<file_path>: the Bot API's file server. */
  handleFile(token: string, filePath: string, res: ServerResponse): void {
    this.state.countRequest('telegram', 'file', false);
    if (token !== TOKEN) return sendJson(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const id = /^\w+\/(\w+)\.\w+$/.exec(filePath)?.[1];
    const file = id === undefined ? undefined : this.state.files.get(id);
    if (file === undefined) return sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.data.length });
    res.end(file.data);
  }

  private messageId(chatId: number): number {
    const next = (this.nextMessageId.get(chatId) ?? 100) + 1;
    this.nextMessageId.set(chatId, next);
    return next;
  }

  private push(item: ScriptedItem): void {
    const userId = USER_BASE + item.authorIndex;
    const { first, last } = authorName(item.authorIndex);
    const from = { id: userId, is_bot: false, first_name: first, last_name: last, language_code: 'ru' };
    let message: Record<string, unknown>;
    if (item.shape === 'private') {
      this.started.add(userId);
      message = { message_id: this.messageId(userId), from, chat: { id: userId, first_name: first, last_name: last, type: 'private' }, date: item.atSec, text: item.line.text };
    } else if (item.shape === 'mention') {
      message = { message_id: this.messageId(CITY), from, chat: { id: CITY, title: 'Оха — барахолка и новости', username: 'okha_city_chat', type: 'supergroup' }, date: item.atSec, text: item.line.text };
    } else {
      if (this.channelPostId === 0 || item.seq % 10 === 1) this.channelPost(item.atSec);
      const sender = item.anonymous
        ? { from: { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' }, sender_chat: { id: DISCUSSION, title: 'Охинский — обсуждение', type: 'supergroup' } }
        : { from };
      message = {
        message_id: this.messageId(DISCUSSION), message_thread_id: this.channelPostId, ...sender,
        chat: { id: DISCUSSION, title: 'Охинский — обсуждение', type: 'supergroup' }, date: item.atSec,
        reply_to_message: { message_id: this.channelPostId, chat: { id: DISCUSSION, title: 'Охинский — обсуждение', type: 'supergroup' }, date: item.atSec, is_automatic_forward: true, text: 'Новости администрации' },
        text: item.line.text,
      };
    }
    if (this.state.switches.withPhotos) {
      const file = this.state.storeFile('photo.png', 'image/png', SANDBOX_PHOTO);
      message.photo = [{ file_id: `sandbox-${file.id}`, file_unique_id: `u${file.id}`, file_size: file.data.length, width: 1, height: 1 }];
      message.caption = message.text;
      delete message.text;
    }
    this.updates.push({ update_id: this.nextUpdateId++, message });
    // A poisoned copy: the same message under an update_id near 2^53, which the sandbox keeps offering.
    if (this.state.takePoison('telegram')) this.updates.push({ update_id: POISONED_UPDATE_ID, message: { ...message, message_id: this.messageId(Number((message.chat as { id: number }).id)) } });
  }

  /** The channel's post copied into the discussion group, as Telegram does; the connector must skip it. */
  private channelPost(atSec: number): void {
    this.channelPostId = this.messageId(DISCUSSION);
    this.updates.push({
      update_id: this.nextUpdateId++,
      message: {
        message_id: this.channelPostId,
        from: { id: 777000, is_bot: false, first_name: 'Telegram' },
        sender_chat: { id: CHANNEL, title: 'Администрация ГО «Охинский»', username: 'okha_adm', type: 'channel' },
        chat: { id: DISCUSSION, title: 'Охинский — обсуждение', type: 'supergroup' },
        date: atSec, is_automatic_forward: true, text: 'Новости администрации',
      },
    });
  }

  private error(res: ServerResponse, code: number, description: string, retryAfterSec?: number): void {
    sendJson(res, code, { ok: false, error_code: code, description, ...(retryAfterSec === undefined ? {} : { parameters: { retry_after: retryAfterSec } }) });
  }

  async handle(token: string, method: string, params: Record<string, string>, files: readonly UploadedPart[], res: ServerResponse): Promise<void> {
    const flood = this.state.countRequest('telegram', method);
    if (token !== TOKEN) return this.error(res, 401, 'Unauthorized');
    if (flood) return floodAnswer(this.state, 'telegram', method, res);
    switch (method) {
      case 'getMe':
        return sendJson(res, 200, { ok: true, result: { id: BOT_ID, is_bot: true, first_name: 'Отклик (песочница)', username: 'otklik_sandbox_bot', can_join_groups: true, can_read_all_group_messages: true, supports_inline_queries: false } });
      case 'getUpdates': {
        const offset = Number(params.offset ?? 0);
        // Telegram forgets what is below the offset once it is asked with it.
        for (let i = this.updates.length - 1; i >= 0; i -= 1) if (this.updates[i]!.update_id < offset) this.updates.splice(i, 1);
        if (this.updates.length === 0) await this.state.waitForItems('telegram', Math.min(Number(params.timeout ?? 0), 25) * 1000);
        // In id order, as Telegram sends them.
        const pending = [...this.updates].sort((a, b) => a.update_id - b.update_id);
        return sendJson(res, 200, { ok: true, result: pending.slice(0, Math.min(Number(params.limit ?? 100), 100)) });
      }
      case 'getFile': {
        const file = this.state.files.get((params.file_id ?? '').replace(/^sandbox-/, ''));
        if (file === undefined) return this.error(res, 400, 'Bad Request: invalid file_id');
        const folder = file.contentType.startsWith('image/') ? 'photos' : file.contentType.startsWith('video/') ? 'videos' : 'documents';
        return sendJson(res, 200, { ok: true, result: { file_id: params.file_id, file_unique_id: `u${file.id}`, file_size: file.data.length, file_path: `${folder}/${file.id}.${file.fileName.split('.').pop() ?? 'bin'}` } });
      }
      case 'sendPhoto':
      case 'sendVideo':
      case 'sendDocument': {
        const chatId = Number(params.chat_id);
        const refused = this.refusal(chatId);
        if (refused !== null) return this.error(res, refused.code, refused.description);
        const kind = method === 'sendPhoto' ? 'photo' : method === 'sendVideo' ? 'video' : 'document';
        const part = files.find((file) => file.field === kind);
        if (part === undefined) return this.error(res, 400, `Bad Request: there is no ${kind} in the request`);
        const file = this.state.storeFile(part.fileName, part.contentType, part.data);
        const message = this.sent(chatId, params, { ...this.fileField(kind, file), ...(params.caption === undefined ? {} : { caption: params.caption }) });
        const replyTo = params.reply_parameters === undefined ? undefined : (JSON.parse(params.reply_parameters) as { message_id?: number }).message_id;
        this.state.record({ network: 'telegram', method, target: `chat:${chatId}`, text: params.caption ?? '', id: String(message.message_id), ...(replyTo === undefined ? {} : { replyTo: String(replyTo) }), attachments: [this.state.recordedAttachment(kind, file)] });
        return sendJson(res, 200, { ok: true, result: message });
      }
      case 'sendMediaGroup': {
        const chatId = Number(params.chat_id);
        const refused = this.refusal(chatId);
        if (refused !== null) return this.error(res, refused.code, refused.description);
        const media = JSON.parse(params.media ?? '[]') as { type: 'photo' | 'video' | 'document'; media: string; caption?: string }[];
        if (media.length < 2 || media.length > 10) return this.error(res, 400, 'Bad Request: wrong number of media in the album');
        const items: { kind: 'photo' | 'video' | 'document'; file: SandboxFile; caption?: string }[] = [];
        for (const item of media) {
          const part = files.find((file) => `attach://${file.field}` === item.media);
          if (part === undefined) return this.error(res, 400, 'Bad Request: wrong file identifier/HTTP URL specified');
          items.push({ kind: item.type, file: this.state.storeFile(part.fileName, part.contentType, part.data), ...(item.caption === undefined ? {} : { caption: item.caption }) });
        }
        const messages = items.map((item) => this.sent(chatId, params, { ...this.fileField(item.kind, item.file), media_group_id: `sg${this.state.files.size}`, ...(item.caption === undefined ? {} : { caption: item.caption }) }));
        const replyTo = params.reply_parameters === undefined ? undefined : (JSON.parse(params.reply_parameters) as { message_id?: number }).message_id;
        this.state.record({
          network: 'telegram', method, target: `chat:${chatId}`, text: items[0]?.caption ?? '', id: String(messages[0]!.message_id),
          ...(replyTo === undefined ? {} : { replyTo: String(replyTo) }), attachments: items.map((item) => this.state.recordedAttachment(item.kind, item.file)),
        });
        return sendJson(res, 200, { ok: true, result: messages });
      }
      case 'sendMessage': {
        const chatId = Number(params.chat_id);
        const refused = this.refusal(chatId);
        if (refused !== null) return this.error(res, refused.code, refused.description);
        if (params.text === undefined || params.text === '') return this.error(res, 400, 'Bad Request: message text is empty');
        const replyTo = params.reply_parameters === undefined ? undefined : (JSON.parse(params.reply_parameters) as { message_id?: number }).message_id;
        const messageId = this.messageId(chatId);
        this.state.record({ network: 'telegram', method, target: `chat:${chatId}`, text: params.text, id: String(messageId), ...(replyTo === undefined ? {} : { replyTo: String(replyTo) }) });
        return sendJson(res, 200, {
          ok: true,
          result: {
            message_id: messageId, from: { id: BOT_ID, is_bot: true, first_name: 'Отклик (песочница)', username: 'otklik_sandbox_bot' },
            chat: chatId > 0 ? { id: chatId, type: 'private', first_name: 'Житель' } : { id: chatId, title: 'Охинский — обсуждение', type: 'supergroup' },
            date: this.state.nowSec(), text: params.text,
            ...(params.message_thread_id === undefined ? {} : { message_thread_id: Number(params.message_thread_id) }),
          },
        });
      }
      default:
        return this.error(res, 404, 'Not Found');
    }
  }
}
