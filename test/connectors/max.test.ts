import { describe, it, expect, afterEach, beforeAll, afterAll } from '@jest/globals';
import nock from 'nock';
import { inspect } from 'node:util';
import { MaxClient } from '../../connectors/max/client.js';
import { MaxConnector, MAX_MARKER_JUMP, splitText } from '../../connectors/max/connector.js';
import { MaxApiError, decideMax } from '../../connectors/max/errors.js';
import { ApiError, CONFIG, PERMANENT, RETRY, TransportError, rateLimited } from '../../connectors/errors.js';
import { GaveUp } from '../../connectors/retry.js';
import { unthrottled } from '../../connectors/throttle.js';
import { MemoryAttemptLog } from '../../connectors/connector.js';
import { publishAnswer, NO_TECHNICAL_POSSIBILITY } from '../../connectors/publish.js';
import type { OutgoingFile } from '../../connectors/attachments.js';
import type { NormalizedMessage } from '../../connectors/types.js';
import { checkMaxMethod, maxFixture, maxMethodParams } from './support/max-schema.js';
import { testRetry } from './support/fast.js';

const TOKEN = 'f9LHodD0cOKdUjL1D2ZCk-HK2Z1YtX0bHrRJw1zcDsL4nG7cLQpm_TESTONLY';
const API = 'https://platform-api2.max.ru';
const NOW = new Date('2025-11-24T10:00:00Z');
const CHANNEL = '-70801090403050';
const CITY = '-70801090411122';
const POST = 'mid.ffffbdb48e6c3775019d496b34390001';
type Rec = Record<string, unknown>;

function setup(timeoutMs = 2_000) {
  const { retry, delaysMs } = testRetry();
  const client = new MaxClient({ token: TOKEN, throttle: unthrottled(), retry, timeoutMs, longPollWaitSec: 0 });
  const attempts = new MemoryAttemptLog();
  const connector = new MaxConnector({ accountId: 'okha-max', client, attempts, discussionChatIds: [], keywords: ['администрац', 'Охинский'], now: () => NOW });
  return { client, connector, attempts, delaysMs };
}

/** Every request a test lets through must use only the query parameters and body fields MAX's schema lists for its method. */
const problems: string[] = [];
const seen = new Set<string>();
function maxApi(): nock.Scope {
  return nock(API, { reqheaders: { authorization: TOKEN } }).on('request', (req: { method: string; path: string }, _interceptor: unknown, body: string) => {
    const url = new URL(req.path, API);
    const verb = req.method.toLowerCase() as 'get' | 'post';
    const path = url.pathname.replace(/\/mid\.[\w-]+/, '/{messageId}').replace(/^\/videos\/[\w-]+$/, '/videos/{videoToken}');
    seen.add(`${req.method} ${path}`);
    const documented = maxMethodParams(verb, path);
    problems.push(...[...url.searchParams.keys()].filter((name) => !documented.includes(name)).map((name) => `${req.method} ${path}: ?${name}`));
    if (verb === 'post' && body !== '') problems.push(...checkMaxMethod('post', path, 'request', JSON.parse(body) as unknown));
  });
}
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('MAX fetch and normalize', () => {
  it('reads private messages, channel comments and keyword mentions; skips the channel\'s post, small talk and bots', async () => {
    maxApi().get('/updates').query({ types: 'message_created,comment_created', limit: '100', timeout: '0', marker: '40150' }).reply(200, maxFixture('updates.json') as object);
    const { connector } = setup();
    const batch = await connector.fetchSince({ marker: 40150 });
    expect(batch.rejected).toEqual([]);
    expect(batch.cursor).toEqual({ marker: 40163 });
    expect(batch.requests).toBe(1);
    expect(batch.more).toBe(false);
    expect(batch.messages.map((m) => [m.externalId, m.kind, m.author.name])).toEqual([
      ['mid.ffffbdb48e6c3775019d496b34394b84', 'private', 'Наталья Кузнецова'],
      ['mid.ffffbdb48e6c3775019d496b34390002', 'comment', 'Виктор'],
      ['mid.ffffbdb48e6c3775019d496b34390003', 'comment', 'Тамара Гусева'],
      ['mid.ffffbdb48e6c3775019d496b34390004', 'mention', 'Сергей Иванов'],
      ['mid.ffffbdb48e6c3775019d496b34390007', 'private', 'Сергей Иванов'],
    ]);
    const [dialog, comment, reply, mention, files] = batch.messages as [NormalizedMessage, NormalizedMessage, NormalizedMessage, NormalizedMessage, NormalizedMessage];
    expect(dialog.place).toEqual({ containerId: '93210000102', itemId: 'mid.ffffbdb48e6c3775019d496b34394b84' });
    expect(dialog.author).toEqual({ id: '210000102', name: 'Наталья Кузнецова', profileUrl: 'https://max.ru/n_kuznetsova', anonymous: false });
    expect(dialog.createdAt).toEqual(new Date(1763977800000));
    expect(dialog.attachments).toEqual([{ type: 'photo', url: 'https://i.oneme.ru/i?r=BTGBPUwtwgYUeoFhO7rESmr8ZcZqxrGOGyH4-Ft0uYk' }]);
    expect(comment.place).toEqual({ containerId: CHANNEL, postId: POST, itemId: 'mid.ffffbdb48e6c3775019d496b34390002' });
    expect(reply.place).toMatchObject({ postId: POST, replyToId: 'mid.ffffbdb48e6c3775019d496b34390002', replyToAuthorId: '210000103' });
    expect(mention.place).toMatchObject({ containerId: CITY, url: 'https://max.ru/okha_city/AZqP0004' });
    expect(mention.matchedKeywords).toEqual(['администрац']);
    expect(files.attachments).toEqual([
      { type: 'video', url: 'max-video:vT0kEn_3Rarhcf1PtlMXy8jpgie8Ai' },
      { type: 'document', url: 'https://fd.oneme.ru/getfile?id=9001&sig=aBcD' },
      { type: 'other', url: 'geo:53.5739,142.9478' },
    ]);
  });

  it('every message of the administration\'s own group chat is a comment', async () => {
    maxApi().get('/updates').query(true).reply(200, maxFixture('updates.json') as object);
    const { client, attempts } = setup();
    const connector = new MaxConnector({ accountId: 'okha-max', client, attempts, discussionChatIds: [CITY], keywords: [], now: () => NOW });
    const batch = await connector.fetchSince({ marker: 40150 });
    expect(batch.messages.filter((m) => m.place.containerId === CITY).map((m) => [m.kind, m.text])).toEqual([
      ['comment', 'Яма на перекрёстке Гагарина и Школьной, администрация, вы ремонтировать будете?'],
      ['comment', 'Кто-нибудь знает, аптека на Ленина работает в воскресенье?'],
    ]);
  });

  it('asks without a marker on the first run and keeps MAX\'s marker', async () => {
    maxApi().get('/updates').query((query) => query.marker === undefined && query.timeout === '0').reply(200, maxFixture('updates.empty.json') as object);
    const { connector } = setup();
    await expect(connector.fetchSince(null)).resolves.toMatchObject({ messages: [], cursor: { marker: 40163 }, more: false });
  });

  it('sets malformed updates and unknown kinds aside and keeps the rest', async () => {
    const updates = (maxFixture('updates.json') as { updates: Rec[] }).updates;
    const noRecipient = structuredClone(updates[0]!) as { message: Rec };
    delete noRecipient.message.recipient;
    const future = structuredClone(updates[2]!) as { message: Rec };
    future.message.timestamp = NOW.getTime() + 2 * 86_400_000;
    maxApi().get('/updates').query(true).reply(200, { updates: [noRecipient, { update_type: 'bot_started', timestamp: 1763977800000, chat_id: 93210000102, user: {} }, { timestamp: 5 }, future, updates[0]], marker: 40170 });
    const { connector } = setup();
    const batch = await connector.fetchSince({ marker: 40160 });
    expect(batch.messages.map((m) => m.externalId)).toEqual(['mid.ffffbdb48e6c3775019d496b34394b84']);
    expect(batch.rejected.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^message: recipient/), 'unknown update kind bot_started', expect.stringMatching(/^update: update_type/), expect.stringMatching(/more than a day ahead/),
    ]);
    expect(batch.cursor).toEqual({ marker: 40170 });
  });

  it('a full page means more is waiting', async () => {
    maxApi().get('/updates').query((query) => query.limit === '2').reply(200, { updates: (maxFixture('updates.json') as { updates: unknown[] }).updates.slice(0, 2), marker: 40152 });
    const { client, attempts } = setup();
    const connector = new MaxConnector({ accountId: 'okha-max', client, attempts, discussionChatIds: [], keywords: [], now: () => NOW, batchSize: 2 });
    await expect(connector.fetchSince({ marker: 40150 })).resolves.toMatchObject({ more: true, cursor: { marker: 40152 } });
  });
});

describe('MAX marker guard', () => {
  const answer = (marker: unknown) => ({ ...(maxFixture('updates.json') as Rec), marker });

  it.each([
    ['backwards', 40100, 'backwards'],
    ['too far ahead', 40150 + MAX_MARKER_JUMP + 1, 'jump'],
    ['beyond 2^53', 2 ** 53 + 2, 'type'],
    ['not a number', 'x40163', 'type'],
  ])('a marker %s is refused once: the cursor stays, the messages are still stored', async (_what, marker, rule) => {
    maxApi().get('/updates').query(true).times(2).reply(200, answer(marker));
    const { connector } = setup();
    const first = await connector.fetchSince({ marker: 40150 });
    expect(first.messages).toHaveLength(5);
    expect(first.refused?.map((r) => [r.field, r.rule, r.current])).toEqual([['marker', rule, 40150]]);
    expect(first.rejected.map((r) => r.reason)).toEqual([expect.stringMatching(/refused marker .* the cursor stays where it was/)]);
    expect(first.cursor).toEqual({ marker: 40150, refusedMarker: marker });
    // Offered again: logged again (refused), not set aside again.
    const second = await connector.fetchSince(connector.parseCursor(JSON.parse(JSON.stringify(first.cursor)) as unknown));
    expect(second.refused).toHaveLength(1);
    expect(second.rejected).toEqual([]);
    expect(second.cursor).toEqual(first.cursor);
  });

  it('without a stored marker only the type and range are checked; a stored cursor that breaks them reads as none', async () => {
    maxApi().get('/updates').query(true).reply(200, answer(987_654_321));
    const { connector } = setup();
    await expect(connector.fetchSince(null)).resolves.toMatchObject({ cursor: { marker: 987_654_321 } });
    expect(connector.parseCursor({ marker: -1 })).toBeNull();
    expect(connector.parseCursor({ marker: 2 ** 60 })).toBeNull();
    expect(connector.parseCursor({ marker: 40163 })).toEqual({ marker: 40163 });
  });
});

describe('MAX decisions', () => {
  const api = (status: number, key: string, retryAfterSec?: number) => new MaxApiError('POST /messages', status, key, 'x', retryAfterSec);
  it.each([
    [401, 'verify.token', undefined, CONFIG], [405, 'method.not.allowed', undefined, CONFIG],
    [429, 'too.many.requests', 7, rateLimited(7_000)], [429, 'too.many.requests', undefined, RETRY], [429, '', 3, rateLimited(3_000)],
    [400, 'attachment.not.ready', undefined, RETRY], [500, 'internal.error', undefined, RETRY], [503, 'service.unavailable', undefined, RETRY], [502, '', undefined, RETRY],
    [403, 'chat.denied', undefined, PERMANENT], [422, 'comments.timeout_exceeded', undefined, PERMANENT], [400, 'proto.payload', undefined, PERMANENT], [404, 'not.found', undefined, PERMANENT],
  ] as const)('%i %s (Retry-After %s) → %j', (status, key, after, decision) => {
    expect(decideMax(api(status, key, after))).toEqual(decision);
  });

  it('a hint beyond an hour is clamped and marked; an error keeps the key in its record', () => {
    expect(decideMax(api(429, 'too.many.requests', 86_400))).toEqual({ kind: 'rate-limited', waitMs: 3_600_000, clamped: { rawSec: 86_400 } });
    expect(api(403, 'chat.denied').toRecord()).toEqual({ network: 'max', method: 'POST /messages', code: 403, description: 'chat.denied: x' });
    expect(api(403, 'chat.denied')).toBeInstanceOf(ApiError);
  });
});

describe('MAX faults on the wire', () => {
  const me = () => maxApi().get('/me');
  const bot = { user_id: 590000001, first_name: 'Администрация Охи', is_bot: true, last_activity_time: 1763978000000 };
  const getMe = (client: MaxClient) => client.call('GET /me', (api) => api.getMyInfo());

  it('429 waits Retry-After exactly, then the backoff starts over', async () => {
    me().reply(429, maxFixture('error.429.json') as object, { 'retry-after': '7' });
    me().reply(503, maxFixture('error.503.json') as object);
    me().reply(200, bot);
    const { client, delaysMs } = setup();
    await expect(getMe(client)).resolves.toMatchObject({ user_id: 590000001 });
    expect(delaysMs).toEqual([7_000, 100]);
  });

  it('a 502 page, a reset connection and a broken JSON body are retried the 1st, 2nd and 3rd time', async () => {
    me().reply(502, '<html><body>502 Bad Gateway</body></html>', { 'content-type': 'text/html' });
    me().replyWithError({ code: 'ECONNRESET', message: 'read ECONNRESET' });
    me().reply(200, '{"user_id":590000001,', { 'content-type': 'application/json' });
    me().reply(200, bot);
    const { client, delaysMs } = setup();
    await expect(getMe(client)).resolves.toMatchObject({ first_name: 'Администрация Охи' });
    expect(delaysMs).toEqual([100, 200, 400]);
  });

  it('a 429 page without an envelope still waits its Retry-After', async () => {
    me().reply(429, 'Too Many Requests', { 'retry-after': '2', 'content-type': 'text/plain' });
    me().reply(200, bot);
    const { client, delaysMs } = setup();
    await expect(getMe(client)).resolves.toMatchObject({ user_id: 590000001 });
    expect(delaysMs).toEqual([2_000]);
  });

  it('a timeout is retried', async () => {
    me().delay(300).reply(200, bot);
    me().reply(200, bot);
    const { client, delaysMs } = setup(50);
    await expect(getMe(client)).resolves.toMatchObject({ user_id: 590000001 });
    expect(delaysMs).toEqual([100]);
  });

  it('401 is a configuration error at once, without the token in the error or in inspect', async () => {
    me().reply(401, maxFixture('error.401.json') as object);
    const { client, delaysMs } = setup();
    const error = (await getMe(client).catch((caught: unknown) => caught)) as GaveUp;
    expect(error).toBeInstanceOf(GaveUp);
    expect(error.decision).toEqual(CONFIG);
    expect(error.error).toMatchObject({ code: 401, key: 'verify.token' });
    expect(delaysMs).toEqual([]);
    expect(inspect(error, { depth: 6 })).not.toContain('TESTONLY');
    expect(inspect(client)).toBe('MaxClient { token: [set] }');
  });

  it('the poll\'s 405 (a webhook is set) stops the account as misconfigured', async () => {
    maxApi().get('/updates').query(true).reply(405, { code: 'method.not.allowed', message: 'Long polling is not available while a webhook subscription is active' });
    const { connector } = setup();
    const error = (await connector.fetchSince(null).catch((caught: unknown) => caught)) as GaveUp;
    expect(error.decision).toEqual(CONFIG);
  });

  it('a body that is not an update list is a malformed answer', async () => {
    maxApi().get('/updates').query(true).reply(200, { result: [] });
    const { connector } = setup();
    await expect(connector.fetchSince(null)).rejects.toBeInstanceOf(TransportError);
  });
});

describe('MAX publish', () => {
  const base = { network: 'max', createdAt: NOW, matchedKeywords: [], raw: {}, attachments: [] } as const;
  const comment: NormalizedMessage = {
    ...base, externalId: 'mid.ffffbdb48e6c3775019d496b34390002', kind: 'comment',
    place: { containerId: CHANNEL, postId: POST, itemId: 'mid.ffffbdb48e6c3775019d496b34390002' },
    author: { id: '210000103', name: 'Виктор', anonymous: false }, text: 'А в выходные автобус будет ходить?',
  };
  const mention: NormalizedMessage = {
    ...base, externalId: 'mid.ffffbdb48e6c3775019d496b34390004', kind: 'mention',
    place: { containerId: CITY, itemId: 'mid.ffffbdb48e6c3775019d496b34390004' },
    author: { id: '210000107', name: 'Сергей Иванов', anonymous: false }, text: 'Яма на перекрёстке',
  };
  const dialog: NormalizedMessage = {
    ...base, externalId: 'mid.ffffbdb48e6c3775019d496b34394b84', kind: 'private',
    place: { containerId: '93210000102', itemId: 'mid.ffffbdb48e6c3775019d496b34394b84' },
    author: { id: '210000102', name: 'Наталья Кузнецова', anonymous: false }, text: 'Нет воды',
  };
  const answer = { answerId: 'answer-77' };
  const sendTo = (query: Record<string, string>) => maxApi().post('/messages').query(query);
  const commentUnder = () => maxApi().post(`/messages/${POST}/comments`);
  const photo: OutgoingFile = { kind: 'photo', fileName: 'яма.jpg', contentType: 'image/jpeg', data: Buffer.from('jpeg-bytes') };

  it('replies in the same chat with a reply link', async () => {
    sendTo({ chat_id: CITY }).reply(200, (_uri, body) => {
      expect(body).toEqual({ text: 'Здравствуйте! Ремонт ямы включён в план на эту неделю.', link: { type: 'reply', mid: mention.place.itemId } });
      return maxFixture('messages.send.json') as object;
    });
    const { connector, attempts } = setup();
    await expect(connector.reply(answer, mention, 'Здравствуйте! Ремонт ямы включён в план на эту неделю.')).resolves.toEqual({ status: 'published', externalId: 'mid.ffffbdb48e6c3775019d496b34390101', recovered: false });
    expect([...attempts.attempts.values()]).toEqual([expect.objectContaining({ answerId: 'answer-77', network: 'max', target: `chat:${CITY}:reply:${mention.place.itemId}`, externalId: 'mid.ffffbdb48e6c3775019d496b34390101' })]);
  });

  it('answers a channel comment under the same post, as a reply to it', async () => {
    commentUnder().reply(200, (_uri, body) => {
      expect(body).toEqual({ text: 'Здравствуйте, Виктор!', link: { type: 'reply', mid: comment.place.itemId } });
      return maxFixture('comments.send.json') as object;
    });
    const { connector } = setup();
    await expect(connector.reply(answer, comment, 'Здравствуйте, Виктор!')).resolves.toMatchObject({ status: 'published', externalId: 'mid.ffffbdb48e6c3775019d496b34390103' });
  });

  it('answers a private message in its dialog', async () => {
    sendTo({ chat_id: '93210000102' }).reply(200, maxFixture('messages.send.private.json') as object);
    const { connector } = setup();
    await expect(publishAnswer(connector, answer, dialog, 'Ответ', 'Ответ')).resolves.toMatchObject({ outcome: 'published-private', externalId: 'mid.ffffbdb48e6c3775019d496b34390102' });
  });

  it('after a crash following the send, the recorded id is returned and nothing is sent again', async () => {
    sendTo({ chat_id: CITY }).reply(200, maxFixture('messages.send.json') as object);
    const { connector } = setup();
    await connector.reply(answer, mention, 'Ответ');
    await expect(connector.reply(answer, mention, 'Ответ')).resolves.toEqual({ status: 'published', externalId: 'mid.ffffbdb48e6c3775019d496b34390101', recovered: true });
  });

  it('a timeout on send is not repeated; the next try reads the chat back and finds it', async () => {
    const text = 'Здравствуйте! Ремонт ямы включён в план на эту неделю.';
    sendTo({ chat_id: CITY }).delay(300).reply(200, maxFixture('messages.send.json') as object);
    maxApi().get('/messages').query({ chat_id: CITY, count: '50' }).reply(200, maxFixture('messages.list.json') as object);
    const { client, attempts } = setup(50);
    const connector = new MaxConnector({ accountId: 'okha-max', client, attempts, discussionChatIds: [], keywords: [], now: () => new Date(1763978090000) });
    await expect(connector.reply(answer, mention, text)).resolves.toMatchObject({ status: 'retryable' });
    await expect(connector.reply(answer, mention, text)).resolves.toEqual({ status: 'published', externalId: 'mid.ffffbdb48e6c3775019d496b34390101', recovered: true });
  });

  it('when the read-back finds nothing, the answer is sent once more', async () => {
    sendTo({ chat_id: CITY }).delay(300).reply(200, maxFixture('messages.send.json') as object);
    maxApi().get('/messages').query(true).reply(200, { messages: [] });
    sendTo({ chat_id: CITY }).reply(200, maxFixture('messages.send.json') as object);
    const { connector } = setup(50);
    await expect(connector.reply(answer, mention, 'Ответ')).resolves.toMatchObject({ status: 'retryable' });
    await expect(connector.reply(answer, mention, 'Ответ')).resolves.toMatchObject({ status: 'published', recovered: false });
  });

  it('a private message to a user by id has no chat to read back: an interrupted one is uncertain', async () => {
    maxApi().post('/messages').query({ user_id: '210000103' }).delay(300).reply(200, maxFixture('messages.send.private.json') as object);
    const { connector, delaysMs } = setup(50);
    await expect(connector.sendPrivate(answer, comment.author, 'Ответ')).resolves.toMatchObject({ status: 'uncertain' });
    await expect(connector.sendPrivate(answer, comment.author, 'Ответ')).resolves.toMatchObject({ status: 'uncertain' });
    expect(delaysMs).toEqual([]);
  });

  it('a 429 on send waits and sends once', async () => {
    sendTo({ chat_id: CITY }).reply(429, maxFixture('error.429.json') as object, { 'retry-after': '3' });
    sendTo({ chat_id: CITY }).reply(200, maxFixture('messages.send.json') as object);
    const { connector, delaysMs } = setup();
    await expect(connector.reply(answer, mention, 'Ответ')).resolves.toMatchObject({ status: 'published' });
    expect(delaysMs).toEqual([3_000]);
  });

  it('a refused comment → the private message to the author', async () => {
    commentUnder().reply(403, maxFixture('error.403.chat-denied.json') as object);
    maxApi().post('/messages').query({ user_id: '210000103' }).reply(200, (_uri, body) => {
      expect(body).toEqual({ text: 'Ответ. Вы также можете написать нам в официальные аккаунты.' });
      return maxFixture('messages.send.private.json') as object;
    });
    const { connector } = setup();
    const outcome = await publishAnswer(connector, answer, comment, 'Ответ', 'Ответ. Вы также можете написать нам в официальные аккаунты.');
    expect(outcome).toMatchObject({ outcome: 'published-private', externalId: 'mid.ffffbdb48e6c3775019d496b34390102', errors: [{ network: 'max', method: 'POST /messages/{messageId}/comments', code: 403, description: expect.stringMatching(/^chat\.denied: /) }] });
  });

  it('neither possible → «Готово» with the regulation\'s reason, and no attempt left behind', async () => {
    sendTo({ chat_id: CITY }).reply(403, maxFixture('error.403.chat-denied.json') as object);
    maxApi().post('/messages').query({ user_id: '210000107' }).reply(403, maxFixture('error.403.chat-denied.json') as object);
    const { connector, attempts } = setup();
    const outcome = await publishAnswer(connector, answer, mention, 'Ответ', 'Ответ');
    expect(outcome).toMatchObject({ outcome: 'no-technical-possibility', reason: NO_TECHNICAL_POSSIBILITY, errors: [{ code: 403 }, { code: 403 }] });
    expect(attempts.attempts.size).toBe(0);
  });

  it('a photo is uploaded and sent as an image with the text; a video waits until MAX has processed it', async () => {
    const video: OutgoingFile = { kind: 'video', fileName: 'ремонт.mp4', contentType: 'video/mp4', data: Buffer.from('mp4-bytes') };
    maxApi().post('/uploads').query({ type: 'image' }).reply(200, maxFixture('uploads.image.json') as object);
    nock('https://iu.okcdn.ru').post('/uploadImage').query(true).reply(200, (_uri, body) => {
      expect(String(body)).toMatch(/name="data"; filename="яма.jpg"/);
      return maxFixture('upload.image.answer.json') as object;
    });
    maxApi().post('/uploads').query({ type: 'video' }).reply(200, maxFixture('uploads.video.json') as object);
    nock('https://vu.okcdn.ru').post('/upload.do').query(true).reply(200, '<retval>1</retval>', { 'content-type': 'text/xml' });
    sendTo({ chat_id: CITY }).reply(400, maxFixture('error.400.attachment-not-ready.json') as object);
    sendTo({ chat_id: CITY }).reply(200, (_uri, body) => {
      expect(body).toEqual({
        text: 'Ответ с фото',
        attachments: [
          { type: 'image', payload: maxFixture('upload.image.answer.json') },
          { type: 'video', payload: { token: (maxFixture('uploads.video.json') as { token: string }).token } },
        ],
        link: { type: 'reply', mid: mention.place.itemId },
      });
      return maxFixture('messages.send.json') as object;
    });
    const { connector, delaysMs } = setup();
    await expect(connector.reply(answer, mention, 'Ответ с фото', [photo, video])).resolves.toMatchObject({ status: 'published', recovered: false });
    expect(delaysMs).toEqual([100]);
  });

  it('a document goes in a message of its own, after the text', async () => {
    const act: OutgoingFile = { kind: 'document', fileName: 'акт.pdf', contentType: 'application/pdf', data: Buffer.from('%PDF-1.4') };
    sendTo({ chat_id: CITY }).reply(200, (_uri, body) => {
      expect(body).toEqual({ text: 'Ответ', link: { type: 'reply', mid: mention.place.itemId } });
      return maxFixture('messages.send.json') as object;
    });
    maxApi().post('/uploads').query({ type: 'file' }).reply(200, maxFixture('uploads.file.json') as object);
    nock('https://fu.okcdn.ru').post('/upload.do').query(true).reply(200, maxFixture('upload.file.answer.json') as object);
    sendTo({ chat_id: CITY }).reply(200, (_uri, body) => {
      expect(body).toEqual({ attachments: [{ type: 'file', payload: maxFixture('upload.file.answer.json') }] });
      return { message: { ...(maxFixture('messages.send.json') as { message: Rec }).message, body: { mid: 'mid.ffffbdb48e6c3775019d496b34390199', seq: 1, text: null } } };
    });
    const { connector, attempts } = setup();
    await expect(connector.reply(answer, mention, 'Ответ', [act])).resolves.toEqual({ status: 'published', externalId: 'mid.ffffbdb48e6c3775019d496b34390101', recovered: false });
    expect([...attempts.attempts.values()].map((a) => [a.target, a.externalId])).toEqual([
      [`chat:${CITY}:reply:${mention.place.itemId}`, 'mid.ffffbdb48e6c3775019d496b34390101'],
      [`chat:${CITY}:reply:${mention.place.itemId}:part:1`, 'mid.ffffbdb48e6c3775019d496b34390199'],
    ]);
  });

  it('a comment takes no files: they come back undelivered, links are written under the text', async () => {
    commentUnder().reply(200, (_uri, body) => {
      expect(body).toEqual({ text: 'Ответ\n\nhttps://okha.ru/raspisanie', link: { type: 'reply', mid: comment.place.itemId } });
      return maxFixture('comments.send.json') as object;
    });
    const { connector } = setup();
    await expect(connector.reply(answer, comment, 'Ответ', [photo, { type: 'link', url: 'https://okha.ru/raspisanie' }])).resolves.toMatchObject({
      status: 'published', undelivered: [{ name: 'яма.jpg', reason: expect.stringMatching(/comments take no attachments/) }],
    });
  });

  it('a text over 4,000 characters goes in parts, each its own attempt', async () => {
    const long = `${'Первый абзац ответа. '.repeat(150)}\n${'Второй абзац ответа. '.repeat(100)}`;
    const parts = splitText(long, 4000);
    expect(parts.length).toBe(2);
    expect(parts.every((part) => part.length <= 4000)).toBe(true);
    sendTo({ chat_id: CITY }).reply(200, (_uri, body) => {
      expect(body).toMatchObject({ text: parts[0], link: { type: 'reply' } });
      return maxFixture('messages.send.json') as object;
    });
    sendTo({ chat_id: CITY }).reply(200, (_uri, body) => {
      expect(body).toEqual({ text: parts[1] });
      return maxFixture('messages.send.json') as object;
    });
    const { connector, attempts } = setup();
    await expect(connector.reply(answer, mention, long)).resolves.toMatchObject({ status: 'published' });
    expect(attempts.attempts.size).toBe(2);
  });
});

describe('MAX incoming attachments for staff', () => {
  it('an image from MAX\'s file host; nothing from another host', async () => {
    nock('https://i.oneme.ru').get('/i').query(true).reply(200, Buffer.from('jpeg'), { 'content-type': 'image/jpeg' });
    const { connector } = setup();
    await expect(connector.fetchAttachment({ type: 'photo', url: 'https://i.oneme.ru/i?r=BTGBPUwtwg' })).resolves.toMatchObject({ contentType: 'image/jpeg', data: Buffer.from('jpeg') });
    await expect(connector.fetchAttachment({ type: 'photo', url: 'http://169.254.169.254/latest/meta-data' })).rejects.toThrow(/not a file on MAX's file hosts/);
  });

  it('a video through GET /videos/{token}, its largest MP4', async () => {
    maxApi().get('/videos/vT0kEn_3Rarhcf1PtlMXy8jpgie8Ai').reply(200, maxFixture('videos.details.json') as object);
    nock('https://vd.okcdn.ru').get('/').query((query) => query.type === '3').reply(200, Buffer.from('mp4'), { 'content-type': 'video/mp4' });
    const { connector } = setup();
    await expect(connector.fetchAttachment({ type: 'video', url: 'max-video:vT0kEn_3Rarhcf1PtlMXy8jpgie8Ai' })).resolves.toMatchObject({ contentType: 'video/mp4', data: Buffer.from('mp4') });
  });
});

// Last in the file, so it sees every request the tests above made.
describe('MAX requests use documented parameters', () => {
  it('the schema lists every query parameter and body field the connector sent in this file', () => {
    expect([...seen].sort()).toEqual(['GET /me', 'GET /messages', 'GET /updates', 'GET /videos/{videoToken}', 'POST /messages', 'POST /messages/{messageId}/comments', 'POST /uploads']);
    expect(problems).toEqual([]);
  });
});
