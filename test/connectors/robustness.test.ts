import { describe, it, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import fc from 'fast-check';
import nock from 'nock';
import { VkClient } from '../../connectors/vk/client.js';
import { VkConnector } from '../../connectors/vk/connector.js';
import { TelegramClient } from '../../connectors/telegram/client.js';
import { TelegramConnector } from '../../connectors/telegram/connector.js';
import { MemoryAttemptLog } from '../../connectors/connector.js';
import { unthrottled } from '../../connectors/throttle.js';
import { fixture } from './support/reference.js';
import { testRetry } from './support/fast.js';

/**
 * Whatever junk a network mixes into a batch, the fetch neither throws nor drops the good
 * items, and sets every bad one aside.
 */
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => { nock.cleanAll(); });

const junk = fc.array(fc.oneof(fc.anything(), fc.record({ type: fc.string(), object: fc.anything() }), fc.record({ update_id: fc.integer(), message: fc.anything() })), { maxLength: 6 });

/** Inserts each junk item at a position drawn for it, keeping the good items' order. */
function mix<T>(good: readonly T[], bad: readonly unknown[], positions: readonly number[]): unknown[] {
  const out: unknown[] = [...good];
  bad.forEach((item, index) => out.splice((positions[index] ?? 0) % (out.length + 1), 0, item));
  return out;
}

describe('malformed items never cost the rest of the batch', () => {
  it('VK Long Poll', async () => {
    const good = (fixture('vk', 'longpoll.updates.json') as { updates: unknown[] }).updates;
    await fc.assert(fc.asyncProperty(junk, fc.array(fc.nat(), { minLength: 6, maxLength: 6 }), async (bad, positions) => {
      nock('https://lp.vk.com').get('/whp/1').query(true).reply(200, { ts: '9', updates: mix(good, bad, positions) });
      nock('https://api.vk.ru').post('/method/users.get').reply(200, fixture('vk', 'users.get.json') as object);
      const { retry } = testRetry();
      const client = new VkClient({ token: 'vk1.a.robust', tokenKind: 'community', throttle: unthrottled(), retry });
      const connector = new VkConnector({ accountId: 'vk', groupId: 218475963, client, keywords: [] });
      const batch = await connector.fetchSince({ server: 'https://lp.vk.com/whp/1', key: 'k', ts: '1', mentionsSinceSec: 0, mentionsCheckedAtSec: 0, lastEventSec: 0 });
      nock.cleanAll();
      expect(batch.messages.map((m) => m.externalId)).toEqual(['comment:-218475963_5821', 'comment:-218475963_5824', 'message:512340987_31']);
      expect(batch.rejected).toHaveLength(bad.length);
    }), { numRuns: 30 });
  });

  it('Telegram getUpdates', async () => {
    const good = (fixture('telegram', 'getUpdates.json') as { result: unknown[] }).result;
    await fc.assert(fc.asyncProperty(junk, fc.array(fc.nat(), { minLength: 6, maxLength: 6 }), async (bad, positions) => {
      nock('https://api.telegram.org').post('/bot1:robust/getUpdates').reply(200, { ok: true, result: mix(good, bad, positions) });
      const { retry } = testRetry();
      const client = new TelegramClient({ token: '1:robust', throttle: unthrottled(), retry, longPollWaitSec: 0 });
      const connector = new TelegramConnector({ accountId: 'bot', client, attempts: new MemoryAttemptLog(), discussionChatIds: ['-1001555000111'], keywords: ['администрац'] });
      const batch = await connector.fetchSince({ offset: 0 });
      nock.cleanAll();
      expect(batch.messages.map((m) => m.externalId)).toEqual(['5012345678:412', '-1001555000111:2294', '-1001222333444:88', '-1001555000111:2297']);
      expect(batch.rejected).toHaveLength(bad.length);
      expect(batch.cursor.offset).toBeGreaterThanOrEqual(731500107);
    }), { numRuns: 30 });
  });
});
