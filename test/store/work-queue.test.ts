import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Store } from '../../store/connection.js';
import { claimWork, completeWork, enqueueWork, pendingWork, retryWorkLater } from '../../store/work-queue.js';
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

  it('enqueues the same work once', async () => {
    expect(await enqueueWork(store, [{ kind: 'classify', tenant: 'z', ref: 'm1' }, { kind: 'classify', tenant: 'z', ref: 'm2' }], t0)).toBe(2);
    expect(await enqueueWork(store, [{ kind: 'classify', tenant: 'z', ref: 'm2' }, { kind: 'classify', tenant: 'z', ref: 'm3' }], t0)).toBe(1);
    expect(await pendingWork(store, 'classify')).toBe(3);
  });

  it('hands out work by kind, oldest first, each item to one holder at a time', async () => {
    await enqueueWork(store, [{ kind: 'publish', tenant: 'z', ref: 'i1', payload: { draftId: 'd1' } }], later(1));
    const a = await claimWork(store, ['classify'], 'worker-a', later(10), 60000);
    const b = await claimWork(store, ['classify'], 'worker-b', later(10), 60000);
    expect([a?.item.ref, b?.item.ref]).toEqual(['m1', 'm2']);
    const p = await claimWork<{ draftId: string }>(store, ['publish'], 'publisher', later(10), 60000);
    expect(p?.item.payload).toEqual({ draftId: 'd1' });
    expect(await completeWork(store, a!)).toBe(true);
    expect(await completeWork(store, p!)).toBe(true);
    expect(await pendingWork(store)).toBe(2);
  });

  it('puts failed work back for later with the error, and a lost lease cannot complete it', async () => {
    const claimed = await claimWork(store, ['classify'], 'worker-c', later(20), 1000);
    expect(claimed?.item.ref).toBe('m3');
    expect(await retryWorkLater(store, claimed!, later(60000), 'store timeout')).toBe(true);
    expect(await claimWork(store, ['classify'], 'worker-c', later(30000), 1000)).toBeNull(); // m2 still leased, m3 not yet due
    // m2 is still leased to worker-b (until t0 + 60,010 ms); m3 has become due again.
    const m3 = await claimWork(store, ['classify'], 'worker-d', later(60005), 1000);
    expect(m3?.item).toMatchObject({ ref: 'm3', attempts: 1, lastError: 'store timeout' });
    // worker-d stalls past its lease; worker-e takes over both expired leases, oldest first.
    const takeover = await claimWork(store, ['classify'], 'worker-e', later(61006), 1000);
    expect(takeover?.item.ref).toBe('m2');
    const takeover2 = await claimWork(store, ['classify'], 'worker-e', later(61006), 1000);
    expect(takeover2?.item.ref).toBe('m3');
    expect(await completeWork(store, m3!)).toBe(false);
    expect(await completeWork(store, takeover2!)).toBe(true);
  });
});
