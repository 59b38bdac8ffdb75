import type { MessageAuthor, Network, NormalizedMessage } from './types.js';
import type { AnswerAttachment, UndeliveredAttachment } from './attachments.js';
import { ApiError, type ApiErrorRecord } from './errors.js';
import { GaveUp, isConnectorError } from './retry.js';
import type { CursorRefused } from './cursor-guard.js';

/** A payload that could not be normalized: kept aside with the reason, never dropped silently. */
export interface RejectedPayload {
  readonly network: Network;
  readonly accountId: string;
  readonly reason: string;
  readonly raw: unknown;
  readonly receivedAt: Date;
}

export interface FetchBatch<C> {
  readonly messages: NormalizedMessage[];
  readonly rejected: RejectedPayload[];
  /** Where the next fetch starts; saved only after `messages` are stored. */
  readonly cursor: C;
  /** HTTP requests this batch cost, for the benchmark and the rate budget. */
  readonly requests: number;
  /** True when the API has more waiting, so the loop fetches again without pausing. */
  readonly more: boolean;
  /**
   * True when the request was a long poll that moved the cursor or waited its time out for
   * new messages: the network itself held it open, so the next one follows at once instead
   * of after the loop's pause (a message would otherwise wait up to that pause to be seen).
   */
  readonly waited?: boolean;
  /**
   * Cursor values and ids the network gave that broke a rule (connectors/cursor-guard.ts):
   * they did not move `cursor`, the items that carried them are in `rejected`, and the
   * poll loop logs each as an error.
   */
  readonly refused?: readonly CursorRefused[];
}

/** The answer being published; its id derives the networks' idempotency keys. */
export interface AnswerRef {
  readonly answerId: string;
}

/**
 * What a publish call ends in (STYLE 5): the publisher posts the private fallback on
 * `blocked`, requeues `retryable` without spending an attempt when `waitMs` is set,
 * alerts an admin on `config`, and hands `uncertain` to a person, because the network
 * gives no way to check whether an interrupted attempt was delivered.
 */
export type PublishResult =
  | {
    readonly status: 'published'; readonly externalId: string; readonly recovered: boolean;
    /** Attachments of the answer that did not go out with it, and why; the curator is told. */
    readonly undelivered?: readonly UndeliveredAttachment[];
  }
  | { readonly status: 'blocked'; readonly error: ApiErrorRecord }
  | {
    readonly status: 'retryable';
    readonly error: string;
    /** The network asked to wait this long (already held to 1 s … 1 h). */
    readonly waitMs?: number;
    /**
     * True when the network's own hint was not kept as given: clamped to the range, or no
     * duration at all (negative). The publisher tells the curator when an answer is parked long.
     */
    readonly waitClamped?: boolean;
    /** The network's hint as it came, in seconds, for the log. */
    readonly apiRetryAfterSec?: number;
  }
  | { readonly status: 'config'; readonly error: string }
  | { readonly status: 'uncertain'; readonly startedAt: Date };

export interface NetworkConnector<C> {
  readonly network: Network;
  readonly accountId: string;
  /** `null` on the first run: the connector starts from "now", not from the beginning of history. */
  fetchSince(cursor: C | null): Promise<FetchBatch<C>>;
  /** Checks a stored cursor (it went through the store as plain JSON). */
  parseCursor(stored: unknown): C | null;
  /** Files go as real media (see attachments.ts: bytes, not references); links under the text. */
  reply(answer: AnswerRef, message: NormalizedMessage, text: string, attachments?: readonly AnswerAttachment[]): Promise<PublishResult>;
  sendPrivate(answer: AnswerRef, author: MessageAuthor, text: string, attachments?: readonly AnswerAttachment[]): Promise<PublishResult>;
}

/**
 * A record of a publish attempt written before the network call, so that after a
 * crash the connector knows an attempt may have gone out. The lead's publisher backs
 * it with the store: `begin` is one findOneAndUpdate with upsert and $setOnInsert that
 * returns the document as it was before (null on the first attempt).
 */
export interface PublishAttempt {
  readonly answerId: string;
  readonly network: Network;
  /** Where it goes: "chat:42", "topic:GROUP_TOPIC:123", "user:7". */
  readonly target: string;
  readonly startedAt: Date;
  readonly externalId?: string;
}

export interface PublishAttemptLog {
  begin(attempt: PublishAttempt): Promise<PublishAttempt | null>;
  complete(answerId: string, target: string, externalId: string): Promise<void>;
  /** The call answered with an error: nothing was posted, the next attempt may post. */
  abandon(answerId: string, target: string): Promise<void>;
}

/**
 * Thrown from inside the throttled section when `begin` finds an earlier attempt at the
 * same answer and target: the send is not made, and the connector decides from the
 * earlier attempt (published, look first, or uncertain).
 */
export class EarlierAttempt extends Error {
  override readonly name = 'EarlierAttempt';
  constructor(readonly attempt: PublishAttempt) {
    super(`an earlier attempt at ${attempt.answerId} → ${attempt.target} started ${attempt.startedAt.toISOString()}`);
  }
}

/**
 * The attempt is recorded right before the network call, inside the rate limiter's slot
 * (the clients run `beforeRequest` there): a crash while the send waits for its slot
 * leaves no record, so the next try sends instead of handing an unsent answer to a
 * person. Retries inside the call (after a 429) do not record again.
 */
export function attemptRecorder(log: PublishAttemptLog, attempt: () => PublishAttempt): { beforeRequest: () => Promise<void>; begun: () => PublishAttempt | undefined } {
  let begun: PublishAttempt | undefined;
  return {
    beforeRequest: async () => {
      if (begun !== undefined) return;
      begun = attempt();
      const earlier = await log.begin(begun);
      if (earlier !== null) throw new EarlierAttempt(earlier);
    },
    begun: () => begun,
  };
}

/** An in-memory log for tests and the sandbox demo; production uses the store. */
export class MemoryAttemptLog implements PublishAttemptLog {
  readonly attempts = new Map<string, PublishAttempt>();
  async begin(attempt: PublishAttempt): Promise<PublishAttempt | null> {
    const key = `${attempt.answerId}|${attempt.target}`;
    const before = this.attempts.get(key) ?? null;
    if (before === null) this.attempts.set(key, attempt);
    return before;
  }
  async complete(answerId: string, target: string, externalId: string): Promise<void> {
    const key = `${answerId}|${target}`;
    const before = this.attempts.get(key);
    if (before !== undefined) this.attempts.set(key, { ...before, externalId });
  }
  async abandon(answerId: string, target: string): Promise<void> {
    this.attempts.delete(`${answerId}|${target}`);
  }
}

/** Turns the final failure of a publish call into the result the publisher branches on. */
export function publishFailure(error: unknown): PublishResult {
  if (!(error instanceof GaveUp)) throw error;
  const { decision, error: cause } = error;
  switch (decision.kind) {
    case 'permanent':
      return {
        status: 'blocked',
        error: cause instanceof ApiError
          ? cause.toRecord()
          : { network: cause.network, method: cause.method, code: cause.httpStatus ?? 0, description: cause.message },
      };
    case 'config':
      return { status: 'config', error: cause.message };
    case 'rate-limited':
    case 'retry':
      return retryableOf(error);
  }
}

/**
 * A look for what an earlier, unfinished attempt sent that could not be made: sending blind
 * could send twice, so the attempt stays and this one is retried later; a refused token is
 * still the admin's problem.
 */
export function lookBackFailure(error: unknown): PublishResult {
  if (error instanceof GaveUp) {
    const failure = publishFailure(error);
    return failure.status === 'config' ? failure : retryableOf(error);
  }
  if (isConnectorError(error)) return { status: 'retryable', error: error.message };
  throw error;
}

/** A retryable result with the wait the network asked for, and whether its hint was clamped. */
export function retryableOf(error: GaveUp): PublishResult {
  const { decision, error: cause } = error;
  const hintSec = cause.retryAfterSec;
  const clamped = decision.kind === 'rate-limited' ? decision.clamped !== undefined : hintSec !== undefined;
  return {
    status: 'retryable',
    error: cause.message,
    ...(decision.kind === 'rate-limited' ? { waitMs: decision.waitMs } : {}),
    ...(clamped ? { waitClamped: true } : {}),
    ...(clamped && hintSec !== undefined ? { apiRetryAfterSec: hintSec } : {}),
  };
}
