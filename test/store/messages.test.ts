import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NormalizedMessage } from '../../connectors/types.js';
import type { Store } from '../../store/port.js';
import { dropTestStore, openTestStore, rawDb } from '../support/store.js';

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
    expect(await store.messages.ingest('zarechensk', [message(1), message(2), message(3)], 'vk-main')).toEqual({ inserted: 3, duplicates: 0 });
    // A restart re-fetches 2 and 3 along with the new 4.
    expect(await store.messages.ingest('zarechensk', [message(2), message(3), message(4)], 'vk-main')).toEqual({ inserted: 1, duplicates: 2 });
    expect(await store.messages.ingest('zarechensk', [message(1)], 'vk-main')).toEqual({ inserted: 0, duplicates: 1 });
    expect(await rawDb(store).collection('messages').countDocuments({ tenant: 'zarechensk' })).toBe(4);
    // The same external id in another tenant is another message.
    expect(await store.messages.ingest('klyuchi', [message(1)])).toEqual({ inserted: 1, duplicates: 0 });
    // One classification item per fetched batch, naming its messages; the same batch fetched again is queued once.
    expect(await store.messages.ingest('zarechensk', [message(1)], 'vk-main')).toEqual({ inserted: 0, duplicates: 1 });
    const jobs = await rawDb(store).collection('work.classify').find({}).toArray();
    expect(jobs.map((j) => `${j.tenant} ${(j.payload as { messages: string[] }).messages.join(',')}`).sort()).toEqual([
      'klyuchi klyuchi:vk:wall-212345678_10_1',
      'zarechensk zarechensk:vk:wall-212345678_10_1',
      'zarechensk zarechensk:vk:wall-212345678_10_1,zarechensk:vk:wall-212345678_10_2,zarechensk:vk:wall-212345678_10_3',
      'zarechensk zarechensk:vk:wall-212345678_10_2,zarechensk:vk:wall-212345678_10_3,zarechensk:vk:wall-212345678_10_4',
    ]);
    // Read back by key, in the connectors' shape.
    const [stored] = await store.messages.getMany(['zarechensk:vk:wall-212345678_10_4']);
    expect(stored).toMatchObject({ id: 'zarechensk:vk:wall-212345678_10_4', tenant: 'zarechensk', account: 'vk-main', text: message(4).text, author: message(4).author });
    expect(stored!.raw).toEqual({ id: 4 });
    // The classifier reads the same message without the network's payload.
    const [lean] = await store.messages.getMany(['zarechensk:vk:wall-212345678_10_4'], { withoutRaw: true });
    expect(lean).toEqual({ ...stored, raw: null });
  });

  it('keeps "$" and "." keys of a payload as data, never as operators', async () => {
    await store.messages.ingest('zarechensk', [message(50, { $where: 'sleep(1000)', 'a.b': { $gt: 1 } })]);
    const stored = await rawDb(store).collection('messages').findOne({ externalId: 'wall-212345678_10_50' });
    expect(stored?.raw).toEqual({ '＄where': 'sleep(1000)', 'a．b': { '＄gt': 1 } });
  });

  it('keeps malformed payloads aside with the problem', async () => {
    await store.messages.putAside('zarechensk', [{ network: 'telegram', accountId: 'tg-bot', reason: 'message.from missing', raw: { update_id: 5 }, receivedAt: new Date('2026-11-20T08:00:00Z') }]);
    const aside = await rawDb(store).collection('malformedPayloads').find({}).toArray();
    expect(aside).toEqual([expect.objectContaining({ tenant: 'zarechensk', network: 'telegram', account: 'tg-bot', problem: 'message.from missing', payload: { update_id: 5 } })]);
  });

  it('saves and loads a cursor per tenant, network and account', async () => {
    expect(await store.cursors.load('zarechensk', 'telegram', 'tg-bot')).toBeNull();
    await store.cursors.save('zarechensk', 'telegram', 'tg-bot', { offset: 1001 });
    await store.cursors.save('zarechensk', 'telegram', 'tg-bot', { offset: 1002 });
    await store.cursors.save('zarechensk', 'vk', 'vk-main', { startFrom: '6/5_-1_2' });
    expect(await store.cursors.load('zarechensk', 'telegram', 'tg-bot')).toEqual({ offset: 1002 });
    expect(await store.cursors.load('zarechensk', 'vk', 'vk-main')).toEqual({ startFrom: '6/5_-1_2' });
    expect(await store.cursors.load('klyuchi', 'telegram', 'tg-bot')).toBeNull();
  });
});
