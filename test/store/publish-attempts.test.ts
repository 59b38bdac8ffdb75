import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Store } from '../../store/port.js';
import { dropTestStore, openTestStore } from '../support/store.js';

describe('publish attempts recorded before the call (embedded store)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore('attempts');
  });
  afterAll(async () => {
    await dropTestStore(store);
  });

  it('tells every later caller that an attempt was already started, and what it produced', async () => {
    const log = store.publication.attemptLog;
    const attempt = { answerId: 'a1', network: 'telegram' as const, target: 'chat:42', startedAt: new Date('2026-11-24T10:00:00Z') };
    expect(await log.begin(attempt)).toBeNull();
    expect(await log.begin({ ...attempt, startedAt: new Date('2026-11-24T10:05:00Z') })).toEqual(attempt);
    await log.complete('a1', 'chat:42', '777');
    expect(await log.begin(attempt)).toEqual({ ...attempt, externalId: '777' });
  });

  it('lets exactly one of many concurrent publishers start the same attempt', async () => {
    const log = store.publication.attemptLog;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => log.begin({ answerId: 'a2', network: 'ok', target: 'topic:GROUP_TOPIC:5', startedAt: new Date(1795500000000 + i) })));
    expect(results.filter((r) => r === null)).toHaveLength(1);
  });

  it('forgets an abandoned attempt (the network answered with an error), but never a completed one', async () => {
    const log = store.publication.attemptLog;
    const attempt = { answerId: 'a3', network: 'telegram' as const, target: 'user:7', startedAt: new Date() };
    await log.begin(attempt);
    await log.abandon('a3', 'user:7');
    expect(await log.begin(attempt)).toBeNull();
    await log.complete('a3', 'user:7', '900');
    await log.abandon('a3', 'user:7');
    expect(await log.begin(attempt)).toMatchObject({ externalId: '900' });
  });
});
