import { describe, it, expect, afterEach, beforeAll, afterAll } from '@jest/globals';
import nock from 'nock';
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { OkClient, okSignature } from '../../connectors/ok/client.js';
import { OkConnector, type OkCursor } from '../../connectors/ok/connector.js';
import { decideOk, OK_FLOOD_WAIT_MS } from '../../connectors/ok/errors.js';
import { ApiError, CONFIG, PERMANENT, RETRY, rateLimited } from '../../connectors/errors.js';
import { GaveUp } from '../../connectors/retry.js';
import { unthrottled } from '../../connectors/throttle.js';
import { MemoryAttemptLog } from '../../connectors/connector.js';
import { publishAnswer, NO_TECHNICAL_POSSIBILITY } from '../../connectors/publish.js';
import type { NormalizedMessage } from '../../connectors/types.js';
import { checkOkShape, fixture, okDocExample, okDocParams } from './support/reference.js';
import { testRetry } from './support/fast.js';

const API = 'https://api.ok.ru';
const KEY = 'CBAFJIICABABABABA';
const SECRET = 'secret-key-5f2a9c0e7d';
const TOKEN = 'tkn1ok-group-token-9c0e7d1b2a';
const GROUP = '70000001234567';
type Form = Record<string, string>;

function setup(timeoutMs = 2_000) {
  const { retry, delaysMs } = testRetry();
  const client = new OkClient({ applicationKey: KEY, applicationSecretKey: SECRET, accessToken: TOKEN, throttle: unthrottled(), retry, timeoutMs });
  const attempts = new MemoryAttemptLog();
  const connector = new OkConnector({ accountId: 'okha-ok', groupId: GROUP, client, attempts, keywords: ['администрац', 'освещени'], now: () => new Date('2025-11-24T10:00:00Z') });
  return { client, connector, attempts, delaysMs };
}

/** A REST call to fb.do for `method`, whose signature and parameter names are checked. */
function rest(method: string, check: (form: Form) => boolean = () => true) {
  return nock(API).post('/fb.do', (form: Form) => {
    if (form.method !== method) return false;
    const { sig, ...rest } = form;
    const expected = okSignature(rest, TOKEN, SECRET);
    const ownParams = Object.keys(rest).filter((name) => !['method', 'application_key', 'format', 'access_token'].includes(name));
    return sig === expected && form.access_token === TOKEN && ownParams.every((name) => okDocParams(method).includes(name)) && check(form);
  });
}

const cursor: OkCursor = { sinceMs: Date.parse('2025-11-24T08:00:00Z'), topics: {}, messagesSinceMs: 1763970000000 };

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('OK signature', () => {
  it('follows the documented recipe: sorted params without sig and access_token, then MD5(token + secret)', () => {
    const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
    const params = { method: 'discussions.getList', application_key: KEY, format: 'json', count: '50' };
    expect(okSignature({ ...params, access_token: TOKEN, sig: 'ignored' }, TOKEN, SECRET))
      .toBe(md5(`application_key=${KEY}count=50format=jsonmethod=discussions.getList${md5(TOKEN + SECRET)}`));
  });
});

describe('OK fetch and normalize', () => {
  it('reads new comments of active topics and new Bot API messages, skipping quiet topics', async () => {
    rest('discussions.getList', (form) => form.types === 'GROUP_TOPIC').reply(200, fixture('ok', 'discussions.getList.json') as object);
    rest('discussions.getComments', (form) => form.discussionId === '155762436583901' && form.anchor === 'FIRST' && form.direction === 'FORWARD')
      .reply(200, fixture('ok', 'discussions.getComments.json') as object);
    nock(API).get('/graph/me/chats').query({ access_token: TOKEN, count: '100' }).reply(200, fixture('ok', 'graph.chats.json') as object);
    // The documented answer carries a marker, so the next page is asked for; it is empty.
    nock(API).get('/graph/me/chats').query({ access_token: TOKEN, count: '100', marker: 'LTE3NjM5Nzc1MDAwMDA6LTE3NjM5Nzc1MDAwMDA=' }).reply(200, { chats: [] });
    nock(API).get('/graph/me/messages/chat:C3f1a9b7e2d00').query(true).reply(200, fixture('ok', 'graph.messages.json') as object);
    const { connector } = setup();
    const batch = await connector.fetchSince(cursor);
    expect(batch.rejected).toEqual([]);
    expect(batch.requests).toBe(5);
    expect(batch.messages.map((m) => [m.externalId, m.kind, m.author.name, m.matchedKeywords])).toEqual([
      ['comment:MTc2Mzk3NTYwMDAwMDoxMjM0NQ==', 'comment', 'Людмила Воронцова', []],
      ['comment:MTc2Mzk3NTYwMDAwMDoxMjM0Ng==', 'comment', 'Андрей Мельников', ['администрац']],
      ['message:mid:C3f1a9b7e2d00.17ab3f0c1d2e003', 'private', 'Тамара Гусева', ['освещени']],
    ]);
    const [comment, reply, privateMessage] = batch.messages as [NormalizedMessage, NormalizedMessage, NormalizedMessage];
    expect(comment.place).toEqual({ containerId: GROUP, postId: '155762436583901', itemId: 'MTc2Mzk3NTYwMDAwMDoxMjM0NQ==', discussionType: 'GROUP_TOPIC', url: `https://ok.ru/group/${GROUP}/topic/155762436583901` });
    expect(comment.createdAt.toISOString()).toBe('2025-11-24T09:31:40.000Z');
    expect(reply.place.threadId).toBe('MTc2Mzk3NTYwMDAwMDoxMjM0NQ==');
    expect(privateMessage.author).toEqual({ id: '574400112233', name: 'Тамара Гусева', profileUrl: 'https://ok.ru/profile/574400112233', anonymous: false });
    expect(privateMessage.attachments).toEqual([{ type: 'photo', url: 'https://i.mycdn.me/i?r=dvor_temno_1024' }]);
    expect(batch.cursor.topics).toEqual({ 'GROUP_TOPIC:155762436583901': { anchor: 'MTc2Mzk3NTYwMDAwMDoxMjM0Ng==', activityMs: Date.parse('2025-11-24T09:40:05Z') } });
    expect(batch.cursor.messagesSinceMs).toBe(1763977500000);
  });

  it('continues a topic from its anchor, and asks nothing of a topic without new activity', async () => {
    const known: OkCursor = { ...cursor, topics: { 'GROUP_TOPIC:155762436583901': { anchor: 'A1', activityMs: Date.parse('2025-11-24T09:00:00Z') } }, messagesSinceMs: 1763977500000 };
    rest('discussions.getList').reply(200, fixture('ok', 'discussions.getList.json') as object);
    rest('discussions.getComments', (form) => form.anchor === 'A1').reply(200, { comments: [], anchor: 'A1', has_more: false });
    nock(API).get('/graph/me/chats').query(true).reply(200, fixture('ok', 'graph.chats.json') as object);
    const { connector } = setup();
    const batch = await connector.fetchSince(known);
    expect(batch.messages).toEqual([]);
    expect(batch.requests).toBe(3);
  });

  it('sets malformed comments and messages aside and keeps the rest', async () => {
    const comments = structuredClone(fixture('ok', 'discussions.getComments.json')) as { comments: Record<string, unknown>[] };
    comments.comments[0]!.date = 'вчера';
    const messages = structuredClone(fixture('ok', 'graph.messages.json')) as { messages: unknown[] };
    messages.messages.push({ sender: {}, timestamp: 1763977600000 });
    rest('discussions.getList').reply(200, fixture('ok', 'discussions.getList.json') as object);
    rest('discussions.getComments').reply(200, comments);
    nock(API).get('/graph/me/chats').query(true).reply(200, fixture('ok', 'graph.chats.json') as object);
    nock(API).get('/graph/me/chats').query(true).reply(200, { chats: [] });
    nock(API).get('/graph/me/messages/chat:C3f1a9b7e2d00').query(true).reply(200, messages);
    const { connector } = setup();
    const batch = await connector.fetchSince(cursor);
    expect(batch.messages.map((m) => m.kind)).toEqual(['comment', 'private']);
    expect(batch.rejected.map((r) => r.reason)).toEqual([expect.stringMatching(/^comment: date/), expect.stringMatching(/^chat message: sender/)]);
  });
  it('reads a busy topic several pages on in one fetch, and leaves the rest for the next with the anchor where it stopped', async () => {
    const template = (fixture('ok', 'discussions.getComments.json') as { comments: Record<string, unknown>[] }).comments[0]!;
    const page = (n: number) => ({
      comments: [{ ...template, id: Buffer.from(`c${n}`).toString('base64'), text: `Комментарий ${n} для администрации` }],
      anchor: `P${n + 1}`, has_more: true,
    });
    rest('discussions.getList').reply(200, fixture('ok', 'discussions.getList.json') as object);
    rest('discussions.getComments', (form) => form.anchor === 'FIRST').reply(200, page(1));
    for (let n = 2; n <= 5; n++) rest('discussions.getComments', (form) => form.anchor === `P${n}`).reply(200, page(n));
    nock(API).get('/graph/me/chats').query(true).reply(200, { chats: [] });
    const { connector } = setup();
    const batch = await connector.fetchSince(cursor);
    expect(batch.messages.map((m) => m.text)).toEqual([1, 2, 3, 4, 5].map((n) => `Комментарий ${n} для администрации`));
    // Five pages, then the cursor is saved: the topic goes on from the sixth on the next fetch.
    expect(batch.more).toBe(true);
    expect(batch.cursor.topics['GROUP_TOPIC:155762436583901']).toEqual({ anchor: 'P6', activityMs: 0 });
    expect(batch.requests).toBe(7);
    const lastPage = { ...page(6), has_more: false };
    rest('discussions.getList').reply(200, fixture('ok', 'discussions.getList.json') as object);
    rest('discussions.getComments', (form) => form.anchor === 'P6').reply(200, lastPage);
    nock(API).get('/graph/me/chats').query(true).reply(200, { chats: [] });
    const next = await connector.fetchSince(batch.cursor);
    expect(next.messages.map((m) => m.text)).toEqual(['Комментарий 6 для администрации']);
    expect(next.more).toBe(false);
  });

  it('follows the discussions anchor while the page is still active', async () => {
    const list = fixture('ok', 'discussions.getList.json') as { discussions: Record<string, unknown>[] };
    rest('discussions.getList', (form) => form.anchor === undefined).reply(200, { discussions: [list.discussions[0]], anchor: 'P2', has_more: true });
    rest('discussions.getList', (form) => form.anchor === 'P2').reply(200, { discussions: [{ ...list.discussions[0], object_id: '155762436583999' }, list.discussions[1]], anchor: 'P3', has_more: true });
    rest('discussions.getComments', (form) => form.discussionId === '155762436583901').reply(200, { comments: [], has_more: false });
    rest('discussions.getComments', (form) => form.discussionId === '155762436583999').reply(200, fixture('ok', 'discussions.getComments.json') as object);
    nock(API).get('/graph/me/chats').query(true).reply(200, { chats: [] });
    const { connector } = setup();
    const batch = await connector.fetchSince(cursor);
    expect(batch.messages.map((m) => m.place.postId)).toEqual(['155762436583999', '155762436583999']);
    expect(batch.requests).toBe(5);
  });

  it('follows the chats marker while the page still has active chats', async () => {
    const chats = fixture('ok', 'graph.chats.json') as { chats: Record<string, unknown>[]; marker: string };
    const active = { ...chats.chats[0]!, chat_id: 'chat:Cfirstpage', lastEventTime: 1763977600000 };
    rest('discussions.getList').reply(200, { discussions: [] });
    nock(API).get('/graph/me/chats').query({ access_token: TOKEN, count: '100' }).reply(200, { chats: [active], marker: 'M2' });
    nock(API).get('/graph/me/chats').query({ access_token: TOKEN, count: '100', marker: 'M2' }).reply(200, { chats: [chats.chats[0], { ...active, chat_id: 'chat:Cquiet', lastEventTime: 1763960000000 }], marker: 'M3' });
    nock(API).get('/graph/me/messages/chat:Cfirstpage').query(true).reply(200, { messages: [] });
    nock(API).get('/graph/me/messages/chat:C3f1a9b7e2d00').query(true).reply(200, fixture('ok', 'graph.messages.json') as object);
    const { connector } = setup();
    const batch = await connector.fetchSince(cursor);
    expect(batch.messages.map((m) => m.externalId)).toEqual(['message:mid:C3f1a9b7e2d00.17ab3f0c1d2e003']);
    expect(batch.requests).toBe(5);
  });

  it('pages back through a chat with more new messages than one page holds', async () => {
    const template = (fixture('ok', 'graph.messages.json') as { messages: Record<string, unknown>[] }).messages[0]!;
    const at = (i: number) => 1763977500000 - i * 1000;
    const message = (i: number) => ({ ...template, message: { text: `Сообщение ${i}`, seq: 1000 - i, mid: `mid:C3f1a9b7e2d00.${i}` }, timestamp: at(i) });
    rest('discussions.getList').reply(200, { discussions: [] });
    nock(API).get('/graph/me/chats').query(true).reply(200, fixture('ok', 'graph.chats.json') as object);
    nock(API).get('/graph/me/chats').query(true).reply(200, { chats: [] });
    const since = at(60) - 1;
    nock(API).get('/graph/me/messages/chat:C3f1a9b7e2d00').query({ access_token: TOKEN, count: '50', from: String(at(0)), to: String(since + 1) })
      .reply(200, { messages: Array.from({ length: 50 }, (_, i) => message(i)) });
    nock(API).get('/graph/me/messages/chat:C3f1a9b7e2d00').query({ access_token: TOKEN, count: '50', from: String(at(49) - 1), to: String(since + 1) })
      .reply(200, { messages: Array.from({ length: 11 }, (_, i) => message(50 + i)) });
    const { connector } = setup();
    const batch = await connector.fetchSince({ ...cursor, messagesSinceMs: since });
    expect(batch.messages).toHaveLength(61);
    expect(batch.cursor.messagesSinceMs).toBe(at(0));
  });
});

describe('OK decisions', () => {
  const api = (code: number) => new ApiError('ok', 'discussions.addDiscussionComment', code, 'x');
  it.each([
    [1, RETRY], [2, RETRY], [8, rateLimited(OK_FLOOD_WAIT_MS)],
    [102, CONFIG], [103, CONFIG], [104, CONFIG], [101, CONFIG], [10, CONFIG],
    [100, PERMANENT], [454, PERMANENT], [455, PERMANENT], [456, PERMANENT], [457, PERMANENT], [458, PERMANENT], [700, PERMANENT],
  ] as const)('error %i → %j', (code, decision) => {
    expect(decideOk(api(code))).toEqual(decision);
  });
});

describe('OK faults on the wire', () => {
  it('error 2 and a 503 are retried, flood (8) waits its window', async () => {
    rest('discussions.getList').reply(200, fixture('ok', 'error.2.json') as object);
    rest('discussions.getList').reply(503, 'Service Unavailable');
    rest('discussions.getList').reply(200, fixture('ok', 'error.8.json') as object);
    rest('discussions.getList').reply(200, { discussions: [] });
    const { client, delaysMs } = setup();
    await expect(client.call('discussions.getList', { types: 'GROUP_TOPIC' })).resolves.toEqual({ discussions: [] });
    expect(delaysMs).toEqual([100, 200, OK_FLOOD_WAIT_MS]);
  });

  it('an HTTP 429 without an OK body waits its Retry-After', async () => {
    rest('discussions.getList').reply(429, 'Too Many Requests', { 'Retry-After': '4' });
    rest('discussions.getList').reply(200, { discussions: [] });
    const { client, delaysMs } = setup();
    await expect(client.call('discussions.getList')).resolves.toEqual({ discussions: [] });
    expect(delaysMs).toEqual([4_000]);
  });

  it('a reset connection, malformed JSON and a timeout are retried', async () => {
    rest('discussions.getList').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    rest('discussions.getList').reply(200, '{"discussions": [');
    rest('discussions.getList').delay(300).reply(200, { discussions: [] });
    rest('discussions.getList').reply(200, { discussions: [] });
    const { client, delaysMs } = setup(50);
    await expect(client.call('discussions.getList', {})).resolves.toEqual({ discussions: [] });
    expect(delaysMs).toEqual([100, 200, 400]);
  });

  it.each([102, 104])('error %i is a configuration error at once; no secret in the error or inspect', async (code) => {
    rest('discussions.getList').reply(200, fixture('ok', `error.${code}.json`) as object);
    const { client, delaysMs } = setup();
    const error = (await client.call('discussions.getList').catch((caught: unknown) => caught)) as GaveUp;
    expect(error).toBeInstanceOf(GaveUp);
    expect(error.decision).toEqual(CONFIG);
    expect(delaysMs).toEqual([]);
    expect(inspect(client)).not.toContain(TOKEN);
    expect(inspect(client)).not.toContain(SECRET);
    expect(inspect(error, { depth: 6 })).not.toContain(TOKEN);
  });
});

describe('OK publish', () => {
  const comment: NormalizedMessage = {
    network: 'ok', externalId: 'comment:MTc2Mzk3NTYwMDAwMDoxMjM0NQ==', kind: 'comment',
    place: { containerId: GROUP, postId: '155762436583901', itemId: 'MTc2Mzk3NTYwMDAwMDoxMjM0NQ==', discussionType: 'GROUP_TOPIC' },
    author: { id: '571203948811', name: 'Людмила Воронцова', anonymous: false },
    text: 'А Комсомольскую отключат?', attachments: [], createdAt: new Date(), matchedKeywords: [], raw: {},
  };
  const answer = { answerId: 'answer-901' };
  const text = 'Здравствуйте! Ул. Комсомольская в график не входит.';

  it('comments in the topic as the group, in reply to the comment', async () => {
    rest('discussions.addDiscussionComment', (form) => form.entityId === '155762436583901' && form.entityType === 'GROUP_TOPIC'
      && form.reply_to_comment_id === 'MTc2Mzk3NTYwMDAwMDoxMjM0NQ==' && form.as_admin === 'true' && form.comment === text)
      .reply(200, JSON.stringify(fixture('ok', 'addDiscussionComment.json')));
    const { connector } = setup();
    await expect(connector.reply(answer, comment, text)).resolves.toEqual({ status: 'published', externalId: 'MTc2Mzk3ODAwMDAwMDoxMjM1MA==', recovered: false });
  });

  it('after a timeout the next attempt finds the posted comment instead of posting twice', async () => {
    rest('discussions.addDiscussionComment').delay(300).reply(200, JSON.stringify(fixture('ok', 'addDiscussionComment.json')));
    const { connector, delaysMs } = setup(50);
    await expect(connector.reply(answer, comment, text)).resolves.toMatchObject({ status: 'retryable' });
    expect(delaysMs).toEqual([]);
    rest('discussions.getComments', (form) => form.anchor === 'LAST' && form.direction === 'BACKWARD').reply(200, {
      comments: [{ id: 'POSTED1', date: '2025-11-24 13:00:00', author_id: GROUP, author_name: 'Администрация', text, reply_to_comment_id: 'MTc2Mzk3NTYwMDAwMDoxMjM0NQ==' }],
      anchor: 'POSTED1', has_more: false,
    });
    await expect(connector.reply(answer, comment, text)).resolves.toEqual({ status: 'published', externalId: 'POSTED1', recovered: true });
  });

  it('when the read-back answer is unreadable, nothing is posted blind', async () => {
    rest('discussions.addDiscussionComment').delay(300).reply(200, '"late"');
    const { connector } = setup(50);
    await connector.reply(answer, comment, text);
    rest('discussions.getComments').reply(200, { comments: 'сломано' });
    await expect(connector.reply(answer, comment, text)).resolves.toMatchObject({ status: 'retryable', error: expect.stringMatching(/malformed-body/) });
  });

  it('after a timeout with nothing posted, the next attempt posts', async () => {
    rest('discussions.addDiscussionComment').delay(300).reply(200, '"late"');
    const { connector } = setup(50);
    await connector.reply(answer, comment, text);
    rest('discussions.getComments').reply(200, { comments: [], has_more: false });
    rest('discussions.addDiscussionComment').reply(200, JSON.stringify(fixture('ok', 'addDiscussionComment.json')));
    await expect(connector.reply(answer, comment, text)).resolves.toMatchObject({ status: 'published', recovered: false });
  });

  it.each([455, 456, 457])('public comment refused (error %i) → private message to the author', async (code) => {
    rest('discussions.addDiscussionComment').reply(200, fixture('ok', `error.${code}.json`) as object);
    nock(API).post('/graph/me/messages', (body: object) => checkOkShape(okDocExample('graph.user/graph.user.messages/post.md', 10), body).length === 0
      && (body as { recipient: { user_id: string } }).recipient.user_id === 'user:571203948811')
      .query({ access_token: TOKEN }).reply(200, fixture('ok', 'graph.send.json') as object);
    const { connector } = setup();
    const outcome = await publishAnswer(connector, answer, comment, text, 'Ответ. Вы также можете написать в официальные аккаунты.');
    expect(outcome).toMatchObject({ outcome: 'published-private', externalId: 'mid:C3f1a9b7e2d00.17ab3f0c1d2e0a1', errors: [{ network: 'ok', code }] });
  });

  it('private message impossible: privacy (458) or the user has not allowed the group → reported for «Готово»', async () => {
    rest('discussions.addDiscussionComment').times(2).reply(200, fixture('ok', 'error.456.json') as object);
    nock(API).post('/graph/me/messages').query(true).reply(200, fixture('ok', 'error.458.json') as object);
    nock(API).post('/graph/me/messages').query(true).reply(200, fixture('ok', 'graph.sendToUser.denied.json') as object);
    const first = await publishAnswer(setup().connector, answer, comment, text, 'Ответ');
    expect(first).toMatchObject({ outcome: 'no-technical-possibility', reason: NO_TECHNICAL_POSSIBILITY, errors: [{ code: 456 }, { code: 458 }] });
    const second = await publishAnswer(setup().connector, answer, comment, text, 'Ответ');
    expect(second).toMatchObject({ outcome: 'no-technical-possibility', errors: [{ code: 456 }, { code: 0, method: 'graph/me/messages' }] });
  });

  it('the censor rejecting the text (454) is reported, not retried', async () => {
    rest('discussions.addDiscussionComment').reply(200, fixture('ok', 'error.454.json') as object);
    const { connector, delaysMs } = setup();
    await expect(connector.reply(answer, comment, text)).resolves.toMatchObject({ status: 'blocked', error: { code: 454 } });
    expect(delaysMs).toEqual([]);
  });

  it('answers a private message in its chat with the documented body', async () => {
    nock(API).post('/graph/me/messages/chat:C3f1a9b7e2d00', (body: object) => checkOkShape(okDocExample('graph.user/graph.user.messages/post.md', 5), body).length === 0)
      .query({ access_token: TOKEN }).reply(200, fixture('ok', 'graph.send.json') as object);
    const { connector } = setup();
    const privateMessage: NormalizedMessage = { ...comment, kind: 'private', externalId: 'message:mid:x', place: { containerId: 'chat:C3f1a9b7e2d00', itemId: 'mid:x' } };
    await expect(connector.reply(answer, privateMessage, 'Ответ')).resolves.toEqual({ status: 'published', externalId: 'mid:C3f1a9b7e2d00.17ab3f0c1d2e0a1', recovered: false });
  });
});
