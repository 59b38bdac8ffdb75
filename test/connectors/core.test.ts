import { describe, it, expect } from '@jest/globals';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { nextDelayMs, DEFAULT_BACKOFF } from '../../connectors/backoff.js';
import { ApiError, TransportError, decideTransport, rateLimited, RETRY, PERMANENT, CONFIG } from '../../connectors/errors.js';
import { GaveUp, withRetries } from '../../connectors/retry.js';
import { keywordMatcher } from '../../connectors/keywords.js';
import { redactSecrets, registerSecret } from '../../connectors/redact.js';
import { Throttle } from '../../connectors/throttle.js';
import { testRetry } from './support/fast.js';

describe('backoff', () => {
  const options = { baseDelayMs: 100, maxDelayMs: 1_000, maxRetries: 5, jitter: 0.2 };

  it('doubles per retry with the jitter centred, and caps at maxDelayMs', () => {
    expect([1, 2, 3, 4, 5].map((retry) => nextDelayMs(RETRY, retry, options, () => 0.5))).toEqual([100, 200, 400, 800, 1_000]);
  });

  it('stays within ±jitter of the exponential delay for any random draw', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), fc.double({ min: 0, max: 0.9999, noNaN: true }), (retry, draw) => {
      const centre = Math.min(1_000, 100 * 2 ** (retry - 1));
      const delay = nextDelayMs(RETRY, retry, options, () => draw);
      return delay !== null && delay >= centre * 0.8 - 1 && delay <= centre * 1.2 + 1;
    }));
  });

  it('waits exactly what the server asked, beyond maxDelayMs', () => {
    expect(nextDelayMs(rateLimited(7_000), 3, options, () => 0.9)).toBe(7_000);
  });

  it('hands a server wait longer than maxServerWaitMs back to the caller instead of sleeping it', () => {
    expect(nextDelayMs(rateLimited(60_000), 1, { ...options, maxServerWaitMs: 60_000 })).toBe(60_000);
    expect(nextDelayMs(rateLimited(2_282_000), 1, { ...options, maxServerWaitMs: 60_000 })).toBeNull();
  });

  it('stops after maxRetries and on permanent or config decisions', () => {
    expect(nextDelayMs(RETRY, 6, options)).toBeNull();
    expect(nextDelayMs(PERMANENT, 1, options)).toBeNull();
    expect(nextDelayMs(CONFIG, 1, options)).toBeNull();
    expect(DEFAULT_BACKOFF.maxRetries).toBeGreaterThan(0);
  });
});

describe('withRetries', () => {
  const failing = (errors: Error[], value: string) => {
    let calls = 0;
    return { call: async () => { const error = errors[calls]; calls += 1; if (error !== undefined) throw error; return value; }, calls: () => calls };
  };
  const transient = () => new TransportError('vk', 'users.get', 'reset', 'socket hang up');

  it('retries the second and third time with growing delays, then succeeds', async () => {
    const { retry, delaysMs } = testRetry();
    const target = failing([transient(), transient(), transient()], 'ok');
    await expect(withRetries(target.call, { ...retry, decide: (error) => decideTransport(error as TransportError) })).resolves.toBe('ok');
    expect(target.calls()).toBe(4);
    expect(delaysMs).toEqual([100, 200, 400]);
  });

  it('gives up after maxRetries with the last error and its decision', async () => {
    const { retry, delaysMs } = testRetry();
    const target = failing([transient(), transient(), transient(), transient()], 'never');
    const error = await withRetries(target.call, { ...retry, decide: (error) => decideTransport(error as TransportError) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GaveUp);
    expect((error as GaveUp).decision).toEqual(RETRY);
    expect((error as GaveUp).retries).toBe(3);
    expect(delaysMs).toEqual([100, 200, 400]);
  });

  it('after a server-given wait the backoff starts over from the base delay', async () => {
    const { retry, delaysMs } = testRetry();
    const limited = new ApiError('telegram', 'sendMessage', 429, 'Too Many Requests: retry after 3', 3, 429);
    const target = failing([transient(), limited, transient()], 'ok');
    const decide = (error: Error) => (error === limited ? rateLimited(3_000) : RETRY);
    await expect(withRetries(target.call, { ...retry, decide })).resolves.toBe('ok');
    expect(delaysMs).toEqual([100, 3_000, 100]);
  });

  it('does not retry a permanent error and passes foreign errors through', async () => {
    const { retry, delaysMs } = testRetry();
    const denied = new ApiError('vk', 'wall.createComment', 15, 'Access denied');
    await expect(withRetries(failing([denied], 'x').call, { ...retry, decide: () => PERMANENT })).rejects.toMatchObject({ decision: PERMANENT, error: denied });
    await expect(withRetries(failing([new TypeError('bug')], 'x').call, { ...retry, decide: () => RETRY })).rejects.toBeInstanceOf(TypeError);
    expect(delaysMs).toEqual([]);
  });
});

describe('transport decisions', () => {
  it.each([
    ['timeout', undefined, RETRY],
    ['reset', undefined, RETRY],
    ['malformed-body', undefined, RETRY],
    ['http-status', 502, RETRY],
    ['http-status', 401, CONFIG],
    ['http-status', 400, PERMANENT],
  ] as const)('%s %s → %j', (failure, status, decision) => {
    expect(decideTransport(new TransportError('ok', 'fb.do', failure, 'x', status))).toEqual(decision);
  });
  it('a 429 without an envelope honours Retry-After', () => {
    expect(decideTransport(new TransportError('ok', 'fb.do', 'http-status', 'x', 429, 5))).toEqual(rateLimited(5_000));
  });
});

describe('keyword matching', () => {
  const matcher = keywordMatcher(['администрац', 'мэр', 'Охинский район', 'ЖКХ']);
  it('matches word starts, inflections, phrases across whitespace, any case and ё', () => {
    expect(matcher.match('Когда АДМИНИСТРАЦИЯ починит дорогу?')).toEqual(['администрац']);
    expect(matcher.match('Жалоба в охинский\nрайон и в жкх')).toEqual(['Охинский район', 'ЖКХ']);
    expect(matcher.match('Мэрия молчит')).toEqual(['мэр']);
  });
  it('does not match inside a word', () => {
    expect(matcher.match('Гомэр и суперадминистрация')).toEqual([]);
  });
});

describe('redaction', () => {
  it('removes registered tokens and token-shaped values from messages', () => {
    registerSecret('vk1.a.SECRETSECRET');
    expect(redactSecrets('POST https://api.vk.ru/method/x?access_token=vk1.a.SECRETSECRET&v=5.199')).toBe('POST https://api.vk.ru/method/x?access_token=[redacted]&v=5.199');
    expect(redactSecrets('GET https://api.telegram.org/bot123456:AAE-xyz_abc/getMe')).toBe('GET https://api.telegram.org/bot123456:[redacted]/getMe');
    expect(redactSecrets('sig=0a1b2c&x=1')).toBe('sig=[redacted]&x=1');
    const error = new ApiError('vk', 'users.get', 5, 'User authorization failed: token vk1.a.SECRETSECRET is invalid');
    expect(error.message).not.toContain('SECRETSECRET');
    expect(inspect(error)).not.toContain('SECRETSECRET');
  });
});

describe('throttle', () => {
  it('keeps a per-key limit while other keys go on', async () => {
    const throttle = new Throttle({ overall: { calls: 100, intervalMs: 1_000 }, perKey: () => ({ calls: 1, intervalMs: 300 }) });
    const started: Record<string, number[]> = { a: [], b: [] };
    const t0 = Date.now();
    await Promise.all([
      throttle.run(async () => { started.a!.push(Date.now() - t0); }, 'a'),
      throttle.run(async () => { started.a!.push(Date.now() - t0); }, 'a'),
      throttle.run(async () => { started.b!.push(Date.now() - t0); }, 'b'),
    ]);
    expect(started.a![1]! - started.a![0]!).toBeGreaterThanOrEqual(290);
    // Chat b did not wait for chat a's window.
    expect(started.b![0]!).toBeLessThan(started.a![1]!);
  });
});
