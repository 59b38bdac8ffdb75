import { describe, it, expect, afterEach, beforeEach } from '@jest/globals';
import axios from 'axios';
import { startSandbox, SANDBOX_CREDENTIALS, type Sandbox, type RecordedPost, type SandboxSwitches } from '../../sandbox/server.js';
import { DEFAULT_SWITCHES } from '../../sandbox/state.js';
import { VkClient } from '../../connectors/vk/client.js';
import { VkConnector } from '../../connectors/vk/connector.js';
import { TelegramClient } from '../../connectors/telegram/client.js';
import { TelegramConnector } from '../../connectors/telegram/connector.js';
import { OkClient } from '../../connectors/ok/client.js';
import { OkConnector } from '../../connectors/ok/connector.js';
import { MaxClient } from '../../connectors/max/client.js';
import { MaxConnector } from '../../connectors/max/connector.js';
import { MemoryAttemptLog, type NetworkConnector } from '../../connectors/connector.js';
import { MAX_SERVER_WAIT_MS } from '../../connectors/errors.js';
import { pollOnce, type IngestStore } from '../../connectors/poll.js';
import { publishAnswer } from '../../connectors/publish.js';
import { unthrottled } from '../../connectors/throttle.js';
import type { ResponseLimits } from '../../connectors/transport.js';
import type { Network, NormalizedMessage } from '../../connectors/types.js';
import { recordingSleep } from '../connectors/support/fast.js';

/**
 * Point 6 of the connector task: the sandbox's hostile switches, each off by default, act
 * on the real client libraries the way the hostile networks of issue 12 did, and the
 * connectors come through: nothing lost, nothing stored or posted twice.
 */
// A fresh sandbox per test: what one test emitted is not pending for the next.
let sandbox: Sandbox;
beforeEach(async () => { sandbox = await startSandbox({ port: 0 }); });
afterEach(async () => { await sandbox.stop(); });

/** Small caps, so a huge or trickled answer costs the test a moment. */
const LIMITS: Partial<ResponseLimits> = { maxResponseBytes: 1024 * 1024, totalTimeoutMs: 1_500 };
const NOW = () => new Date();

function retry() {
  const { sleep, delaysMs } = recordingSleep();
  return { delaysMs, retry: { sleep, random: () => 0.5, backoff: { baseDelayMs: 100, maxDelayMs: 1_000, maxRetries: 3, jitter: 0, maxServerWaitMs: 60_000 } } };
}

function connectorFor(network: Network, policy = retry().retry): NetworkConnector<unknown> {
  switch (network) {
    case 'vk': {
      const client = new VkClient({ token: SANDBOX_CREDENTIALS.vk.token, tokenKind: 'community', apiBaseUrl: sandbox.vkApiBaseUrl, throttle: unthrottled(), retry: policy, limits: LIMITS });
      return new VkConnector({ accountId: 'vk', groupId: SANDBOX_CREDENTIALS.vk.groupId, client, keywords: [], longPollWaitSec: 0, now: NOW }) as NetworkConnector<unknown>;
    }
    case 'telegram': {
      const client = new TelegramClient({ token: SANDBOX_CREDENTIALS.telegram.token, baseApiUrl: sandbox.telegramBaseApiUrl, throttle: unthrottled(), retry: policy, longPollWaitSec: 0, limits: LIMITS });
      return new TelegramConnector({ accountId: 'bot', client, attempts: new MemoryAttemptLog(), discussionChatIds: [String(SANDBOX_CREDENTIALS.telegram.discussionChatId)], keywords: ['администрац'], now: NOW }) as NetworkConnector<unknown>;
    }
    case 'ok': {
      const { applicationKey, applicationSecretKey, accessToken, groupId } = SANDBOX_CREDENTIALS.ok;
      const client = new OkClient({ applicationKey, applicationSecretKey, accessToken, baseUrl: sandbox.okBaseUrl, throttle: unthrottled(), retry: policy, limits: LIMITS });
      return new OkConnector({ accountId: 'ok', groupId, client, attempts: new MemoryAttemptLog(), keywords: [], now: NOW }) as NetworkConnector<unknown>;
    }
    case 'max': {
      const client = new MaxClient({ token: SANDBOX_CREDENTIALS.max.token, baseUrl: sandbox.maxBaseUrl, throttle: unthrottled(), retry: policy, longPollWaitSec: 0, limits: LIMITS });
      return new MaxConnector({ accountId: 'max', client, attempts: new MemoryAttemptLog(), discussionChatIds: [], keywords: ['администрац'], now: NOW }) as NetworkConnector<unknown>;
    }
  }
}

/** An in-memory store with the store's idempotency (unique on external id) and a saved cursor. */
function memoryStore() {
  const messages = new Map<string, NormalizedMessage>();
  const aside: string[] = [];
  let cursor: unknown = null;
  let duplicates = 0;
  const store: IngestStore = {
    loadCursor: async () => cursor,
    saveCursor: async (_t, _n, _a, next) => { cursor = JSON.parse(JSON.stringify(next)) as unknown; },
    ingestMessages: async (_t, batch) => {
      let inserted = 0;
      for (const message of batch) {
        if (messages.has(message.externalId)) duplicates += 1;
        else { messages.set(message.externalId, message); inserted += 1; }
      }
      return { inserted, duplicates: batch.length - inserted };
    },
    putAside: async (_t, rejected) => { aside.push(...rejected.map((item) => item.reason)); },
  };
  return { store, messages, aside, cursor: () => cursor, duplicates: () => duplicates };
}

/** Polls until `expected` messages are stored (or 40 polls); failed polls are retried, as the poll loop does. */
async function pollUntil(connector: NetworkConnector<unknown>, sink: ReturnType<typeof memoryStore>, expected: number): Promise<number> {
  let failures = 0;
  for (let poll = 0; poll < 40 && sink.messages.size < expected; poll += 1) {
    try {
      await pollOnce(connector, sink.store, 't');
    } catch {
      failures += 1;
    }
  }
  return failures;
}

describe('the hostile switches are off by default, and set like the others', () => {
  it('defaults, and POST /_sandbox/switches takes each of them', async () => {
    expect(DEFAULT_SWITCHES).toMatchObject({ poisonedIds: false, retryAfterSec: null, hugeBodyEvery: 0, trickleEvery: 0, failureRate: 0 });
    const changes: Partial<SandboxSwitches> = { poisonedIds: true, retryAfterSec: 'missing', hugeBodyEvery: 5, hugeBodyBytes: 2_000_000, trickleEvery: 7, trickleBytesPerSec: 50, failureRate: 0.2 };
    const answer = (await axios.post<SandboxSwitches>(`${sandbox.url}/_sandbox/switches`, changes)).data;
    expect(answer).toMatchObject(changes);
    expect((await axios.get<{ hostile: object }>(`${sandbox.url}/_sandbox/stats`)).data.hostile).toEqual({ huge: 0, trickle: 0, 'rate-limit': 0, 'server-error': 0 });
  });
});

describe.each(['telegram', 'vk', 'ok', 'max'] as const)('%s', (network) => {
  it('poisonedIds: the poisoned cursor value is refused and set aside, and every message is stored once', async () => {
    const sink = memoryStore();
    const connector = connectorFor(network);
    await pollOnce(connector, sink.store, 't');
    sandbox.setSwitches({ poisonedIds: true });
    sandbox.emit(network, 6);
    await pollUntil(connector, sink, 6);
    sandbox.emit(network, 4);
    await pollUntil(connector, sink, 10);
    expect(sink.messages.size).toBe(10);
    expect(sink.aside.some((reason) => reason.includes('refused'))).toBe(true);
    // What was saved is a cursor the connector itself accepts: in range, not in the future.
    expect(connector.parseCursor(sink.cursor())).not.toBeNull();
    expect(JSON.stringify(sink.cursor())).not.toMatch(/"(offset|ts|messagesSinceMs|activityMs)":"?(9007199254740991|9007199254740993|32472144000000)/);
  });

  it('hugeBodyEvery: each huge answer is cut at the cap and retried; the batch arrives', async () => {
    const sink = memoryStore();
    const connector = connectorFor(network);
    await pollOnce(connector, sink.store, 't');
    sandbox.setSwitches({ hugeBodyEvery: 2, hugeBodyBytes: 50 * 1024 * 1024 });
    sandbox.emit(network, 5);
    await pollUntil(connector, sink, 5);
    expect(sink.messages.size).toBe(5);
    expect(sandbox.state.hostileAnswers.huge).toBeGreaterThan(0);
  });

  it('trickleEvery: a trickled answer ends at the total time per request and is retried; the batch arrives', async () => {
    const sink = memoryStore();
    const connector = connectorFor(network);
    await pollOnce(connector, sink.store, 't');
    sandbox.setSwitches({ trickleEvery: 3, trickleBytesPerSec: 20 });
    sandbox.emit(network, 4);
    await pollUntil(connector, sink, 4);
    expect(sink.messages.size).toBe(4);
    expect(sandbox.state.hostileAnswers.trickle).toBeGreaterThan(0);
  });

  it('failureRate: random 429s and 5xx pages; every message stored once, every answer posted at most once', async () => {
    const sink = memoryStore();
    const connector = connectorFor(network);
    await pollOnce(connector, sink.store, 't');
    sandbox.setSwitches({ failureRate: 0.5, retryAfterSec: 1 });
    sandbox.emit(network, 12);
    await pollUntil(connector, sink, 12);
    expect(sink.messages.size).toBe(12);
    const answers = [...sink.messages.values()].filter((m) => !m.author.anonymous).slice(0, 6);
    for (const [index, message] of answers.entries()) {
      // The publisher retries a retryable outcome; an uncertain one goes to a person and is not retried.
      for (let attempt = 0; attempt < 6; attempt += 1) {
        const outcome = await publishAnswer(connector, { answerId: `${network}-h-${index}` }, message, `Ответ ${network} ${index}`, `Ответ ${network} ${index} лично`);
        if (outcome.outcome !== 'retryable') break;
      }
    }
    const posts = (await axios.get<{ posts: RecordedPost[] }>(`${sandbox.url}/_sandbox/recorded`, { params: { network } })).data.posts;
    for (const index of answers.keys()) {
      expect(posts.filter((post) => post.text.startsWith(`Ответ ${network} ${index}`)).length).toBeLessThanOrEqual(1);
    }
    expect(posts.length).toBeGreaterThan(0);
    expect(sandbox.state.hostileAnswers['rate-limit'] + sandbox.state.hostileAnswers['server-error']).toBeGreaterThan(0);
  });
});

describe('retryAfterSec', () => {
  it('Telegram: an absurd retry_after is waited an hour at most, and the loop hands it back rather than sleeping it', async () => {
    const { retry: policy, delaysMs } = retry();
    const connector = connectorFor('telegram', policy);
    sandbox.setSwitches({ floodEvery: 1, retryAfterSec: 1e9 });
    const failure = await connector.fetchSince(null).catch((error: unknown) => error) as { decision?: { kind: string; waitMs: number } };
    expect(failure.decision).toMatchObject({ kind: 'rate-limited', waitMs: MAX_SERVER_WAIT_MS });
    expect(delaysMs).toEqual([]);
  });

  it('Telegram: a 429 without any wait is backed off with jitter, not looped on', async () => {
    const { retry: policy, delaysMs } = retry();
    const connector = connectorFor('telegram', policy);
    sandbox.setSwitches({ floodEvery: 1, retryAfterSec: 'missing' });
    await expect(connector.fetchSince(null)).rejects.toMatchObject({ decision: { kind: 'retry' } });
    expect(delaysMs).toEqual([100, 200, 400]);
  });

  it('OK: a Retry-After of -5 is no wait; one of 1e9 is an hour', async () => {
    const { retry: policy, delaysMs } = retry();
    const connector = connectorFor('ok', policy);
    sandbox.setSwitches({ floodEvery: 1, retryAfterSec: -5 });
    await expect(connector.fetchSince(null)).rejects.toMatchObject({ decision: { kind: 'retry' } });
    expect(delaysMs).toEqual([100, 200, 400]);
    sandbox.setSwitches({ floodEvery: 1, retryAfterSec: 1e9 });
    await expect(connector.fetchSince(null)).rejects.toMatchObject({ decision: { kind: 'rate-limited', waitMs: MAX_SERVER_WAIT_MS, clamped: { rawSec: 1e9 } } });
  });
});
