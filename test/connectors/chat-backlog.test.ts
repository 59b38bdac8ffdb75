import { describe, it, expect, afterEach, beforeAll, afterAll } from '@jest/globals';
import nock from 'nock';
import { TelegramClient } from '../../connectors/telegram/client.js';
import { TelegramConnector } from '../../connectors/telegram/connector.js';
import { MemoryAttemptLog } from '../../connectors/connector.js';
import { Throttle } from '../../connectors/throttle.js';
import type { NormalizedMessage } from '../../connectors/types.js';
import { fixture } from './support/reference.js';
import { testRetry } from './support/fast.js';

/**
 * A busy chat must not hold the publisher: Telegram lets a bot post 20 messages a minute in
 * one group, and the publisher has a few slots shared by every network. An answer to a chat
 * whose window is already taken by answers waiting before it comes back later (postponed,
 * no attempt spent or recorded) instead of sitting in a slot while the others wait.
 */
const TOKEN = '7012345678:AAH-chat_backlog';
const TG = 'https://api.telegram.org';
const GROUP = '-1001555000111';

const settle = () => new Promise((resolve) => setImmediate(resolve));

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

function comment(id: number): NormalizedMessage {
  return {
    network: 'telegram', externalId: `${GROUP}:${id}`, kind: 'comment',
    place: { containerId: GROUP, postId: '2291', itemId: String(id), threadId: '2291' },
    author: { id: `60234567${id}`, name: 'Виктор', anonymous: false },
    text: 'Когда починят фонари?', attachments: [], createdAt: new Date('2025-11-24T09:00:00Z'), matchedKeywords: [], raw: {},
  };
}

describe('Telegram: answers to a chat whose window is taken', () => {
  it('are postponed by the wait without a request or an attempt, while other chats are answered at once', async () => {
    const attempts = new MemoryAttemptLog();
    // One message per 6 s in a chat stands in for the group's 20 a minute.
    const throttle = new Throttle({ overall: { calls: 30, intervalMs: 1_000 }, perKey: () => ({ calls: 1, intervalMs: 6_000 }) });
    const client = new TelegramClient({ token: TOKEN, throttle, retry: testRetry().retry, longPollWaitSec: 0 });
    const connector = new TelegramConnector({ accountId: 'bot', client, attempts, discussionChatIds: [GROUP], keywords: [], now: () => new Date('2025-11-24T10:00:00Z') });
    nock(TG).post(`/bot${TOKEN}/sendMessage`).times(3).reply(200, fixture('telegram', 'sendMessage.json') as object);

    expect((await connector.reply({ answerId: 'a-1' }, comment(1), 'Ответ 1')).status).toBe('published');
    // The chat's window is taken: the second answer waits for it…
    const second = connector.reply({ answerId: 'a-2' }, comment(2), 'Ответ 2');
    await settle();
    // …and a third would wait behind it: it comes back later instead.
    const third = await connector.reply({ answerId: 'a-3' }, comment(3), 'Ответ 3');
    expect(third).toMatchObject({ status: 'retryable', waitMs: 12_000 });
    expect([...attempts.attempts.values()].map((a) => a.answerId).sort()).toEqual(['a-1']);
    // Another chat (a private message to its author) is not held by the group's backlog.
    expect((await connector.sendPrivate({ answerId: 'a-4' }, comment(4).author, 'Ответ 4')).status).toBe('published');
    expect((await second).status).toBe('published');
    expect([...attempts.attempts.values()].map((a) => a.answerId).sort()).toEqual(['a-1', 'a-2', 'a-4']);
  }, 30_000);
});
