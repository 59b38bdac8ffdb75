import type { Sleep } from '../../../connectors/retry.js';
import type { BackoffOptions } from '../../../connectors/backoff.js';

/** A sleep that returns at once and remembers what it was asked, so retry tests take no time. */
export function recordingSleep(): { sleep: Sleep; delaysMs: number[] } {
  const delaysMs: number[] = [];
  return { delaysMs, sleep: async (ms) => { delaysMs.push(ms); } };
}

export const TEST_BACKOFF: BackoffOptions = { baseDelayMs: 100, maxDelayMs: 10_000, maxRetries: 3, jitter: 0.3 };

/** random() = 0.5 puts the jitter in the middle, so the delays are the exponential ones exactly. */
export function testRetry(): { retry: { sleep: Sleep; random: () => number; backoff: BackoffOptions }; delaysMs: number[] } {
  const { sleep, delaysMs } = recordingSleep();
  return { retry: { sleep, random: () => 0.5, backoff: TEST_BACKOFF }, delaysMs };
}
