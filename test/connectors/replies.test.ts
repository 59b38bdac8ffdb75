import { describe, it, expect, afterEach, beforeAll, afterAll } from '@jest/globals';
import nock from 'nock';
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

/**
 * Point 13 of issue 12, the connector part: an author answering a clarification request
 * (001 [17]) in the same thread or in private comes with what the workflow needs to find
 * the incident that waits for it: the item replied to (our request's published id), its
 * author (our bot or community), the thread, the chat and the author.
 */
const NOW = new Date('2025-11-24T14:00:00Z');

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('replies to our clarification requests carry what matches them to the incident', () => {
  it('Telegram: in private, and in the discussion thread, the reply names our message (sendMessage\'s message_id) and our bot', async () => {
    nock('https://api.telegram.org').post('/bot7012345678:AAH-replies/getUpdates').reply(200, fixture('telegram', 'getUpdates.replies.json') as object);
    const { retry } = testRetry();
    const client = new TelegramClient({ token: '7012345678:AAH-replies', throttle: unthrottled(), retry, longPollWaitSec: 0 });
    const connector = new TelegramConnector({ accountId: 'bot', client, attempts: new MemoryAttemptLog(), discussionChatIds: ['-1001555000111'], keywords: [], now: () => NOW });
    const batch = await connector.fetchSince({ offset: 731500110 });
    expect(batch.rejected).toEqual([]);
    expect(batch.messages.map((m) => ({ kind: m.kind, author: m.author.id, place: m.place }))).toEqual([
      { kind: 'private', author: '5012345678', place: { containerId: '5012345678', itemId: '418', replyToId: '417', replyToAuthorId: '7012345678' } },
      // 2301 is the id sendMessage gave for our question in the thread (sendMessage.json).
      { kind: 'comment', author: '6023456789', place: { containerId: '-1001555000111', postId: '2291', itemId: '2310', threadId: '2291', replyToId: '2301', replyToAuthorId: '7012345678' } },
    ]);
    expect(String((fixture('telegram', 'sendMessage.json') as { result: { message_id: number } }).result.message_id)).toBe(batch.messages[1]!.place.replyToId);
  });

  it('VK: the comment names our comment and our community (reply_to_comment, reply_to_user); the message names our message (reply_message)', async () => {
    nock('https://lp.vk.com').get('/whp/218475963').query(true).reply(200, fixture('vk', 'longpoll.replies.json') as object);
    nock('https://api.vk.ru').post('/method/users.get').reply(200, fixture('vk', 'users.get.json') as object);
    const { retry } = testRetry();
    const client = new VkClient({ token: 'vk1.a.replies', tokenKind: 'community', throttle: unthrottled(), retry });
    const connector = new VkConnector({ accountId: 'vk', groupId: 218475963, client, keywords: [], now: () => NOW });
    const batch = await connector.fetchSince({ server: 'https://lp.vk.com/whp/218475963', key: 'k', ts: '1048', mentionsSinceSec: 1763970000, mentionsCheckedAtSec: 1763970000, lastEventSec: 1763970000 });
    expect(batch.messages.map((m) => ({ kind: m.kind, author: m.author.id, place: m.place }))).toEqual([
      {
        kind: 'comment', author: '512340987',
        place: { containerId: '-218475963', postId: '1377', itemId: '5831', threadId: '5821', replyToId: '5830', replyToAuthorId: '-218475963', url: 'https://vk.com/wall-218475963_1377?reply=5831&thread=5821' },
      },
      { kind: 'private', author: '512340987', place: { containerId: '512340987', itemId: '905', replyToId: '904', replyToAuthorId: '-218475963' } },
    ]);
  });

  it('OK: the comment names the group\'s comment it answers (the id addDiscussionComment gave)', async () => {
    const rest = (method: string) => nock('https://api.ok.ru').post('/fb.do', (form: Record<string, string>) => form.method === method);
    rest('discussions.getList').reply(200, { discussions: [{ object_type: 'GROUP_TOPIC', object_id: '155762436583901', last_activity_date: '2025-11-24 13:33:20' }], has_more: false });
    rest('discussions.getComments').reply(200, fixture('ok', 'discussions.getComments.replies.json') as object);
    nock('https://api.ok.ru').get('/graph/me/chats').query(true).reply(200, { chats: [] });
    const { retry } = testRetry();
    const client = new OkClient({ applicationKey: 'CBAFJIICABABABABA', applicationSecretKey: 'secret-replies', accessToken: 'tkn1ok-replies', throttle: unthrottled(), retry });
    const connector = new OkConnector({ accountId: 'ok', groupId: '70000001234567', client, attempts: new MemoryAttemptLog(), keywords: [], now: () => NOW });
    const batch = await connector.fetchSince({ sinceMs: Date.parse('2025-11-24T08:00:00Z'), topics: {}, messagesSinceMs: 1763970000000 });
    expect(batch.messages.map((m) => ({ author: m.author.id, place: m.place }))).toEqual([{
      author: '571203948811',
      place: {
        containerId: '70000001234567', postId: '155762436583901', itemId: 'MTc2Mzk4MDAwMDAwMDoxMjM2MQ==', discussionType: 'GROUP_TOPIC',
        threadId: 'MTc2Mzk3ODAwMDAwMDoxMjM1MA==', replyToId: 'MTc2Mzk3ODAwMDAwMDoxMjM1MA==', url: 'https://ok.ru/group/70000001234567/topic/155762436583901',
      },
    }]);
    expect(batch.messages[0]!.place.replyToId).toBe(fixture('ok', 'addDiscussionComment.json'));
  });
});
