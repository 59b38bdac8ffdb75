import type { ServerResponse } from 'node:http';
import { authorName, SANDBOX_CREDENTIALS, type SandboxState, type ScriptedItem } from './state.js';
import { sendJson } from './http.js';

const { token: TOKEN, discussionChatId: DISCUSSION, channelId: CHANNEL, cityChatId: CITY } = SANDBOX_CREDENTIALS.telegram;
const BOT_ID = Number(TOKEN.split(':')[0]);
const USER_BASE = 5012345600;

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
    this.updates.push({ update_id: this.nextUpdateId++, message });
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

  async handle(token: string, method: string, params: Record<string, string>, res: ServerResponse): Promise<void> {
    const flood = this.state.countRequest('telegram', method);
    if (token !== TOKEN) return this.error(res, 401, 'Unauthorized');
    if (flood) return this.error(res, 429, 'Too Many Requests: retry after 1', 1);
    switch (method) {
      case 'getMe':
        return sendJson(res, 200, { ok: true, result: { id: BOT_ID, is_bot: true, first_name: 'Отклик (песочница)', username: 'otklik_sandbox_bot', can_join_groups: true, can_read_all_group_messages: true, supports_inline_queries: false } });
      case 'getUpdates': {
        const offset = Number(params.offset ?? 0);
        // Telegram forgets what is below the offset once it is asked with it.
        while (this.updates.length > 0 && this.updates[0]!.update_id < offset) this.updates.shift();
        if (this.updates.length === 0) await this.state.waitForItems('telegram', Math.min(Number(params.timeout ?? 0), 25) * 1000);
        return sendJson(res, 200, { ok: true, result: this.updates.slice(0, Math.min(Number(params.limit ?? 100), 100)) });
      }
      case 'sendMessage': {
        const chatId = Number(params.chat_id);
        const { switches } = this.state;
        if (chatId > 0) {
          if (switches.botBlocked) return this.error(res, 403, 'Forbidden: bot was blocked by the user');
          if (switches.privateClosed || !this.started.has(chatId)) return this.error(res, 403, "Forbidden: bot can't initiate conversation with a user");
        } else {
          if (switches.communityBlocked) return this.error(res, 403, 'Forbidden: bot was kicked from the supergroup chat');
          if (switches.commentsClosed) return this.error(res, 400, 'Bad Request: not enough rights to send text messages to the chat');
        }
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
