import { describe, it, expect, afterEach, beforeAll, afterAll } from '@jest/globals';
import nock from 'nock';
import type { Store } from '../../store/port.js';
import { openTestStore, dropTestStore, rawDb } from '../support/store.js';
import { GATHER_MS, pollOnce, runPollLoops, type IngestStore, type PolledAccount, type PollLogger } from '../../connectors/poll.js';
import { TelegramClient } from '../../connectors/telegram/client.js';
import { TelegramConnector } from '../../connectors/telegram/connector.js';
import { VkClient } from '../../connectors/vk/client.js';
import { VkConnector } from '../../connectors/vk/connector.js';
import { OkClient } from '../../connectors/ok/client.js';
import { OkConnector } from '../../connectors/ok/connector.js';
import { MemoryAttemptLog } from '../../connectors/connector.js';
import { unthrottled } from '../../connectors/throttle.js';
import { fixture } from './support/reference.js';
import { testRetry } from './support/fast.js';

const TENANT = 'okha';
const TG = 'https://api.telegram.org';
let store: Store;


function telegram(token: string, accountId: string) {
  const { retry } = testRetry();
  const client = new TelegramClient({ token, throttle: unthrottled(), retry, longPollWaitSec: 0 });
  return new TelegramConnector({ accountId, client, attempts: new MemoryAttemptLog(), discussionChatIds: ['-1001555000111'], keywords: ['администрац'] });
}

const TOKEN = '7012345678:AAH-ingest_test_token';
const updates = () => nock(TG).post(`/bot${TOKEN}/getUpdates`);
const count = () => rawDb(store).collection('messages').countDocuments({ tenant: TENANT });

beforeAll(async () => { store = await openTestStore('connectors_ingest'); nock.disableNetConnect(); nock.enableNetConnect('127.0.0.1'); });
afterAll(async () => { nock.enableNetConnect(); await dropTestStore(store); });
afterEach(async () => {
  nock.cleanAll();
  await rawDb(store).collection('messages').deleteMany({});
  await rawDb(store).collection('malformedPayloads').deleteMany({});
  await rawDb(store).collection('networkCursors').deleteMany({});
});

describe('fetch → normalize → store with cursors (Telegram, real store)', () => {
  it('stores the batch, then saves the cursor, then the next poll continues from it', async () => {
    updates().reply(200, fixture('telegram', 'getUpdates.json') as object);
    updates().reply(200, (_uri, body) => {
      expect(new URLSearchParams(String(body)).get('offset')).toBe('731500107');
      return { ok: true, result: [] };
    });
    const connector = telegram(TOKEN, 'bot');
    const sink = store.ingest;
    await expect(pollOnce(connector, sink, TENANT)).resolves.toMatchObject({ inserted: 4, duplicates: 0, rejected: 0, requests: 1 });
    expect(await store.cursors.load(TENANT, 'telegram', 'bot')).toEqual({ offset: 731500107, lastUpdateSec: 1763973500 });
    await expect(pollOnce(connector, sink, TENANT)).resolves.toMatchObject({ inserted: 0, duplicates: 0 });
    expect(await count()).toBe(4);
    const stored = await rawDb(store).collection('messages').findOne({ tenant: TENANT, externalId: '-1001555000111:2294' });
    expect(stored).toMatchObject({ network: 'telegram', account: 'bot', kind: 'comment', author: { name: 'Виктор' }, place: { threadId: '2291' } });
  });

  it('a crash between storing and saving the cursor re-fetches and stores nothing twice', async () => {
    updates().twice().reply(200, fixture('telegram', 'getUpdates.json') as object);
    const sink = store.ingest;
    const crashing: IngestStore = { ...sink, saveCursor: async () => { throw new Error('process killed'); } };
    await expect(pollOnce(telegram(TOKEN, 'bot'), crashing, TENANT)).rejects.toThrow('process killed');
    expect(await count()).toBe(4);
    expect(await store.cursors.load(TENANT, 'telegram', 'bot')).toBeNull();
    // The restarted worker: a new connector, the same store.
    await expect(pollOnce(telegram(TOKEN, 'bot'), sink, TENANT)).resolves.toMatchObject({ inserted: 0, duplicates: 4 });
    expect(await count()).toBe(4);
    expect(await store.cursors.load(TENANT, 'telegram', 'bot')).toEqual({ offset: 731500107, lastUpdateSec: 1763973500 });
  });

  it('when storing fails the cursor is not moved', async () => {
    updates().reply(200, fixture('telegram', 'getUpdates.json') as object);
    await store.cursors.save(TENANT, 'telegram', 'bot', { offset: 731500100 });
    const failing: IngestStore = { ...store.ingest, ingestMessages: async () => { throw new Error('store unreachable'); } };
    await expect(pollOnce(telegram(TOKEN, 'bot'), failing, TENANT)).rejects.toThrow('store unreachable');
    expect(await store.cursors.load(TENANT, 'telegram', 'bot')).toEqual({ offset: 731500100 });
  });

  it('malformed updates are stored aside and the rest of the batch is stored', async () => {
    const body = structuredClone(fixture('telegram', 'getUpdates.json')) as { result: { message: Record<string, unknown> }[] };
    delete body.result[0]!.message.chat;
    updates().reply(200, body);
    await expect(pollOnce(telegram(TOKEN, 'bot'), store.ingest, TENANT)).resolves.toMatchObject({ inserted: 3, rejected: 1 });
    const aside = await rawDb(store).collection('malformedPayloads').find({ tenant: TENANT }).toArray();
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatchObject({ network: 'telegram', account: 'bot', problem: expect.stringMatching(/^message: chat/) });
  });
});

describe('VK into the real store', () => {
  it('Long Poll events become stored messages; a replayed batch adds nothing', async () => {
    const { retry } = testRetry();
    const client = new VkClient({ token: 'vk1.a.ingest', tokenKind: 'community', throttle: unthrottled(), retry });
    const connector = new VkConnector({ accountId: 'vk-main', groupId: 218475963, client, keywords: [] });
    await store.cursors.save(TENANT, 'vk', 'vk-main', { server: 'https://lp.vk.com/whp/218475963', key: 'k', ts: '1042', mentionsSinceSec: 0, mentionsCheckedAtSec: 0 });
    nock('https://lp.vk.com').get('/whp/218475963').query(true).twice().reply(200, fixture('vk', 'longpoll.updates.json') as object);
    nock('https://api.vk.ru').post('/method/users.get').twice().reply(200, fixture('vk', 'users.get.json') as object);
    await expect(pollOnce(connector, store.ingest, TENANT)).resolves.toMatchObject({ inserted: 3, duplicates: 0 });
    await store.cursors.save(TENANT, 'vk', 'vk-main', { server: 'https://lp.vk.com/whp/218475963', key: 'k', ts: '1042', mentionsSinceSec: 0, mentionsCheckedAtSec: 0 });
    await expect(pollOnce(connector, store.ingest, TENANT)).resolves.toMatchObject({ inserted: 0, duplicates: 3 });
    expect(await rawDb(store).collection('messages').countDocuments({ tenant: TENANT, network: 'vk' })).toBe(3);
  });
});

describe('OK into the real store', () => {
  it('topic comments and chat messages are stored; a restart from the old cursor stores nothing twice', async () => {
    const { retry } = testRetry();
    const client = new OkClient({ applicationKey: 'KEY', applicationSecretKey: 'SECRET', accessToken: 'ok-ingest-token', throttle: unthrottled(), retry });
    const connector = new OkConnector({ accountId: 'ok-group', groupId: '70000001234567', client, attempts: new MemoryAttemptLog(), keywords: [] });
    const start = { sinceMs: Date.parse('2025-11-24T08:00:00Z'), topics: {}, messagesSinceMs: 1763970000000 };
    const serve = () => {
      nock('https://api.ok.ru').post('/fb.do', (form: Record<string, string>) => form.method === 'discussions.getList').reply(200, fixture('ok', 'discussions.getList.json') as object);
      nock('https://api.ok.ru').post('/fb.do', (form: Record<string, string>) => form.method === 'discussions.getComments').reply(200, fixture('ok', 'discussions.getComments.json') as object);
      nock('https://api.ok.ru').get('/graph/me/chats').query(true).reply(200, fixture('ok', 'graph.chats.json') as object);
      nock('https://api.ok.ru').get('/graph/me/chats').query(true).reply(200, { chats: [] });
      nock('https://api.ok.ru').get('/graph/me/messages/chat:C3f1a9b7e2d00').query(true).reply(200, fixture('ok', 'graph.messages.json') as object);
    };
    await store.cursors.save(TENANT, 'ok', 'ok-group', start);
    serve();
    await expect(pollOnce(connector, store.ingest, TENANT)).resolves.toMatchObject({ inserted: 3, duplicates: 0 });
    expect(await store.cursors.load(TENANT, 'ok', 'ok-group')).toMatchObject({ messagesSinceMs: 1763977500000, topics: { 'GROUP_TOPIC:155762436583901': { anchor: 'MTc2Mzk3NTYwMDAwMDoxMjM0Ng==' } } });
    await store.cursors.save(TENANT, 'ok', 'ok-group', start);
    serve();
    await expect(pollOnce(connector, store.ingest, TENANT)).resolves.toMatchObject({ inserted: 0, duplicates: 3 });
    expect(await rawDb(store).collection('messages').countDocuments({ tenant: TENANT, network: 'ok' })).toBe(3);
  });
});

describe('poll loops', () => {
  it('a permanent refusal of the feed is logged as an error and polling goes on', async () => {
    nock(TG).post(`/bot${TOKEN}/getUpdates`).reply(400, { ok: false, error_code: 400, description: 'Bad Request: wrong parameter' });
    nock(TG).post(`/bot${TOKEN}/getUpdates`).reply(200, { ok: true, result: [] });
    const errors: string[] = [];
    const logger: PollLogger = { info: () => undefined, warn: () => undefined, error: (_fields, message) => errors.push(message) };
    const account: PolledAccount = { tenantId: TENANT, connector: telegram(TOKEN, 'bot') as PolledAccount['connector'] };
    const controller = new AbortController();
    const states = await runPollLoops({ store: store.ingest, accounts: [account], signal: controller.signal, idleMs: 1, failurePauseMs: 1, logger, onPoll: () => controller.abort() });
    expect(errors).toEqual(["the network refuses this account's feed, will try again"]);
    expect(states.get(account)).toBe('stopped');
  });

  it('a flood wait longer than a call may sleep pauses the loop exactly that long', async () => {
    nock(TG).post(`/bot${TOKEN}/getUpdates`).reply(429, fixture('telegram', 'error.429.legacy.json') as object);
    nock(TG).post(`/bot${TOKEN}/getUpdates`).reply(200, { ok: true, result: [] });
    const { retry } = testRetry();
    const client = new TelegramClient({ token: TOKEN, throttle: unthrottled(), retry: { ...retry, backoff: { ...retry.backoff, maxServerWaitMs: 5_000 } }, longPollWaitSec: 0 });
    const account: PolledAccount = { tenantId: TENANT, connector: new TelegramConnector({ accountId: 'bot', client, attempts: new MemoryAttemptLog(), discussionChatIds: [], keywords: [] }) as PolledAccount['connector'] };
    const controller = new AbortController();
    const pausesMs: number[] = [];
    await runPollLoops({
      store: store.ingest, accounts: [account], signal: controller.signal, idleMs: 1, failurePauseMs: 30_000,
      sleep: async (ms) => { pausesMs.push(ms); },
      onPoll: () => controller.abort(),
    });
    expect(pausesMs).toEqual([12_000]);
  });

  it('polls again at once after a long poll the network held open, and pauses after a short poll', async () => {
    const pausesFor = async (longPollWaitSec: number, first: object = { ok: true, result: [] }): Promise<number[]> => {
      nock(TG).post(`/bot${TOKEN}/getUpdates`).reply(200, first);
      nock(TG).post(`/bot${TOKEN}/getUpdates`).times(2).reply(200, { ok: true, result: [] });
      const { retry } = testRetry();
      const client = new TelegramClient({ token: TOKEN, throttle: unthrottled(), retry, longPollWaitSec });
      const account: PolledAccount = { tenantId: TENANT, connector: new TelegramConnector({ accountId: 'bot', client, attempts: new MemoryAttemptLog(), discussionChatIds: [], keywords: [] }) as PolledAccount['connector'] };
      const controller = new AbortController();
      const pausesMs: number[] = [];
      let polls = 0;
      await runPollLoops({
        store: store.ingest, accounts: [account], signal: controller.signal, idleMs: 1000, failurePauseMs: 30_000,
        sleep: async (ms) => { pausesMs.push(ms); },
        onPoll: () => { if (++polls === 3) controller.abort(); },
      });
      nock.cleanAll();
      return pausesMs;
    };
    // Telegram held each empty getUpdates for its timeout: a message arriving now is fetched now.
    expect(await pausesFor(25)).toEqual([]);
    // A short poll (timeout 0) answered at once: the loop waits its pause before the next.
    expect(await pausesFor(0)).toEqual([1000, 1000]);
    // A long poll that brought a partial page: a moment for more to gather, then at once again.
    expect(await pausesFor(25, fixture('telegram', 'getUpdates.json') as object)).toEqual([GATHER_MS]);
  });

  it('an invalid token stops that account with a log line naming tenant and account; the other account goes on', async () => {
    const BAD = '7000000000:AAH-revoked_token_value';
    nock(TG).post(`/bot${BAD}/getUpdates`).reply(401, fixture('telegram', 'error.401.json') as object);
    nock(TG).post(`/bot${TOKEN}/getUpdates`).reply(200, fixture('telegram', 'getUpdates.json') as object);
    nock(TG).post(`/bot${TOKEN}/getUpdates`).times(50).reply(200, { ok: true, result: [] });
    const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
    const logger: PollLogger = {
      info: (fields, message) => lines.push({ level: 'info', fields: fields as Record<string, unknown>, message }),
      warn: (fields, message) => lines.push({ level: 'warn', fields: fields as Record<string, unknown>, message }),
      error: (fields, message) => lines.push({ level: 'error', fields: fields as Record<string, unknown>, message }),
    };
    const bad: PolledAccount = { tenantId: 'vyatskie-polyany', connector: telegram(BAD, 'old-bot') as PolledAccount['connector'] };
    const good: PolledAccount = { tenantId: TENANT, connector: telegram(TOKEN, 'bot') as PolledAccount['connector'] };
    const controller = new AbortController();
    let goodPolls = 0;
    const states = await runPollLoops({
      store: store.ingest, accounts: [bad, good], signal: controller.signal, idleMs: 1, failurePauseMs: 1, logger,
      onPoll: (account) => { if (account === good && ++goodPolls === 3) controller.abort(); },
    });
    expect(states.get(bad)).toBe('config-error');
    expect(states.get(good)).toBe('stopped');
    expect(goodPolls).toBe(3);
    expect(await count()).toBe(4);
    const stop = lines.find((line) => line.level === 'error');
    expect(stop).toMatchObject({ fields: { tenantId: 'vyatskie-polyany', network: 'telegram', accountId: 'old-bot' }, message: 'account misconfigured, polling stopped for this account' });
    expect(JSON.stringify(lines)).not.toContain('revoked_token_value');
  });
});
