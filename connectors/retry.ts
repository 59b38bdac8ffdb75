import { nextDelayMs, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import type { ConnectorError, Decision } from './errors.js';

export type Sleep = (ms: number) => Promise<void>;
/** setTimeout fires at once for a delay beyond 2^31 - 1 ms (~24.8 days), so a longer one is slept in parts. */
const MAX_TIMER_MS = 2 ** 31 - 1;
export const realSleep: Sleep = async (ms) => {
  let leftMs = Number.isFinite(ms) ? Math.max(0, ms) : MAX_TIMER_MS;
  do {
    const partMs = Math.min(leftMs, MAX_TIMER_MS);
    await new Promise((resolve) => setTimeout(resolve, partMs));
    leftMs -= partMs;
  } while (leftMs > 0);
};

export interface RetryPolicy {
  readonly decide: (error: ConnectorError) => Decision;
  readonly backoff?: BackoffOptions;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  /** Called before each wait, for the log. */
  readonly onRetry?: (error: ConnectorError, decision: Decision, retry: number, delayMs: number) => void;
}

export interface CallHooks {
  /**
   * Runs inside the throttle's slot, right before each request of the call (retries
   * included). An error it throws ends the call as it is (it is not a connector error).
   */
  readonly beforeRequest?: () => Promise<void>;
}

/** The final error of a call, with the decision that ended it, for the caller's control flow (STYLE 5). */
export class GaveUp extends Error {
  override readonly name = 'GaveUp';
  constructor(readonly error: ConnectorError, readonly decision: Decision, readonly retries: number) {
    super(error.message);
  }
}

export function isConnectorError(error: unknown): error is ConnectorError {
  return error instanceof Error && (error.name === 'ApiError' || error.name === 'TransportError');
}

/**
 * Runs `call` until it succeeds or the decision/backoff says stop. A rate-limit wait
 * resets the exponent (STYLE 3): once the server has said when, the next failure
 * starts from the base delay again. It still counts towards maxRetries, so a server
 * answering 429 forever cannot hold the worker forever.
 */
export async function withRetries<T>(call: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  const sleep = policy.sleep ?? realSleep;
  const backoff = policy.backoff ?? DEFAULT_BACKOFF;
  let retries = 0;
  let exponent = 0;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!isConnectorError(error)) throw error;
      const decision = policy.decide(error);
      retries += 1;
      exponent = decision.kind === 'rate-limited' ? 0 : exponent + 1;
      const delayMs = retries > backoff.maxRetries ? null : nextDelayMs(decision, Math.max(exponent, 1), backoff, policy.random);
      if (delayMs === null) throw new GaveUp(error, decision, retries - 1);
      policy.onRetry?.(error, decision, retries, delayMs);
      await sleep(delayMs);
    }
  }
}
