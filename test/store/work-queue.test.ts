import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Store } from '../../store/port.js';
import { dropTestStore, openTestStore } from '../support/store.js';

describe('work queue (embedded store)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore('workqueue');
  });
  afterAll(async () => {
    await dropTestStore(store);
  });

  const t0 = new Date('2026-11-24T09:00:00Z');
  const later = (ms: number) => new Date(t0.getTime() + ms);
  const refs = (claimed: ReadonlyArray<{ item: { ref: string } }>) => claimed.map((c) => c.item.ref);

  it('enqueues the same work once', async () => {
    expect(await store.work.enqueue('classify', [{ tenant: 'z', ref: 'm1' }, { tenant: 'z', ref: 'm2' }], t0)).toBe(2);
    expect(await store.work.enqueue('classify', [{ tenant: 'z', ref: 'm2' }, { tenant: 'z', ref: 'm3' }], t0)).toBe(1);
    expect(await store.work.pending('classify')).toBe(3);
  });

  it('hands out a batch per claim, oldest first, each item to one holder at a time, and queues kept apart', async () => {
    await store.work.enqueue('publish', [{ tenant: 'z', ref: 'i1', payload: { draftId: 'd1' } }], later(1));
    const a = await store.work.claim('classify', 'worker-a', later(10), 60000, 2);
    const b = await store.work.claim('classify', 'worker-b', later(10), 60000, 2);
    expect([refs(a), refs(b)]).toEqual([['m1', 'm2'], ['m3']]);
    expect(await store.work.claim('classify', 'worker-c', later(10), 60000, 2)).toEqual([]);
    const p = await store.work.claim<{ draftId: string }>('publish', 'publisher', later(10), 60000, 5);
    expect(p.map((c) => c.item.payload)).toEqual([{ draftId: 'd1' }]);
    expect(await store.work.complete('classify', a.slice(0, 1))).toBe(1);
    expect(await store.work.complete('publish', p)).toBe(1);
    expect(await store.work.pending('classify')).toBe(2);
    expect(await store.work.pending('publish')).toBe(0);
  });

  it('two claimers racing for one queue never get the same item', async () => {
    await store.work.enqueue('notice', Array.from({ length: 60 }, (_, i) => ({ tenant: 'z', ref: `n${i}` })), t0);
    // Each claimer keeps claiming until the queue is empty; a lost compare-and-set only means fewer in that round.
    const grabs = await Promise.all(Array.from({ length: 6 }, async (_, i) => {
      const mine: string[] = [];
      for (;;) {
        const got = await store.work.claim('notice', `w${i}`, later(30), 60000, 7);
        if (got.length === 0) return mine;
        mine.push(...refs(got));
      }
    }));
    const all = grabs.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(60);
  });

  it('puts failed work back for later with the error; a lost lease can neither renew nor complete it', async () => {
    await store.work.enqueue('job', [{ tenant: '*', ref: 'tick' }], t0);
    const [held] = await store.work.claim('job', 'worker-c', later(20), 1000, 1);
    expect(held?.item.ref).toBe('tick');
    expect(await store.work.retryLater('job', held!, later(60000), 'store timeout')).toBe(true);
    expect(await store.work.claim('job', 'worker-c', later(30000), 1000, 1)).toEqual([]);
    const [again] = await store.work.claim('job', 'worker-d', later(60005), 1000, 1);
    expect(again?.item).toMatchObject({ ref: 'tick', attempts: 1, lastError: 'store timeout' });
    // worker-d stalls past its lease; worker-e takes it over.
    const [takeover] = await store.work.claim('job', 'worker-e', later(61006), 60000, 1);
    expect(takeover?.item.ref).toBe('tick');
    expect(await store.work.renew('job', [again!], later(61007), 1000)).toEqual([]);
    expect(await store.work.complete('job', [again!])).toBe(0);
    expect(await store.work.renew('job', [takeover!], later(61007), 60000)).toHaveLength(1);
    expect(await store.work.complete('job', [takeover!])).toBe(1);
  });

  it('postpones without spending an attempt, and can replace the payload', async () => {
    await store.work.enqueue('classify', [{ tenant: 'z', ref: 'batch', payload: { messages: ['a', 'b'] } }], t0);
    const [held] = (await store.work.claim<{ messages: string[] }>('classify', 'w', later(100000), 1000, 10)).filter((c) => c.item.ref === 'batch');
    expect(await store.work.postpone('classify', held!, later(100100), 'b not stored yet', { messages: ['b'] })).toBe(true);
    const [back] = (await store.work.claim<{ messages: string[] }>('classify', 'w', later(200000), 1000, 10)).filter((c) => c.item.ref === 'batch');
    expect(back?.item).toMatchObject({ attempts: 0, payload: { messages: ['b'] }, lastError: 'b not stored yet' });
  });

  it('moves a poison item to the dead letters, shows it, and puts it back on request', async () => {
    await store.work.enqueue('publish', [{ tenant: 'z', ref: 'poison', payload: { number: 7, draftId: 'd7' } }], t0);
    const [held] = await store.work.claim('publish', 'w', later(10), 1000, 1);
    expect(await store.work.bury('publish', held!, 'TypeError: cannot read «text»', later(20))).toBe(true);
    expect(await store.work.pending('publish')).toBe(0);
    const dead = await store.work.deadLetters('publish');
    expect(dead).toEqual([expect.objectContaining({ kind: 'publish', tenant: 'z', ref: 'poison', attempts: 1, lastError: 'TypeError: cannot read «text»' })]);
    expect(await store.work.resurrect(dead.map((d) => d.id), later(30))).toBe(1);
    expect(await store.work.deadLetters('publish')).toEqual([]);
    const [back] = await store.work.claim('publish', 'w', later(40), 1000, 1);
    expect(back?.item).toMatchObject({ ref: 'poison', attempts: 0, payload: { number: 7, draftId: 'd7' } });
  });
});
