// A Telegram Bot API for the staff bot's tests: nock 13 intercepts the real
// node-telegram-bot-api client; every update served and every object answered is checked
// against the Bot API reference (api.json types, the OpenAPI document), and every call the
// bot makes may use only the parameters api.json lists for its method.
import nock from 'nock';
import { checkTelegramOpenApi, checkTelegramType, undocumentedTelegramParams } from '../../connectors/support/reference.js';

export const TOKEN = '7099000111:AAH-staff_bot_test_token';
export const API = 'https://api.telegram.org';
const BOT_USER = { id: 7099000111, is_bot: true, first_name: 'Отклик: сотрудники', username: 'otklik_staff_bot' };
const DATE = 1795500000;

export interface Button {
  text: string;
  callback_data: string;
}

export interface Sent {
  method: string;
  chatId: number | null;
  text: string;
  keyboard: Button[][];
  messageId: number;
  form: Record<string, string>;
}

export interface Person {
  id: number;
  first_name: string;
  username?: string;
}

export class FakeTelegram {
  readonly calls: Sent[] = [];
  /** Reference violations found in served updates, answers and request parameters: must stay empty. */
  readonly problems: string[] = [];
  /** The offset of each getUpdates call, as sent (undefined: none). */
  readonly offsets: Array<number | undefined> = [];
  private readonly queue: unknown[] = [];
  private updateId = 900000;
  private messageId = 5000;

  install(): void {
    nock(API)
      .persist()
      // File uploads carry chat_id in the query string (node-telegram-bot-api's multipart path).
      .post(/\/bot[^/]+\/\w+(\?.*)?$/)
      .reply((uri, body) => {
        const method = /\/(\w+)(\?|$)/.exec(uri)?.[1] ?? '';
        const query = Object.fromEntries([...new URL(uri, API).searchParams].filter(([, value]) => value !== ''));
        const form = { ...query, ...(typeof body === 'string' ? (body.includes('Content-Disposition: form-data') ? multipartFields(body) : Object.fromEntries(new URLSearchParams(body))) : (body as Record<string, string>)) };
        this.problems.push(...undocumentedTelegramParams(method, form).map((name) => `${method}: ${name}`));
        if (this.failures > 0) {
          this.failures -= 1;
          this.calls.push({ method: `${method} (failed)`, chatId: null, text: '', keyboard: [], messageId: 0, form });
          return [502, '<html><body>502 Bad Gateway</body></html>'];
        }
        return [200, this.answer(method, form)];
      })
      // The file server getFile's answers point at: the photo's bytes.
      .get(/\/file\/bot[^/]+\/photos\/.+$/)
      .reply((uri) => [200, Buffer.from(`JPEG bytes of ${decodeURIComponent(uri.split('/').pop() ?? '')}`), { 'Content-Type': 'image/jpeg' }]);
  }

  private failures = 0;

  /** The next `count` calls fail as a proxy in front of Telegram does: 502 with an HTML page. */
  failNext(count: number): void {
    this.failures = count;
  }

  private answer(method: string, form: Record<string, string>): unknown {
    if (method === 'getUpdates') {
      this.offsets.push(form.offset === undefined ? undefined : Number(form.offset));
      const body = { ok: true, result: this.queue.splice(0) };
      this.problems.push(...checkTelegramOpenApi('#/paths/~1getUpdates/post/responses/200/content/application~1json/schema', body));
      body.result.forEach((u, i) => this.problems.push(...checkTelegramType('Update', u, `result[${i}]`)));
      return body;
    }
    const chatId = form.chat_id === undefined ? null : Number(form.chat_id);
    const keyboard = form.reply_markup ? ((JSON.parse(form.reply_markup) as { inline_keyboard?: Button[][] }).inline_keyboard ?? []) : [];
    const messageId = method === 'sendMessage' ? ++this.messageId : Number(form.message_id ?? 0);
    this.calls.push({ method, chatId, text: form.text ?? '', keyboard, messageId, form });
    if (method === 'answerCallbackQuery') return { ok: true, result: true };
    if (method === 'getFile') {
      const file = { file_id: form.file_id ?? '', file_unique_id: `${form.file_id ?? ''}-u`, file_size: 2048, file_path: `photos/${form.file_id ?? 'file'}.jpg` };
      this.problems.push(...checkTelegramType('File', file));
      return { ok: true, result: file };
    }
    const message = { message_id: messageId, from: BOT_USER, chat: { id: chatId ?? 0, type: 'private', first_name: 'Сотрудник' }, date: DATE, text: form.text ?? 'карточка' };
    this.problems.push(...checkTelegramType('Message', message));
    if (method === 'sendMessage') this.problems.push(...checkTelegramOpenApi('#/paths/~1sendMessage/post/responses/200/content/application~1json/schema', { ok: true, result: message }));
    return { ok: true, result: message };
  }

  private push(update: Record<string, unknown>): void {
    this.queue.push({ update_id: ++this.updateId, ...update });
  }

  /** The update_id the next served update will have. */
  get nextUpdateId(): number {
    return this.updateId + 1;
  }

  text(from: Person, text: string): void {
    this.push({ message: { message_id: ++this.messageId, from: { is_bot: false, ...from }, chat: { id: from.id, type: 'private', first_name: from.first_name }, date: DATE, text } });
  }

  photo(from: Person, fileId: string, caption?: string): void {
    this.push({
      message: {
        message_id: ++this.messageId, from: { is_bot: false, ...from }, chat: { id: from.id, type: 'private', first_name: from.first_name }, date: DATE,
        photo: [
          { file_id: `${fileId}-small`, file_unique_id: `${fileId}-s`, width: 90, height: 67 },
          { file_id: fileId, file_unique_id: `${fileId}-l`, width: 1280, height: 960 },
        ],
        ...(caption === undefined ? {} : { caption }),
      },
    });
  }

  /** Presses the button with this text on the card last sent or edited as `card`. */
  press(from: Person, card: Sent, buttonText: string | RegExp): void {
    const button = card.keyboard.flat().find((b) => (typeof buttonText === 'string' ? b.text === buttonText : buttonText.test(b.text)));
    if (!button) throw new Error(`no button «${String(buttonText)}» on the card: ${card.keyboard.flat().map((b) => b.text).join(' | ')}`);
    this.push({
      callback_query: {
        id: `cq${this.updateId}`, from: { is_bot: false, ...from }, chat_instance: `ci${from.id}`, data: button.callback_data,
        message: { message_id: card.messageId, from: BOT_USER, chat: { id: from.id, type: 'private', first_name: from.first_name }, date: DATE, text: card.text },
      },
    });
  }

  /** The last message sent or card edited for this chat, optionally containing `text`. */
  last(chatId: number, contains?: string): Sent {
    const found = [...this.calls].reverse().find((c) => c.chatId === chatId && c.method !== 'answerCallbackQuery' && (contains === undefined || c.text.includes(contains)));
    if (!found) throw new Error(`nothing sent to ${chatId}${contains ? ` with «${contains}»` : ''}`);
    return found;
  }

  /** The last answer to a button press. */
  lastAnswer(): Sent {
    const found = [...this.calls].reverse().find((c) => c.method === 'answerCallbackQuery');
    if (!found) throw new Error('no callback answer');
    return found;
  }

  to(chatId: number): Sent[] {
    return this.calls.filter((c) => c.chatId === chatId);
  }
}

/**
 * The fields of a multipart body (sendDocument uploads a file that way): a file part
 * becomes `file:NAME` with its first bytes in `NAME#head`, so a test sees what was sent.
 */
function multipartFields(body: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of body.matchAll(/name="([^"]+)"(?:; filename="([^"]+)")?\r\n(?:Content-Type: [^\r]+\r\n)?\r\n([\s\S]*?)\r\n--/g)) {
    const [, name, filename, value] = match;
    if (!name) continue;
    fields[name] = filename ? `file:${filename};head=${(value ?? '').slice(0, 8)}` : (value ?? '');
  }
  return fields;
}
