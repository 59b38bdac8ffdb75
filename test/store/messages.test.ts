import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NormalizedMessage } from '../../connectors/types.js';
import type { Store } from '../../store/connection.js';
import { loadCursor, saveCursor } from '../../store/cursors.js';
import { ingestMessages, putAside } from '../../store/messages.js';
import { dropTestStore, openTestStore } from '../support/store.js';

function message(id: number, raw: unknown = { id }): NormalizedMessage {
  return {
    network: 'vk', externalId: `wall-212345678_10_${id}`, kind: 'comment',
    place: { containerId: '-212345678', postId: '10', itemId: String(id) },
    author: { id: '777', name: 'Мария Иванова', profileUrl: 'https://vk.com/id777', anonymous: false },
    text: `Комментарий ${id}: когда отремонтируют дорогу на улице Мира?`, attachments: [],
    createdAt: new Date('2026-11-20T08:00:00Z'), matchedKeywords: ['администрация'], raw,
  };
}

describe('message ingest and cursors (embedded store)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore('ingest');
  });
  afterAll(async () => {
    await dropTestStore(store);
  });

  it('stores each message once, however often it is fetched', async () => {
    expect(await ingestMessages(store, 'zarechensk', [message(1), message(2), message(3)], 'vk-main')).toEqual({ inserted: 3, duplicates: 0 });
    // A restart re-fetches 2 and 3 along with the new 4.
    expect(await ingestMessages(store, 'zarechensk', [message(2), message(3), message(4)], 'vk-main')).toEqual({ inserted: 1, duplicates: 2 });
    expect(await ingestMessages(store, 'zarechensk', [message(1)], 'vk-main')).toEqual({ inserted: 0, duplicates: 1 });
    expect(await store.connection.db!.collection('messages').countDocuments({ tenant: 'zarechensk' })).toBe(4);
    // The same external id in another tenant is another message.
    expect(await ingestMessages(store, 'klyuchi', [message(1)])).toEqual({ inserted: 1, duplicates: 0 });
    // One classification job per distinct message, however often it was fetched.
    const jobs = await store.connection.db!.collection('workItems').find({ kind: 'classify' }).toArray();
    expect(jobs.map((j) => `${j.tenant} ${j.ref}`).sort()).toEqual([
      'klyuchi vk:wall-212345678_10_1',
      'zarechensk vk:wall-212345678_10_1',
      'zarechensk vk:wall-212345678_10_2',
      'zarechensk vk:wall-212345678_10_3',
      'zarechensk vk:wall-212345678_10_4',
    ]);
  });

  it('keeps "$" and "." keys of a payload as data, never as operators', async () => {
    await ingestMessages(store, 'zarechensk', [message(50, { $where: 'sleep(1000)', 'a.b': { $gt: 1 } })]);
    const stored = await store.connection.db!.collection('messages').findOne({ externalId: 'wall-212345678_10_50' });
    expect(stored?.raw).toEqual({ '＄where': 'sleep(1000)', 'a．b': { '＄gt': 1 } });
  });

  it('keeps malformed payloads aside with the problem', async () => {
    await putAside(store, 'zarechensk', [{ network: 'telegram', accountId: 'tg-bot', reason: 'message.from missing', raw: { update_id: 5 }, receivedAt: new Date('2026-11-20T08:00:00Z') }]);
    const aside = await store.connection.db!.collection('malformedPayloads').find({}).toArray();
    expect(aside).toEqual([expect.objectContaining({ tenant: 'zarechensk', network: 'telegram', account: 'tg-bot', problem: 'message.from missing', payload: { update_id: 5 } })]);
  });

  it('saves and loads a cursor per tenant, network and account', async () => {
    expect(await loadCursor(store, 'zarechensk', 'telegram', 'tg-bot')).toBeNull();
    await saveCursor(store, 'zarechensk', 'telegram', 'tg-bot', { offset: 1001 });
    await saveCursor(store, 'zarechensk', 'telegram', 'tg-bot', { offset: 1002 });
    await saveCursor(store, 'zarechensk', 'vk', 'vk-main', { startFrom: '6/5_-1_2' });
    expect(await loadCursor(store, 'zarechensk', 'telegram', 'tg-bot')).toEqual({ offset: 1002 });
    expect(await loadCursor(store, 'zarechensk', 'vk', 'vk-main')).toEqual({ startFrom: '6/5_-1_2' });
    expect(await loadCursor(store, 'klyuchi', 'telegram', 'tg-bot')).toBeNull();
  });
});
