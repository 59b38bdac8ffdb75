import { describe, it, expect, afterEach, beforeAll, afterAll } from '@jest/globals';
import nock from 'nock';
import type { Store } from '../../store/port.js';
import { openTestStore, dropTestStore, rawDb } from '../support/store.js';
import { pollOnce, type PollLogger } from '../../connectors/poll.js';
import { TelegramClient } from '../../connectors/telegram/client.js';
import { TelegramConnector, TELEGRAM_MAX_UPDATE_ID } from '../../connectors/telegram/connector.js';
import { VkClient } from '../../connectors/vk/client.js';
import { VkConnector, type VkCursor } from '../../connectors/vk/connector.js';
import { OkClient } from '../../connectors/ok/client.js';
import { OkConnector, type OkCursor } from '../../connectors/ok/connector.js';
import { CursorRefused } from '../../connectors/cursor-guard.js';
import { MemoryAttemptLog } from '../../connectors/connector.js';
import { unthrottled } from '../../connectors/throttle.js';
import { fixture } from './support/reference.js';
import { testRetry } from './support/fast.js';

/**
 * Point 2 of issue 12: a cursor or id from a network that breaks its rules is refused with
 * a typed, logged error, the item is set aside, and the cursor stays, so later messages
 * still arrive.
 */
const TENANT = 'okha';
const TG = 'https://api.telegram.org';
const TOKEN = '7012345678:AAH-cursor_guard_token';
const NOW = new Date('2025-11-24T10:00:00Z');
const POISON = 2 ** 53 - 1;
let store: Store;

type Update = { update_id: number; message: Record<string, unknown> };
const realUpdates = (): Update[] => structuredClone((fixture('telegram', 'getUpdates.json') as { result: Update[] }).result);

/** A private message as Telegram sends it, with the given update_id and message_id. */
function privateUpdate(updateId: number, messageId: number, date = 1763974000): Update {
  return {
    update_id: updateId,
    message: {
      message_id: messageId, date, text: 'Когда починят фонарь у дома 5?',
      from: { id: 5012345679, is_bot: false, first_name: 'Пётр' },
      chat: { id: 5012345679, first_name: 'Пётр', type: 'private' },
    },
  };
}

function telegram() {
  const { retry } = testRetry();
  const client = new TelegramClient({ token: TOKEN, throttle: unthrottled(), retry, longPollWaitSec: 0 });
  return new TelegramConnector({ accountId: 'okha-bot', client, attempts: new MemoryAttemptLog(), discussionChatIds: ['-1001555000111'], keywords: ['администрац'], now: () => NOW });
}

function recordingLogger(): { logger: PollLogger; errors: { fields: Record<string, unknown>; message: string }[] } {
  const errors: { fields: Record<string, unknown>; message: string }[] = [];
  return { errors, logger: { info: () => undefined, warn: () => undefined, error: (fields, message) => errors.push({ fields: fields as Record<string, unknown>, message }) } };
}

beforeAll(async () => { store = await openTestStore('connectors_cursors'); nock.disableNetConnect(); nock.enableNetConnect('127.0.0.1'); });
afterAll(async () => { nock.enableNetConnect(); await dropTestStore(store); });
afterEach(async () => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  await rawDb(store).collection('messages').deleteMany({});
  await rawDb(store).collection('malformedPayloads').deleteMany({});
  await rawDb(store).collection('networkCursors').deleteMany({});
  expect(pending).toEqual([]);
});

describe('Telegram update_id', () => {
  it('an update_id near 2^53 does not move the saved offset: it is set aside, logged, and later messages still arrive', async () => {
    const updates = realUpdates();
    const poisoned = privateUpdate(POISON, 9_001);
    nock(TG).post(`/bot${TOKEN}/getUpdates`, (body: Record<string, string>) => body.offset === '731500100').reply(200, { ok: true, result: [...updates, poisoned] });
    // Telegram itself goes on from where the real stream is.
    nock(TG).post(`/bot${TOKEN}/getUpdates`, (body: Record<string, string>) => body.offset === '731500107')
      .reply(200, { ok: true, result: [privateUpdate(731500107, 413), privateUpdate(731500108, 414)] });
    await store.cursors.save(TENANT, 'telegram', 'okha-bot', { offset: 731500100 });
    const sink = store.ingest;
    const { logger, errors } = recordingLogger();

    await expect(pollOnce(telegram(), sink, TENANT, logger)).resolves.toMatchObject({ inserted: 4, rejected: 1, refused: 1 });
    expect(await store.cursors.load(TENANT, 'telegram', 'okha-bot')).toMatchObject({ offset: 731500107 });
    expect(errors).toEqual([{
      message: 'refused a cursor value from the network; the item is set aside and the cursor stays',
      fields: expect.objectContaining({ tenantId: TENANT, network: 'telegram', accountId: 'okha-bot', field: 'update_id', rule: 'range', offered: String(POISON) }),
    }]);
    const aside = await rawDb(store).collection('malformedPayloads').find({ tenant: TENANT }).toArray();
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatchObject({ network: 'telegram', problem: expect.stringContaining(`refused update_id ${POISON}`), payload: { update_id: POISON } });

    await expect(pollOnce(telegram(), sink, TENANT, logger)).resolves.toMatchObject({ inserted: 2 });
    expect(await store.cursors.load(TENANT, 'telegram', 'okha-bot')).toMatchObject({ offset: 731500109 });
  });

  it('a jump far ahead of the offset is refused as a jump, one below it as backwards; both with the typed error', async () => {
    nock(TG).post(`/bot${TOKEN}/getUpdates`).reply(200, { ok: true, result: [privateUpdate(731499000, 410), privateUpdate(731500100, 411), privateUpdate(735000000, 412)] });
    const batch = await telegram().fetchSince({ offset: 731500100, lastUpdateSec: 1763973000 });
    expect(batch.messages.map((m) => m.externalId)).toEqual(['5012345679:411']);
    expect(batch.cursor.offset).toBe(731500101);
    expect(batch.refused?.map((r) => [r.field, r.rule, r.offered, r.current])).toEqual([
      ['update_id', 'backwards', 731499000, 731500100],
      ['update_id', 'jump', 735000000, 731500101],
    ]);
    expect(batch.refused?.every((r) => r instanceof CursorRefused && !r.retryMayHelp)).toBe(true);
    expect(batch.rejected).toHaveLength(2);
  });

  it('after a week without updates Telegram picks the next id at random: that jump is taken', async () => {
    const weekLaterSec = 1763973000 + 8 * 86_400;
    const now = new Date((weekLaterSec + 60) * 1000);
    nock(TG).post(`/bot${TOKEN}/getUpdates`).reply(200, { ok: true, result: [privateUpdate(1_480_000_000, 415, weekLaterSec)] });
    const { retry } = testRetry();
    const client = new TelegramClient({ token: TOKEN, throttle: unthrottled(), retry, longPollWaitSec: 0 });
    const connector = new TelegramConnector({ accountId: 'okha-bot', client, attempts: new MemoryAttemptLog(), discussionChatIds: [], keywords: [], now: () => now });
    const batch = await connector.fetchSince({ offset: 731500107, lastUpdateSec: 1763973000 });
    expect(batch.messages).toHaveLength(1);
    expect(batch.cursor.offset).toBe(1_480_000_001);
    expect(batch.refused).toBeUndefined();
  });

  it('a refused update that Telegram keeps offering is set aside once, and a full page of them is not refetched at once', async () => {
    const connector = telegram();
    const flood = Array.from({ length: 100 }, (_, i) => privateUpdate(TELEGRAM_MAX_UPDATE_ID + 1 + i, 500 + i));
    nock(TG).post(`/bot${TOKEN}/getUpdates`).reply(200, { ok: true, result: flood });
    const first = await connector.fetchSince({ offset: 731500107 });
    expect(first.more).toBe(false);
    expect(first.cursor.offset).toBe(731500107);
    nock(TG).post(`/bot${TOKEN}/getUpdates`).reply(200, { ok: true, result: [privateUpdate(POISON, 9_001)] });
    const second = await connector.fetchSince(first.cursor);
    nock(TG).post(`/bot${TOKEN}/getUpdates`).reply(200, { ok: true, result: [privateUpdate(POISON, 9_001)] });
    const third = await connector.fetchSince(second.cursor);
    expect([second.rejected.length, third.rejected.length]).toEqual([1, 0]);
    expect(third.refused).toHaveLength(1);
  });

  it('a stored offset beyond the 32-bit range reads as no cursor (Telegram then sends what is pending)', () => {
    expect(telegram().parseCursor({ offset: POISON + 1 })).toBeNull();
    expect(telegram().parseCursor({ offset: 731500107 })).toEqual({ offset: 731500107 });
  });
});

describe('VK Long Poll ts and dates', () => {
  const LP = 'https://lp.vk.com';
  const cursor: VkCursor = { server: `${LP}/whp/218475963`, key: 'k1', ts: '1042', mentionsSinceSec: 1763970000, mentionsCheckedAtSec: 1763970000, lastEventSec: 1763970000 };
  function vk() {
    const { retry } = testRetry();
    const client = new VkClient({ token: 'vk1.a.cursor-guard', tokenKind: 'community', throttle: unthrottled(), retry });
    return new VkConnector({ accountId: 'okha-vk', groupId: 218475963, client, keywords: ['вод'], now: () => NOW });
  }

  it.each([['9007199254740993'], ['100000000000'], ['1041'], ['x1']])('a ts of %s is refused; VK names a fresh one and the events since the last one seen are read back', async (ts) => {
    nock(LP).get('/whp/218475963').query(true).reply(200, { ...(fixture('vk', 'longpoll.updates.json') as object), ts });
    nock('https://api.vk.ru').post('/method/users.get').times(2).reply(200, fixture('vk', 'users.get.json') as object);
    nock('https://api.vk.ru').post('/method/groups.getLongPollServer').reply(200, fixture('vk', 'groups.getLongPollServer.json') as object);
    nock('https://api.vk.ru').post('/method/wall.get').reply(200, fixture('vk', 'wall.get.json') as object);
    nock('https://api.vk.ru').post('/method/wall.getComments').reply(200, fixture('vk', 'wall.getComments.json') as object);
    nock('https://api.vk.ru').post('/method/messages.getConversations').reply(200, fixture('vk', 'messages.getConversations.json') as object);
    const batch = await vk().fetchSince(cursor);
    expect(batch.cursor.ts).toBe('1042');
    expect(batch.cursor.key).toBe('8a1c6f0d5b2e4a7c9d3f1e2b4c6a8d0e1f3a5b7c');
    expect(batch.refused?.map((r) => [r.field, r.offered])).toEqual([['ts', ts]]);
    expect(batch.rejected.some((r) => r.reason.includes('refused ts'))).toBe(true);
    expect(new Set(batch.messages.map((m) => m.externalId))).toEqual(new Set(['comment:-218475963_5821', 'comment:-218475963_5824', 'message:512340987_31']));
  });

  it('a comment dated far in the future is set aside and does not move the backfill point past now', async () => {
    const events = structuredClone(fixture('vk', 'longpoll.updates.json')) as { ts: string; updates: { type: string; object: { date: number } }[] };
    const forged = events.updates.find((event) => event.type === 'wall_reply_new')!;
    forged.object.date = 4_102_444_800;
    nock(LP).get('/whp/218475963').query(true).reply(200, events);
    nock('https://api.vk.ru').post('/method/users.get').reply(200, fixture('vk', 'users.get.json') as object);
    const batch = await vk().fetchSince(cursor);
    expect(batch.refused?.map((r) => [r.field, r.rule, r.offered])).toEqual([['date', 'range', 4_102_444_800]]);
    expect(batch.cursor.lastEventSec).toBeLessThanOrEqual(NOW.getTime() / 1000);
    expect(batch.messages).toHaveLength(2);
  });

  it('a stored cursor with a ts beyond 2^53 or a time in the future reads as no cursor', () => {
    expect(vk().parseCursor({ ...cursor, ts: '9007199254740993' })).toBeNull();
    expect(vk().parseCursor({ ...cursor, mentionsSinceSec: POISON })).toBeNull();
    expect(vk().parseCursor(cursor)).toEqual(cursor);
  });
});

describe('OK times and anchors', () => {
  const API = 'https://api.ok.ru';
  function ok() {
    const { retry } = testRetry();
    const client = new OkClient({ applicationKey: 'CBAFJIICABABABABA', applicationSecretKey: 'secret-key-guard', accessToken: 'tkn1ok-guard', throttle: unthrottled(), retry });
    return new OkConnector({ accountId: 'okha-ok', groupId: '70000001234567', client, attempts: new MemoryAttemptLog(), keywords: [], now: () => NOW });
  }
  const cursor: OkCursor = { sinceMs: Date.parse('2025-11-24T08:00:00Z'), topics: {}, messagesSinceMs: 1763970000000 };
  const rest = (method: string) => nock(API).post('/fb.do', (form: Record<string, string>) => form.method === method);

  it('a chat message stamped near 2^53 is set aside and the messages cursor stays at or before now', async () => {
    const chats = structuredClone(fixture('ok', 'graph.chats.json')) as { chats: { chat_id: string }[]; marker?: string };
    delete chats.marker;
    const page = structuredClone(fixture('ok', 'graph.messages.json')) as { messages: { timestamp: number; message: { mid: string } }[] };
    const real = structuredClone(page.messages[0]!);
    real.timestamp = 1763977400000;
    real.message.mid = 'mid:C3f1a9b7e2d00.17ab3f0c1d2e002';
    page.messages[0]!.timestamp = POISON;
    page.messages.push(real);
    rest('discussions.getList').reply(200, { discussions: [] });
    nock(API).get('/graph/me/chats').query(true).reply(200, chats);
    for (const chat of chats.chats) nock(API).get(`/graph/me/messages/${chat.chat_id}`).query(true).reply(200, page);
    const batch = await ok().fetchSince(cursor);
    expect(batch.refused?.[0]).toMatchObject({ field: 'timestamp', rule: 'range', offered: POISON });
    expect(batch.cursor.messagesSinceMs).toBeLessThanOrEqual(NOW.getTime());
    expect(batch.cursor.messagesSinceMs).toBe(1763977400000);
    expect(batch.messages.map((m) => m.externalId)).toEqual(['message:mid:C3f1a9b7e2d00.17ab3f0c1d2e002']);
  });

  it('a topic whose activity date is in 2999 is still read on the next fetch, and refused once', async () => {
    const list = { discussions: [{ object_type: 'GROUP_TOPIC', object_id: '155762436583901', title: 'Новости', last_activity_date: '2999-01-01 00:00:00', new_comments_count: 1 }], has_more: false };
    const comments = fixture('ok', 'discussions.getComments.json') as object;
    const empty = { chats: [] };
    rest('discussions.getList').reply(200, list);
    rest('discussions.getComments').reply(200, comments);
    nock(API).get('/graph/me/chats').query(true).reply(200, empty);
    const connector = ok();
    const first = await connector.fetchSince(cursor);
    expect(first.refused?.map((r) => r.field)).toEqual(['last_activity_date']);
    expect(first.cursor.topics['GROUP_TOPIC:155762436583901']?.activityMs).toBeLessThanOrEqual(NOW.getTime());
    rest('discussions.getList').reply(200, list);
    rest('discussions.getComments').reply(200, { comments: [], anchor: 'MTc2Mzk3NTYwMDAwMDoxMjM0Ng==', has_more: false });
    nock(API).get('/graph/me/chats').query(true).reply(200, empty);
    const second = await connector.fetchSince(first.cursor);
    expect(second.refused).toBeUndefined();
  });

  it('an anchor OK would refuse is not kept', async () => {
    rest('discussions.getList').reply(200, { discussions: [{ object_type: 'GROUP_TOPIC', object_id: '155762436583901', last_activity_date: '2025-11-24 12:59:00' }], has_more: false });
    rest('discussions.getComments').reply(200, { comments: [], anchor: `${'A'.repeat(600)}<script>`, has_more: true });
    nock(API).get('/graph/me/chats').query(true).reply(200, { chats: [] });
    const batch = await ok().fetchSince(cursor);
    expect(batch.refused?.map((r) => r.field)).toEqual(['anchor']);
    expect(batch.cursor.topics['GROUP_TOPIC:155762436583901']?.anchor).toBe('FIRST');
  });

  it('a stored cursor with a time beyond a day from now reads as no cursor', () => {
    expect(ok().parseCursor({ ...cursor, messagesSinceMs: POISON })).toBeNull();
    expect(ok().parseCursor(cursor)).toEqual(cursor);
  });
});
