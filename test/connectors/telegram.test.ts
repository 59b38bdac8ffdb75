import { describe, it, expect, afterEach, beforeAll, afterAll } from '@jest/globals';
import nock from 'nock';
import { inspect } from 'node:util';
import { TelegramClient, telegramChatLimit } from '../../connectors/telegram/client.js';
import { TelegramConnector } from '../../connectors/telegram/connector.js';
import { decideTelegram } from '../../connectors/telegram/errors.js';
import { ApiError, CONFIG, PERMANENT, RETRY, rateLimited } from '../../connectors/errors.js';
import { GaveUp } from '../../connectors/retry.js';
import { unthrottled } from '../../connectors/throttle.js';
import { MemoryAttemptLog } from '../../connectors/connector.js';
import { publishAnswer, NO_TECHNICAL_POSSIBILITY } from '../../connectors/publish.js';
import type { NormalizedMessage } from '../../connectors/types.js';
import { fixture, undocumentedTelegramParams } from './support/reference.js';
import { testRetry } from './support/fast.js';

const TOKEN = '7012345678:AAH-test_token_for_otklik';
const API = 'https://api.telegram.org';
const path = (method: string) => `/bot${TOKEN}/${method}`;
type Form = Record<string, string>;

function setup(timeoutMs = 2_000) {
  const { retry, delaysMs } = testRetry();
  const client = new TelegramClient({ token: TOKEN, throttle: unthrottled(), retry, timeoutMs, longPollWaitSec: 0 });
  const attempts = new MemoryAttemptLog();
  const connector = new TelegramConnector({
    accountId: 'okha-bot', client, attempts, discussionChatIds: ['-1001555000111'], keywords: ['администрац', 'Охинский'],
    now: () => new Date('2025-11-24T10:00:00Z'),
  });
  return { client, connector, attempts, delaysMs };
}

/** Every Bot API call a test lets through must use only fields api.json lists for its method. */
const paramProblems: string[] = [];
const seenMethods = new Set<string>();
/** nock(API) with a listener on what each intercepted request sent. */
function tgApi(): nock.Scope {
  return nock(API).on('request', (req: { path: string }, _interceptor: unknown, body: string) => {
    const method = /\/bot[^/]+\/(\w+)$/.exec(req.path)?.[1];
    if (method === undefined) return;
    seenMethods.add(method);
    paramProblems.push(...undocumentedTelegramParams(method, Object.fromEntries(new URLSearchParams(body))).map((name) => `${method}: ${name}`));
  });
}
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('Telegram fetch and normalize', () => {
  it('reads private messages, discussion comments and keyword mentions; skips the channel copy and small talk', async () => {
    tgApi().post(path('getUpdates'), (body: Form) => body.offset === '731500100' && body.limit === '100' && body.allowed_updates === '["message"]')
      .reply(200, fixture('telegram', 'getUpdates.json') as object);
    const { connector } = setup();
    const batch = await connector.fetchSince({ offset: 731500100 });
    expect(batch.rejected).toEqual([]);
    expect(batch.cursor).toEqual({ offset: 731500107, lastUpdateSec: 1763973500 });
    expect(batch.requests).toBe(1);
    expect(batch.messages.map((m) => [m.externalId, m.kind, m.author.name, m.author.anonymous])).toEqual([
      ['5012345678:412', 'private', 'Наталья Кузнецова', false],
      ['-1001555000111:2294', 'comment', 'Виктор', false],
      ['-1001222333444:88', 'mention', 'Сергей Иванов', false],
      ['-1001555000111:2297', 'comment', 'Охинский — обсуждение', true],
    ]);
    const [privateMessage, comment, mention, anonymous] = batch.messages as [NormalizedMessage, NormalizedMessage, NormalizedMessage, NormalizedMessage];
    expect(privateMessage.author.profileUrl).toBe('https://t.me/n_kuznetsova');
    expect(comment.place).toEqual({ containerId: '-1001555000111', postId: '2291', itemId: '2294', threadId: '2291', replyToId: '2291', replyToAuthorId: '-1001987654321' });
    expect(mention.place.url).toBe('https://t.me/okha_city_chat/88');
    expect(mention.matchedKeywords).toEqual(['администрац']);
    expect(anonymous.text).toBe('Вот так выглядит остановка у больницы');
    expect(anonymous.attachments).toEqual([{ type: 'photo', url: 'telegram-file:AgACAgIAAxkBAAIBQ2c2' }]);
  });

  it('asks without an offset on the first run and keeps it when nothing came', async () => {
    tgApi().post(path('getUpdates'), (body: Form) => body.offset === undefined).reply(200, { ok: true, result: [] });
    const { connector } = setup();
    const batch = await connector.fetchSince(null);
    expect(batch).toMatchObject({ messages: [], cursor: { offset: 0 }, more: false });
  });

  it('sets malformed updates and unknown kinds aside, moves the offset past them, and keeps the rest', async () => {
    const updates = (fixture('telegram', 'getUpdates.json') as { result: Record<string, unknown>[] }).result;
    const noChat = structuredClone(updates[0]!) as { update_id: number; message: Record<string, unknown> };
    noChat.update_id = 731500200;
    delete noChat.message.chat;
    tgApi().post(path('getUpdates')).reply(200, {
      ok: true,
      result: [noChat, { update_id: 731500201, edited_message: updates[0]!.message }, { update_id: 'x' }, { ...updates[0]!, update_id: 731500202 }],
    });
    const { connector } = setup();
    const batch = await connector.fetchSince({ offset: 731500200 });
    expect(batch.messages.map((m) => m.externalId)).toEqual(['5012345678:412']);
    expect(batch.rejected.map((r) => r.reason)).toEqual([expect.stringMatching(/^update: update_id/), expect.stringMatching(/^message: chat/), 'unknown update kind edited_message']);
    expect(batch.cursor).toEqual({ offset: 731500203, lastUpdateSec: 1763973000 });
  });
});

describe('Telegram pacing', () => {
  it('allows 1 message/s in a private chat and 20/min in a group', () => {
    expect(telegramChatLimit('5012345678')).toEqual({ calls: 1, intervalMs: 1_000 });
    expect(telegramChatLimit('-1001555000111')).toEqual({ calls: 20, intervalMs: 60_000 });
  });
});

describe('Telegram decisions', () => {
  const api = (code: number, retryAfterSec?: number) => new ApiError('telegram', 'sendMessage', code, 'x', retryAfterSec, code);
  it.each([
    [400, undefined, PERMANENT], [403, undefined, PERMANENT], [401, undefined, CONFIG], [404, undefined, CONFIG], [409, undefined, RETRY],
    [429, 7, rateLimited(7_000)], [429, undefined, RETRY], [500, undefined, RETRY], [502, undefined, RETRY],
  ] as const)('%i (retry_after %s) → %j', (code, after, decision) => {
    expect(decideTelegram(api(code, after))).toEqual(decision);
  });
});

describe('Telegram faults on the wire', () => {
  const getMe = () => tgApi().post(path('getMe'));
  const me = { ok: true, result: { id: 7012345678, is_bot: true, first_name: 'Отклик Оха' } };

  it('429 waits retry_after exactly; a legacy 429 without parameters is read from the description', async () => {
    getMe().reply(429, fixture('telegram', 'error.429.json') as object);
    getMe().reply(429, fixture('telegram', 'error.429.legacy.json') as object);
    getMe().reply(200, me);
    const { client, delaysMs } = setup();
    await expect(client.call('getMe', (bot) => bot.getMe())).resolves.toMatchObject({ id: 7012345678 });
    expect(delaysMs).toEqual([7_000, 12_000]);
  });

  it('5xx, a reset connection and malformed JSON are retried the 1st, 2nd and 3rd time', async () => {
    getMe().reply(502, '<html>Bad Gateway</html>');
    getMe().replyWithError({ code: 'ECONNRESET', message: 'read ECONNRESET' });
    getMe().reply(200, '{"ok":true,"result":');
    getMe().reply(200, me);
    const { client, delaysMs } = setup();
    await expect(client.call('getMe', (bot) => bot.getMe())).resolves.toMatchObject({ first_name: 'Отклик Оха' });
    expect(delaysMs).toEqual([100, 200, 400]);
  });

  it('a timeout is retried', async () => {
    getMe().delay(300).reply(200, me);
    getMe().reply(200, me);
    const { client, delaysMs } = setup(50);
    await expect(client.call('getMe', (bot) => bot.getMe())).resolves.toMatchObject({ id: 7012345678 });
    expect(delaysMs).toEqual([100]);
  });

  it('401 is a configuration error at once, without the token in the error or in inspect', async () => {
    getMe().reply(401, fixture('telegram', 'error.401.json') as object);
    const { client, delaysMs } = setup();
    const error = (await client.call('getMe', (bot) => bot.getMe()).catch((caught: unknown) => caught)) as GaveUp;
    expect(error).toBeInstanceOf(GaveUp);
    expect(error.decision).toEqual(CONFIG);
    expect(delaysMs).toEqual([]);
    expect(inspect(error, { depth: 6 })).not.toContain('AAH-test_token');
    expect(inspect(client)).toBe('TelegramClient { token: [set] }');
  });
});

describe('Telegram publish', () => {
  const comment: NormalizedMessage = {
    network: 'telegram', externalId: '-1001555000111:2294', kind: 'comment',
    place: { containerId: '-1001555000111', postId: '2291', itemId: '2294', threadId: '2291' },
    author: { id: '6023456789', name: 'Виктор', anonymous: false },
    text: 'А в выходные автобус будет ходить?', attachments: [], createdAt: new Date(), matchedKeywords: [], raw: {},
  };
  const answer = { answerId: 'answer-77' };
  const sendMessage = () => tgApi().post(path('sendMessage'));

  it('replies to the same message in its thread with reply_parameters', async () => {
    sendMessage().reply(200, (_uri, body) => {
      const form = new URLSearchParams(String(body));
      expect(form.get('chat_id')).toBe('-1001555000111');
      expect(JSON.parse(form.get('reply_parameters') ?? '{}')).toEqual({ message_id: 2294, allow_sending_without_reply: true });
      expect(form.get('message_thread_id')).toBe('2291');
      return fixture('telegram', 'sendMessage.json') as object;
    });
    const { connector, attempts } = setup();
    await expect(connector.reply(answer, comment, 'Здравствуйте, Виктор!')).resolves.toEqual({ status: 'published', externalId: '2301', recovered: false });
    expect([...attempts.attempts.values()]).toEqual([expect.objectContaining({ answerId: 'answer-77', target: 'chat:-1001555000111:reply:2294', externalId: '2301' })]);
  });

  it('after a crash following the post, the recorded id is returned and nothing is sent again', async () => {
    sendMessage().reply(200, fixture('telegram', 'sendMessage.json') as object);
    const { connector } = setup();
    await connector.reply(answer, comment, 'Ответ');
    await expect(connector.reply(answer, comment, 'Ответ')).resolves.toEqual({ status: 'published', externalId: '2301', recovered: true });
  });

  it('a timeout on send is not repeated: the outcome is uncertain, and stays so on the next attempt', async () => {
    sendMessage().delay(300).reply(200, fixture('telegram', 'sendMessage.json') as object);
    const { connector, delaysMs } = setup(50);
    await expect(connector.reply(answer, comment, 'Ответ')).resolves.toMatchObject({ status: 'uncertain' });
    await expect(connector.reply(answer, comment, 'Ответ')).resolves.toMatchObject({ status: 'uncertain' });
    expect(delaysMs).toEqual([]);
  });

  it('a 429 on send waits and sends once', async () => {
    sendMessage().reply(429, fixture('telegram', 'error.429.json') as object);
    sendMessage().reply(200, fixture('telegram', 'sendMessage.json') as object);
    const { connector, delaysMs } = setup();
    await expect(connector.reply(answer, comment, 'Ответ')).resolves.toMatchObject({ status: 'published', externalId: '2301' });
    expect(delaysMs).toEqual([7_000]);
  });

  it.each(['error.403.kicked.json', 'error.400.json'])('public reply refused (%s) → private message to the author', async (file) => {
    sendMessage().reply(Number(file.split('.')[1]), fixture('telegram', file) as object);
    sendMessage().reply(200, (_uri, body) => {
      expect(new URLSearchParams(String(body)).get('chat_id')).toBe('6023456789');
      return { ok: true, result: { message_id: 15, date: 1763974000, chat: { id: 6023456789, type: 'private', first_name: 'Виктор' }, text: 'Ответ' } };
    });
    const { connector } = setup();
    const outcome = await publishAnswer(connector, answer, comment, 'Ответ', 'Ответ. Вы также можете написать нам в официальные аккаунты.');
    expect(outcome).toMatchObject({ outcome: 'published-private', externalId: '15', errors: [{ network: 'telegram', method: 'sendMessage', code: Number(file.split('.')[1]) }] });
  });

  it.each(['error.403.blocked.json', 'error.403.initiate.json'])('private message impossible (%s) → reported for «Готово»', async (file) => {
    sendMessage().reply(403, fixture('telegram', 'error.403.kicked.json') as object);
    sendMessage().reply(403, fixture('telegram', file) as object);
    const { connector, attempts } = setup();
    const outcome = await publishAnswer(connector, answer, comment, 'Ответ', 'Ответ');
    expect(outcome).toMatchObject({ outcome: 'no-technical-possibility', reason: NO_TECHNICAL_POSSIBILITY, errors: [{ code: 403 }, { code: 403, description: (fixture('telegram', file) as { description: string }).description }] });
    // Refused calls posted nothing, so their attempts are not left behind as "uncertain".
    expect(attempts.attempts.size).toBe(0);
  });

  it('a private message answered in private: a blocked bot means «Готово» at once', async () => {
    sendMessage().reply(403, fixture('telegram', 'error.403.blocked.json') as object);
    const { connector } = setup();
    const privateMessage: NormalizedMessage = { ...comment, kind: 'private', externalId: '5012345678:412', place: { containerId: '5012345678', itemId: '412' } };
    await expect(publishAnswer(connector, answer, privateMessage, 'Ответ', 'Ответ')).resolves.toMatchObject({ outcome: 'no-technical-possibility', errors: [{ code: 403 }] });
  });
});

// Last in the file, so it sees every request the tests above made.
describe('Telegram requests use documented parameters', () => {
  it('api.json lists every field the connector sent in this file', () => {
    expect([...seenMethods].sort()).toEqual(['getMe', 'getUpdates', 'sendMessage']);
    expect(paramProblems).toEqual([]);
    expect(undocumentedTelegramParams('sendMessage', { chat_id: '1', reply_to_message: '2' })).toEqual(['reply_to_message']);
  });
});
