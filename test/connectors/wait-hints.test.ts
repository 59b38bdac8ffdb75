import { describe, it, expect, afterEach, beforeAll, afterAll } from '@jest/globals';
import nock from 'nock';
import { TelegramClient } from '../../connectors/telegram/client.js';
import { TelegramConnector } from '../../connectors/telegram/connector.js';
import { decideTelegram } from '../../connectors/telegram/errors.js';
import { OkClient } from '../../connectors/ok/client.js';
import { ApiError, TransportError, decideTransport, rateLimited, RETRY, MAX_SERVER_WAIT_MS, MIN_SERVER_WAIT_MS } from '../../connectors/errors.js';
import { MemoryAttemptLog } from '../../connectors/connector.js';
import { publishAnswer } from '../../connectors/publish.js';
import { runPollLoops, type IngestStore, type PolledAccount } from '../../connectors/poll.js';
import { unthrottled } from '../../connectors/throttle.js';
import type { NormalizedMessage } from '../../connectors/types.js';
import { testRetry } from './support/fast.js';

const TOKEN = '7012345678:AAH-wait_hint_token';
const TG = 'https://api.telegram.org';

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => { nock.cleanAll(); });

const flood = (retryAfter: unknown) => ({ ok: false, error_code: 429, description: 'Too Many Requests: retry after', parameters: { retry_after: retryAfter } });

describe('API wait hints are clamped to 1 s … 1 h, and the raw value is kept', () => {
  const telegram429 = (retryAfterSec: number | undefined, description = 'Too Many Requests') => new ApiError('telegram', 'getUpdates', 429, description, retryAfterSec, 429);

  it.each([
    [1e9, MAX_SERVER_WAIT_MS],
    [Number.POSITIVE_INFINITY, MAX_SERVER_WAIT_MS],
    [3_601, MAX_SERVER_WAIT_MS],
    [0, MIN_SERVER_WAIT_MS],
    [0.2, MIN_SERVER_WAIT_MS],
  ])('Telegram retry_after %s → a %i ms wait, marked as clamped with the raw value', (raw, waitMs) => {
    expect(decideTelegram(telegram429(raw))).toEqual({ kind: 'rate-limited', waitMs, clamped: { rawSec: raw } });
  });

  it('a sane hint is waited exactly and not marked', () => {
    expect(decideTelegram(telegram429(2_282))).toEqual(rateLimited(2_282_000));
    expect(decideTelegram(telegram429(1))).toEqual({ kind: 'rate-limited', waitMs: 1_000 });
  });

  it.each([-5, Number.NaN, Number.NEGATIVE_INFINITY])('an unusable hint (%s) is no hint: backoff with jitter, not a 0 ms loop', (raw) => {
    expect(decideTelegram(telegram429(raw))).toEqual(RETRY);
  });

  it('a huge number read from an old-style description is clamped too', () => {
    const error = new ApiError('telegram', 'sendMessage', 429, 'Too Many Requests: retry after 999999999999', 999_999_999_999, 429);
    expect(decideTelegram(error)).toMatchObject({ kind: 'rate-limited', waitMs: MAX_SERVER_WAIT_MS });
    expect(error.retryAfterSec).toBe(999_999_999_999);
  });

  it('an HTTP 429 Retry-After is clamped the same way', () => {
    expect(decideTransport(new TransportError('ok', 'fb.do', 'http-status', 'x', 429, 86_400 * 365))).toMatchObject({ kind: 'rate-limited', waitMs: MAX_SERVER_WAIT_MS, clamped: { rawSec: 86_400 * 365 } });
  });

  it('OK: a Retry-After of a year waits an hour; the HTTP-date form is read as a wait from now', async () => {
    const { retry, delaysMs } = testRetry();
    const client = new OkClient({ applicationKey: 'K', applicationSecretKey: 'secret-of-ok', accessToken: 'tkn-ok-hint', throttle: unthrottled(), retry: { ...retry, backoff: { ...retry.backoff, maxServerWaitMs: 2 * MAX_SERVER_WAIT_MS } } });
    nock('https://api.ok.ru').post('/fb.do').reply(429, 'Too Many Requests', { 'Retry-After': String(86_400 * 365) });
    nock('https://api.ok.ru').post('/fb.do').reply(429, 'Too Many Requests', { 'Retry-After': new Date(Date.now() + 120_000).toUTCString() });
    nock('https://api.ok.ru').post('/fb.do').reply(200, { discussions: [] });
    await expect(client.call('discussions.getList')).resolves.toEqual({ discussions: [] });
    expect(delaysMs[0]).toBe(MAX_SERVER_WAIT_MS);
    // The date has whole seconds, so the wait is up to a second short of two minutes.
    expect(delaysMs[1]).toBeGreaterThanOrEqual(100_000);
    expect(delaysMs[1]).toBeLessThanOrEqual(120_000);
  });
});

describe('a poll loop never runs faster than its normal rate, whatever the hint', () => {
  const store: IngestStore = {
    loadCursor: async () => ({ offset: 10 }),
    saveCursor: async () => undefined,
    ingestMessages: async () => ({ inserted: 0, duplicates: 0 }),
    putAside: async () => undefined,
  };

  it.each([[1e9], [-1], [0], [1e-3]])('retry_after %s: no zero or overflowing sleep, the loop pauses at least its idle pause, at most an hour', async (retryAfter) => {
    nock(TG).post(`/bot${TOKEN}/getUpdates`).times(40).reply(429, flood(retryAfter));
    const { retry } = testRetry();
    const sleepsMs: number[] = [];
    let requests = 0;
    const client = new TelegramClient({ token: TOKEN, throttle: unthrottled(), longPollWaitSec: 0, retry: { ...retry, sleep: async (ms) => { sleepsMs.push(ms); } } });
    const connector = new TelegramConnector({ accountId: 'bot', client, attempts: new MemoryAttemptLog(), discussionChatIds: [], keywords: [] });
    const account: PolledAccount = { tenantId: 't', connector: connector as PolledAccount['connector'] };
    const controller = new AbortController();
    const idleMs = 1_000;
    const loopPausesMs: number[] = [];
    const warnings: Record<string, unknown>[] = [];
    await runPollLoops({
      store, accounts: [account], signal: controller.signal, idleMs, failurePauseMs: 30_000,
      logger: { info: () => undefined, warn: (fields) => warnings.push(fields as Record<string, unknown>), error: () => undefined },
      sleep: async (ms) => { loopPausesMs.push(ms); requests = client.requestCount; if (loopPausesMs.length === 3) controller.abort(); },
    });
    expect(loopPausesMs).toHaveLength(3);
    // In the call: the client's backoff (100 ms here) or the clamped hint, never 0 or negative.
    for (const ms of sleepsMs) {
      expect(ms).toBeGreaterThanOrEqual(100);
      expect(ms).toBeLessThanOrEqual(MAX_SERVER_WAIT_MS);
    }
    for (const ms of loopPausesMs) {
      expect(ms).toBeGreaterThanOrEqual(Math.max(idleMs, MIN_SERVER_WAIT_MS));
      expect(ms).toBeLessThanOrEqual(MAX_SERVER_WAIT_MS);
    }
    // Normal rate: one request per idle pause at most; the time slept covers every request.
    const sleptMs = [...sleepsMs, ...loopPausesMs].reduce((a, b) => a + b, 0);
    expect(sleptMs).toBeGreaterThanOrEqual((requests - 1) * idleMs);
    // The log keeps the API's own value.
    expect(warnings[0]).toMatchObject({ retryAfterSec: retryAfter });
  });
});

describe('the publish result says when the network\'s wait was clamped', () => {
  const message: NormalizedMessage = {
    network: 'telegram', externalId: '5012345678:412', kind: 'private', place: { containerId: '5012345678', itemId: '412' },
    author: { id: '5012345678', name: 'Наталья', anonymous: false }, text: 'Когда дадут воду?', attachments: [], createdAt: new Date('2025-11-24T09:00:00Z'), matchedKeywords: [], raw: {},
  };

  it('an absurd retry_after parks the answer for an hour, not until 2058, and says so', async () => {
    nock(TG).post(`/bot${TOKEN}/sendMessage`).reply(429, flood(1e9));
    const { retry } = testRetry();
    const client = new TelegramClient({ token: TOKEN, throttle: unthrottled(), retry: { ...retry, backoff: { ...retry.backoff, maxServerWaitMs: 60_000 } }, longPollWaitSec: 0 });
    const connector = new TelegramConnector({ accountId: 'bot', client, attempts: new MemoryAttemptLog(), discussionChatIds: [], keywords: [] });
    const outcome = await publishAnswer(connector, { answerId: 'a-1' }, message, 'Ответ', 'Ответ');
    expect(outcome).toMatchObject({ outcome: 'retryable', waitMs: MAX_SERVER_WAIT_MS, waitClamped: true, apiRetryAfterSec: 1e9 });
  });

  it('a sane wait is passed as it is, not marked', async () => {
    nock(TG).post(`/bot${TOKEN}/sendMessage`).reply(429, flood(120));
    const { retry } = testRetry();
    const client = new TelegramClient({ token: TOKEN, throttle: unthrottled(), retry: { ...retry, backoff: { ...retry.backoff, maxServerWaitMs: 60_000 } }, longPollWaitSec: 0 });
    const connector = new TelegramConnector({ accountId: 'bot', client, attempts: new MemoryAttemptLog(), discussionChatIds: [], keywords: [] });
    const outcome = await publishAnswer(connector, { answerId: 'a-2' }, message, 'Ответ', 'Ответ');
    expect(outcome).toEqual({ outcome: 'retryable', error: expect.any(String), waitMs: 120_000, errors: [] });
  });
});
