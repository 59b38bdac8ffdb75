import type { Decision } from './errors.js';

export interface BackoffOptions {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Retries after the first call; the attempt after the last one is not made. */
  readonly maxRetries: number;
  /** 0..1: the share of the delay that is randomised, so many workers do not retry in step. */
  readonly jitter: number;
  /**
   * A server-given wait longer than this is not slept inside the call: the call gives up
   * with the rate-limited decision, and the caller requeues (publisher) or pauses that
   * long (poll loop). Telegram can ask for 38 minutes.
   */
  readonly maxServerWaitMs?: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseDelayMs: 500, maxDelayMs: 60_000, maxRetries: 5, jitter: 0.3, maxServerWaitMs: 60_000 };

/**
 * The delay before retry number `retry` (1 for the first retry), or null to stop
 * (STYLE 4). A server hint is waited exactly (STYLE 3): it is not stretched by the
 * exponent nor capped by maxDelayMs, since waiting less only earns another 429.
 * `random` returns [0, 1) and is injected so tests are deterministic.
 */
export function nextDelayMs(decision: Decision, retry: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number | null {
  if (decision.kind === 'permanent' || decision.kind === 'config') return null;
  if (retry > options.maxRetries) return null;
  if (decision.kind === 'rate-limited') return decision.waitMs > (options.maxServerWaitMs ?? Number.POSITIVE_INFINITY) ? null : decision.waitMs;
  const exponentialMs = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  const spreadMs = exponentialMs * options.jitter;
  return Math.round(exponentialMs - spreadMs + 2 * spreadMs * random());
}
