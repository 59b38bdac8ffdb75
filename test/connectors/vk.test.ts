import { describe, it, expect, afterEach, beforeAll, afterAll } from '@jest/globals';
import nock from 'nock';
import { inspect } from 'node:util';
import { VkClient } from '../../connectors/vk/client.js';
import { VkConnector, vkRandomId, type VkCursor } from '../../connectors/vk/connector.js';
import { decideVk, VK_FLOOD_WAIT_MS, VK_TOO_MANY_WAIT_MS } from '../../connectors/vk/errors.js';
import { ApiError, CONFIG, PERMANENT, RETRY, rateLimited } from '../../connectors/errors.js';
import { GaveUp } from '../../connectors/retry.js';
import { unthrottled } from '../../connectors/throttle.js';
import { publishAnswer, NO_TECHNICAL_POSSIBILITY } from '../../connectors/publish.js';
import type { NormalizedMessage } from '../../connectors/types.js';
import { fixture, undocumentedVkParams } from './support/reference.js';
import { testRetry } from './support/fast.js';

const TOKEN = 'vk1.a.community-token-for-tests';
const GROUP_ID = 218475963;
const API = 'https://api.vk.ru';
const LP = 'https://lp.vk.com';
type Form = Record<string, string>;

function setup(timeoutMs = 2_000) {
  const { retry, delaysMs } = testRetry();
  const client = new VkClient({ token: TOKEN, tokenKind: 'community', throttle: unthrottled(), retry, timeoutMs });
  const connector = new VkConnector({ accountId: 'okha-vk', groupId: GROUP_ID, client, keywords: ['администрац', 'вод', 'ям'], now: () => new Date('2025-11-24T10:00:00Z') });
  return { client, connector, delaysMs };
}

const cursor: VkCursor = { server: `${LP}/whp/218475963`, key: 'k1', ts: '1042', mentionsSinceSec: 1763970000, mentionsCheckedAtSec: 1763970000, lastEventSec: 1763970000 };

/** Every VK method call a test lets through must use only parameters methods.json lists. */
const paramProblems: string[] = [];
const seenMethods = new Set<string>();
/** nock(API) with a listener on what each intercepted request sent. */
function vkApi(): nock.Scope {
  return nock(API).on('request', (req: { path: string }, _interceptor: unknown, body: string) => {
    const method = /^\/method\/([\w.]+)/.exec(req.path)?.[1];
    if (method === undefined) return;
    seenMethods.add(method);
    paramProblems.push(...undocumentedVkParams(method, Object.fromEntries(new URLSearchParams(body))).map((name) => `${method}: ${name}`));
  });
}

const vkLp = () => nock(LP).get('/whp/218475963');

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('VK fetch and normalize', () => {
  it('starts from now on the first run: only the Long Poll server is asked', async () => {
    vkApi().post('/method/groups.getLongPollServer', (body: Form) => body.group_id === String(GROUP_ID) && body.access_token === TOKEN && body.v === '5.199')
      .reply(200, fixture('vk', 'groups.getLongPollServer.json') as object);
    const { connector } = setup();
    const batch = await connector.fetchSince(null);
    expect(batch.messages).toEqual([]);
    expect(batch.cursor).toMatchObject({ server: 'https://lp.vk.com/whp/218475963', ts: '1042' });
    expect(batch.requests).toBe(1);
  });

  it('turns Long Poll events into comments and private messages, skipping our own replies', async () => {
    nock(LP).get('/whp/218475963').query({ act: 'a_check', key: 'k1', ts: '1042', wait: '25' }).reply(200, fixture('vk', 'longpoll.updates.json') as object);
    vkApi().post('/method/users.get', (body: Form) => body.user_ids === '512340987,608112233').reply(200, fixture('vk', 'users.get.json') as object);
    const { connector } = setup();
    const batch = await connector.fetchSince(cursor);
    expect(batch.rejected).toEqual([]);
    expect(batch.requests).toBe(2);
    expect(batch.cursor.ts).toBe('1046');
    expect(batch.messages.map((m) => [m.externalId, m.kind, m.author.name])).toEqual([
      ['comment:-218475963_5821', 'comment', 'Ольга Смирнова'],
      ['comment:-218475963_5824', 'comment', 'Игорь Петров'],
      ['message:512340987_31', 'private', 'Ольга Смирнова'],
    ]);
    const [first, reply, privateMessage] = batch.messages as [NormalizedMessage, NormalizedMessage, NormalizedMessage];
    expect(first.place).toEqual({ containerId: '-218475963', postId: '1377', itemId: '5821', url: 'https://vk.com/wall-218475963_1377?reply=5821' });
    expect(first.matchedKeywords).toEqual(['вод']);
    expect(first.createdAt.toISOString()).toBe('2025-11-24T08:00:00.000Z');
    expect(reply.place.threadId).toBe('5821');
    expect(reply.attachments).toEqual([{ type: 'photo', url: 'https://sun9-1.userapi.com/impg/podval_604.jpg' }]);
    expect(privateMessage.place).toEqual({ containerId: '512340987', itemId: '902' });
    expect(privateMessage.author).toEqual({ id: '512340987', name: 'Ольга Смирнова', profileUrl: 'https://vk.com/id512340987', anonymous: false });
    expect(privateMessage.matchedKeywords).toEqual(['ям']);
  });

  it('sets malformed events and unknown kinds aside and keeps the rest of the batch', async () => {
    const good = (fixture('vk', 'longpoll.updates.json') as { updates: unknown[] }).updates[0];
    const noText = structuredClone(good) as { object: Record<string, unknown> };
    delete noText.object.text;
    const wrongType = structuredClone(good) as { object: Record<string, unknown> };
    wrongType.object.id = 'пятьсот';
    nock(LP).get('/whp/218475963').query(true).reply(200, { ts: '1050', updates: [noText, good, wrongType, { type: 'market_order_new', object: {}, group_id: GROUP_ID, event_id: 'e', v: '5.199' }, 'мусор'] });
    vkApi().post('/method/users.get').reply(200, fixture('vk', 'users.get.json') as object);
    const { connector } = setup();
    const batch = await connector.fetchSince(cursor);
    expect(batch.messages.map((m) => m.externalId)).toEqual(['comment:-218475963_5821']);
    expect(batch.rejected.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^wall_reply_new: text/),
      expect.stringMatching(/^wall_reply_new: id/),
      'unknown event type market_order_new',
      expect.stringMatching(/^event: /),
    ]);
    expect(batch.rejected[0]!.raw).toEqual(noText);
    expect(batch.cursor.ts).toBe('1050');
  });

  it('Long Poll failed 2 renews the key and keeps ts', async () => {
    vkLp().query(true).reply(200, { failed: 2 });
    vkApi().post('/method/groups.getLongPollServer').reply(200, fixture('vk', 'groups.getLongPollServer.json') as object);
    const { connector } = setup();
    const renewed = await connector.fetchSince(cursor);
    expect(renewed.cursor).toMatchObject({ key: '8a1c6f0d5b2e4a7c9d3f1e2b4c6a8d0e1f3a5b7c', ts: '1042' });
    expect(renewed.messages).toEqual([]);
  });

  it('Long Poll failed 1 (history lost) reads back the latest posts\' comments and unanswered conversations', async () => {
    vkLp().query(true).reply(200, { failed: 1, ts: 1200 });
    vkApi().post('/method/wall.get', (body: Form) => body.domain === `club${GROUP_ID}` && body.count === '20').reply(200, fixture('vk', 'wall.get.json') as object);
    vkApi().post('/method/wall.getComments', (body: Form) => body.post_id === '1377' && body.owner_id === `-${GROUP_ID}` && body.sort === 'desc')
      .reply(200, fixture('vk', 'wall.getComments.json') as object);
    vkApi().post('/method/messages.getConversations', (body: Form) => body.filter === 'unanswered').reply(200, fixture('vk', 'messages.getConversations.json') as object);
    vkApi().post('/method/users.get').reply(200, fixture('vk', 'users.get.json') as object);
    const { connector } = setup();
    const batch = await connector.fetchSince(cursor);
    expect(batch.messages.map((m) => [m.externalId, m.kind, m.author.name])).toEqual([
      ['comment:-218475963_5821', 'comment', 'Ольга Смирнова'],
      ['comment:-218475963_5824', 'comment', 'Игорь Петров'],
      ['message:512340987_31', 'private', 'Ольга Смирнова'],
    ]);
    // The same externalIds as the Long Poll events, so what was already stored is not stored twice.
    expect(batch.cursor).toMatchObject({ ts: '1200', lastEventSec: 1763971800 });
    expect(batch.rejected.map((r) => r.reason)).toEqual([expect.stringMatching(/^long poll events lost; read back 2 comments .* and 1 last messages/)]);
    expect(batch.requests).toBe(5);
  });

  it('finds mentions with newsfeed.search through the user token, not the community\'s own posts', async () => {
    const { retry } = testRetry();
    const searchClient = new VkClient({ token: 'vk1.a.user-token-for-search', tokenKind: 'user', throttle: unthrottled(), retry });
    const client = new VkClient({ token: TOKEN, tokenKind: 'community', throttle: unthrottled(), retry });
    const connector = new VkConnector({ accountId: 'okha-vk', groupId: GROUP_ID, client, searchClient, keywords: ['Администрация Охинского'], now: () => new Date(1763975000 * 1000), mentionsIntervalSec: 60 });
    nock(LP).get('/whp/218475963').query(true).reply(200, { ts: '1043', updates: [] });
    vkApi().post('/method/newsfeed.search', (body: Form) => body.access_token === 'vk1.a.user-token-for-search' && body.q === 'Администрация Охинского' && body.start_time === '1763970000')
      .reply(200, fixture('vk', 'newsfeed.search.json') as object);
    vkApi().post('/method/users.get', (body: Form) => body.user_ids === '377201455').reply(200, { response: [{ id: 377201455, first_name: 'Марина', last_name: 'Белова' }] });
    const batch = await connector.fetchSince(cursor);
    expect(batch.messages.map((m) => [m.externalId, m.kind, m.author.name, m.matchedKeywords])).toEqual([['post:377201455_9911', 'mention', 'Марина Белова', ['Администрация Охинского']]]);
    expect(batch.cursor.mentionsSinceSec).toBe(1763972101);
    expect(batch.requests).toBe(3);
  });
});

describe('VK decisions', () => {
  const api = (code: number) => new ApiError('vk', 'wall.createComment', code, 'x');
  it.each([
    [1, RETRY], [10, RETRY],
    [6, rateLimited(VK_TOO_MANY_WAIT_MS)], [9, rateLimited(VK_FLOOD_WAIT_MS)],
    [5, CONFIG], [27, CONFIG], [28, CONFIG],
    [15, PERMANENT], [18, PERMANENT], [30, PERMANENT], [203, PERMANENT], [212, PERMANENT], [213, PERMANENT],
    [900, PERMANENT], [901, PERMANENT], [902, PERMANENT],
  ] as const)('error %i → %j', (code, decision) => {
    expect(decideVk(api(code))).toEqual(decision);
  });
});

describe('VK faults on the wire', () => {
  const users = () => vkApi().post('/method/users.get');

  it('error 6 waits 1 s, error 9 waits the flood window, then the call succeeds', async () => {
    users().reply(200, fixture('vk', 'error.6.json') as object);
    users().reply(200, fixture('vk', 'error.9.json') as object);
    users().reply(200, fixture('vk', 'users.get.json') as object);
    const { client, delaysMs } = setup();
    await expect(client.call('users.get', { user_ids: '1' })).resolves.toHaveLength(2);
    expect(delaysMs).toEqual([1_000, 60_000]);
  });

  it('a 5xx page, a reset connection and malformed JSON are retried with growing delays', async () => {
    users().reply(502, '<html><body>502 Bad Gateway</body></html>', { 'content-type': 'text/html' });
    users().replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    users().reply(200, '{"response": [', { 'content-type': 'application/json' });
    users().reply(200, fixture('vk', 'users.get.json') as object);
    const { client, delaysMs } = setup();
    await expect(client.call('users.get', {})).resolves.toHaveLength(2);
    expect(delaysMs).toEqual([100, 200, 400]);
  });

  it('a timeout is a transport error that is retried', async () => {
    users().delay(300).reply(200, fixture('vk', 'users.get.json') as object);
    users().reply(200, fixture('vk', 'users.get.json') as object);
    const { client, delaysMs } = setup(50);
    await expect(client.call('users.get', {})).resolves.toHaveLength(2);
    expect(delaysMs).toEqual([100]);
  });

  it('gives up after the third retry with the last transport error', async () => {
    users().times(4).reply(500, 'Internal Server Error');
    const { client, delaysMs } = setup();
    const error = await client.call('users.get', {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GaveUp);
    expect((error as GaveUp).error).toMatchObject({ name: 'TransportError', failure: 'malformed-body' });
    expect(delaysMs).toEqual([100, 200, 400]);
  });

  it('error 5 stops at once as a configuration error, and the token is nowhere in it', async () => {
    users().reply(200, { error: { error_code: 5, error_msg: `User authorization failed: invalid access_token (4). token=${TOKEN}`, request_params: [] } });
    const { client, delaysMs } = setup();
    const error = (await client.call('users.get', {}).catch((caught: unknown) => caught)) as GaveUp;
    expect(error.decision).toEqual(CONFIG);
    expect(delaysMs).toEqual([]);
    expect(inspect(error, { depth: 5 })).not.toContain(TOKEN);
    expect(inspect(client)).toBe('VkClient { token: [set], tokenKind: community }');
  });
});

describe('VK publish', () => {
  const comment: NormalizedMessage = {
    network: 'vk', externalId: 'comment:-218475963_5821', kind: 'comment',
    place: { containerId: '-218475963', postId: '1377', itemId: '5821' },
    author: { id: '512340987', name: 'Ольга Смирнова', anonymous: false },
    text: 'Нет воды', attachments: [], createdAt: new Date(), matchedKeywords: [], raw: {},
  };
  const answer = { answerId: 'answer-6521' };

  it('replies in the comment thread with guid = the answer id', async () => {
    vkApi().post('/method/wall.createComment', (body: Form) => body.owner_id === '-218475963' && body.post_id === '1377' && body.reply_to_comment === '5821'
      && body.from_group === String(GROUP_ID) && body.guid === 'answer-6521' && body.message === 'Здравствуйте! Подачу воды восстановят до 18:00.\n\nhttps://okha.ru/photo.jpg')
      .reply(200, fixture('vk', 'wall.createComment.json') as object);
    const { connector } = setup();
    await expect(connector.reply(answer, comment, 'Здравствуйте! Подачу воды восстановят до 18:00.', [{ type: 'photo', url: 'https://okha.ru/photo.jpg' }]))
      .resolves.toEqual({ status: 'published', externalId: '5830', recovered: false });
  });

  it('answers a private message privately with random_id derived from the answer id', async () => {
    const expected = String(vkRandomId('answer-6521'));
    vkApi().post('/method/messages.send', (body: Form) => body.peer_id === '512340987' && body.random_id === expected && body.reply_to === '902')
      .reply(200, fixture('vk', 'messages.send.json') as object);
    const { connector } = setup();
    const privateMessage: NormalizedMessage = { ...comment, kind: 'private', externalId: 'message:512340987_31', place: { containerId: '512340987', itemId: '902' } };
    await expect(connector.reply(answer, privateMessage, 'Ответ')).resolves.toEqual({ status: 'published', externalId: '904', recovered: false });
    expect(vkRandomId('answer-6521')).toBe(vkRandomId('answer-6521'));
    expect(vkRandomId('answer-6521')).not.toBe(vkRandomId('answer-6522'));
  });

  it.each([212, 213, 203, 15])('public reply blocked by error %i → private message', async (code) => {
    vkApi().post('/method/wall.createComment').reply(200, fixture('vk', `error.${code}.json`) as object);
    vkApi().post('/method/messages.send', (body: Form) => body.user_id === '512340987' && body.random_id === String(vkRandomId('answer-6521:private')))
      .reply(200, fixture('vk', 'messages.send.json') as object);
    const { connector } = setup();
    const outcome = await publishAnswer(connector, answer, comment, 'Ответ', 'Ответ. Вы также можете написать в официальные аккаунты администрации.');
    expect(outcome).toMatchObject({ outcome: 'published-private', externalId: '904', errors: [{ network: 'vk', code, method: 'wall.createComment' }] });
  });

  it.each([900, 901, 902, 18, 30])('private message impossible (error %i) → reported for «Готово»', async (code) => {
    vkApi().post('/method/wall.createComment').reply(200, fixture('vk', 'error.212.json') as object);
    vkApi().post('/method/messages.send').reply(200, fixture('vk', `error.${code}.json`) as object);
    const { connector } = setup();
    const outcome = await publishAnswer(connector, answer, comment, 'Ответ', 'Ответ');
    expect(outcome).toEqual({ outcome: 'no-technical-possibility', reason: NO_TECHNICAL_POSSIBILITY, errors: [expect.objectContaining({ code: 212 }), expect.objectContaining({ code })] });
  });

  it('an anonymous author whose public reply is blocked is not written to', async () => {
    vkApi().post('/method/wall.createComment').reply(200, fixture('vk', 'error.213.json') as object);
    const { connector } = setup();
    const outcome = await publishAnswer(connector, answer, { ...comment, author: { id: '0', name: 'Аноним', anonymous: true } }, 'Ответ', 'Ответ');
    expect(outcome).toMatchObject({ outcome: 'no-technical-possibility', errors: [{ code: 213 }] });
  });

  it('flood control is a retryable failure with the wait, not a block', async () => {
    vkApi().post('/method/wall.createComment').times(4).reply(200, fixture('vk', 'error.9.json') as object);
    const { connector } = setup();
    await expect(connector.reply(answer, comment, 'Ответ')).resolves.toMatchObject({ status: 'retryable', waitMs: VK_FLOOD_WAIT_MS });
  });

  it('an invalid token is a config result', async () => {
    vkApi().post('/method/wall.createComment').reply(200, fixture('vk', 'error.5.json') as object);
    const { connector } = setup();
    await expect(connector.reply(answer, comment, 'Ответ')).resolves.toMatchObject({ status: 'config' });
  });
});

// Last in the file, so it sees every request the tests above made.
describe('VK requests use documented parameters', () => {
  it('methods.json lists every parameter the connector sent in this file', () => {
    expect([...seenMethods].sort()).toEqual(['groups.getLongPollServer', 'messages.getConversations', 'messages.send', 'newsfeed.search', 'users.get', 'wall.createComment', 'wall.get', 'wall.getComments']);
    expect(paramProblems).toEqual([]);
    expect(undocumentedVkParams('wall.createComment', { owner_id: '1', guid: 'x', reply_to: '2' })).toEqual(['reply_to']);
  });
});
