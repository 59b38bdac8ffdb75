import { describe, it, expect, afterEach, beforeAll, afterAll } from '@jest/globals';
import nock from 'nock';
import { TelegramClient } from '../../connectors/telegram/client.js';
import { TelegramConnector } from '../../connectors/telegram/connector.js';
import { OkClient } from '../../connectors/ok/client.js';
import { OkConnector } from '../../connectors/ok/connector.js';
import { MemoryAttemptLog } from '../../connectors/connector.js';
import { Throttle } from '../../connectors/throttle.js';
import type { NormalizedMessage } from '../../connectors/types.js';
import { fixture } from './support/reference.js';
import { testRetry } from './support/fast.js';

/**
 * Point 11 of issue 12: the attempt is recorded right before the network call, inside the
 * rate limiter's slot. A publisher that dies while its send waits for the slot has
 * recorded nothing, so the next one sends the answer instead of handing it to a person.
 */
const TOKEN = '7012345678:AAH-attempt_timing';
const TG = 'https://api.telegram.org';
const OK = 'https://api.ok.ru';

/** A rate limiter whose slot opens when the test says: a send waiting behind a busy chat. */
class GatedThrottle extends Throttle {
  private open!: () => void;
  private readonly gate = new Promise<void>((resolve) => { this.open = resolve; });
  constructor() { super({ overall: { calls: Number.POSITIVE_INFINITY, intervalMs: 1 } }); }
  override run<T>(call: () => Promise<T>, key?: string): Promise<T> {
    return this.gate.then(() => super.run(call, key));
  }
  release(): void { this.open(); }
}

/** Lets every pending promise callback run, so a send gets as far as it can without the slot. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('Telegram', () => {
  const comment: NormalizedMessage = {
    network: 'telegram', externalId: '-1001555000111:2294', kind: 'comment',
    place: { containerId: '-1001555000111', postId: '2291', itemId: '2294', threadId: '2291' },
    author: { id: '6023456789', name: 'Виктор', anonymous: false },
    text: 'А в выходные автобус будет ходить?', attachments: [], createdAt: new Date('2025-11-24T09:00:00Z'), matchedKeywords: [], raw: {},
  };
  const connector = (attempts: MemoryAttemptLog, throttle: Throttle) => {
    const { retry } = testRetry();
    const client = new TelegramClient({ token: TOKEN, throttle, retry, longPollWaitSec: 0 });
    return new TelegramConnector({ accountId: 'bot', client, attempts, discussionChatIds: ['-1001555000111'], keywords: [], now: () => new Date('2025-11-24T10:00:00Z') });
  };

  it('nothing is recorded while the send waits for its slot; a publisher that dies there leaves the answer to be sent', async () => {
    const attempts = new MemoryAttemptLog();
    const busy = new GatedThrottle();
    // The first publisher's send waits behind the chat's rate limit…
    void connector(attempts, busy).reply({ answerId: 'answer-91' }, comment, 'Будет, по расписанию выходного дня.');
    await settle();
    expect(attempts.attempts.size).toBe(0);
    // …and the process dies there. The next publisher finds no attempt and sends, once.
    const onRecordAtCall: (string | undefined)[] = [];
    nock(TG).post(`/bot${TOKEN}/sendMessage`).reply(200, () => {
      // The attempt is on record when the request reaches the network, without a result yet.
      onRecordAtCall.push(...[...attempts.attempts.values()].map((attempt) => `${attempt.answerId} ${attempt.externalId ?? 'open'}`));
      return fixture('telegram', 'sendMessage.json') as object;
    });
    const next = new GatedThrottle();
    next.release();
    await expect(connector(attempts, next).reply({ answerId: 'answer-91' }, comment, 'Будет, по расписанию выходного дня.'))
      .resolves.toEqual({ status: 'published', externalId: '2301', recovered: false });
    expect(onRecordAtCall).toEqual(['answer-91 open']);
  });

  it('an attempt recorded at the call still makes a repeat uncertain, without a second send', async () => {
    const attempts = new MemoryAttemptLog();
    nock(TG).post(`/bot${TOKEN}/sendMessage`).delay(300).reply(200, fixture('telegram', 'sendMessage.json') as object);
    const { retry } = testRetry();
    const client = new TelegramClient({ token: TOKEN, throttle: new Throttle({ overall: { calls: 30, intervalMs: 1_000 } }), retry, timeoutMs: 50, longPollWaitSec: 0 });
    const bot = new TelegramConnector({ accountId: 'bot', client, attempts, discussionChatIds: [], keywords: [] });
    await expect(bot.reply({ answerId: 'answer-92' }, comment, 'Ответ')).resolves.toMatchObject({ status: 'uncertain' });
    await expect(bot.reply({ answerId: 'answer-92' }, comment, 'Ответ')).resolves.toMatchObject({ status: 'uncertain' });
  });
});

describe('OK', () => {
  const GROUP = '70000001234567';
  const comment: NormalizedMessage = {
    network: 'ok', externalId: 'comment:MTc2Mzk3NTYwMDAwMDoxMjM0NQ==', kind: 'comment',
    place: { containerId: GROUP, postId: '155762436583901', itemId: 'MTc2Mzk3NTYwMDAwMDoxMjM0NQ==', discussionType: 'GROUP_TOPIC' },
    author: { id: '574400112233', name: 'Тамара Гусева', anonymous: false },
    text: 'Когда починят освещение?', attachments: [], createdAt: new Date('2025-11-24T09:00:00Z'), matchedKeywords: [], raw: {},
  };
  const connector = (attempts: MemoryAttemptLog, throttle: Throttle) => {
    const { retry } = testRetry();
    const client = new OkClient({ applicationKey: 'CBAFJIICABABABABA', applicationSecretKey: 'secret-timing', accessToken: 'tkn1ok-timing', throttle, retry });
    return new OkConnector({ accountId: 'ok', groupId: GROUP, client, attempts, keywords: [], now: () => new Date('2025-11-24T10:00:00Z') });
  };

  it('nothing is recorded while the comment waits for its slot; the next publisher posts without reading back first', async () => {
    const attempts = new MemoryAttemptLog();
    const busy = new GatedThrottle();
    void connector(attempts, busy).reply({ answerId: 'answer-93' }, comment, 'Работы назначены на четверг.');
    await settle();
    expect(attempts.attempts.size).toBe(0);
    // No read-back (discussions.getComments) is needed: nothing was on record.
    let onRecordAtCall = 0;
    nock(OK).post('/fb.do', (form: Record<string, string>) => form.method === 'discussions.addDiscussionComment').reply(200, () => {
      onRecordAtCall = attempts.attempts.size;
      return JSON.stringify(fixture('ok', 'addDiscussionComment.json'));
    });
    const next = new GatedThrottle();
    next.release();
    await expect(connector(attempts, next).reply({ answerId: 'answer-93' }, comment, 'Работы назначены на четверг.')).resolves.toMatchObject({ status: 'published', recovered: false });
    expect(onRecordAtCall).toBe(1);
  });
});
