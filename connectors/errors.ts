import type { Network } from './types.js';
import { redactSecrets } from './redact.js';

/**
 * Two error kinds per connector (STYLE 1): the API answered with an error, or the
 * transport failed before an answer could be read. Every message passes through
 * redactSecrets so a token never reaches a log line.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly description: string;
  constructor(
    readonly network: Network,
    readonly method: string,
    readonly code: number,
    description: string,
    /** The API's own hint (Telegram retry_after, OK flood), in seconds. */
    readonly retryAfterSec?: number,
    /** HTTP status when the network reports errors through it (Telegram). */
    readonly httpStatus?: number,
  ) {
    super(redactSecrets(`${network} ${method}: ${code} ${description}`));
    this.description = redactSecrets(description);
  }

  /** What the workflow records as "the API's error" next to an outcome. */
  toRecord(): ApiErrorRecord {
    return { network: this.network, method: this.method, code: this.code, description: this.description };
  }
}

export interface ApiErrorRecord {
  readonly network: Network;
  readonly method: string;
  readonly code: number;
  readonly description: string;
}

/**
 * `too-large`: the body passed the response cap (transport.ts); `timeout` covers both an
 * idle socket and a response not complete within the total time per request.
 */
export type TransportFailure = 'timeout' | 'too-large' | 'reset' | 'refused' | 'dns' | 'http-status' | 'malformed-body' | 'other';

export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly network: Network,
    readonly method: string,
    readonly failure: TransportFailure,
    detail: string,
    readonly httpStatus?: number,
    readonly retryAfterSec?: number,
  ) {
    super(redactSecrets(`${network} ${method}: ${failure}${httpStatus === undefined ? '' : ` HTTP ${httpStatus}`}: ${detail}`));
  }

  /** Whether trying again can help: everything but a request the server refuses as wrong (a 4xx). */
  get retryMayHelp(): boolean {
    const decision = decideTransport(this);
    return decision.kind === 'retry' || decision.kind === 'rate-limited';
  }
}

export type ConnectorError = ApiError | TransportError;

/**
 * The one decision per error (STYLE 2): retry with backoff, wait exactly what the API
 * asked, give up on this item (the publisher falls back), or stop the account because
 * its configuration (token, secret, permissions of the token) is wrong.
 */
export type Decision =
  | { readonly kind: 'retry' }
  | RateLimited
  | { readonly kind: 'permanent' }
  | { readonly kind: 'config' };

export interface RateLimited {
  readonly kind: 'rate-limited';
  readonly waitMs: number;
  /** Present when the API's hint was outside the sane range and `waitMs` is the clamped value. */
  readonly clamped?: { readonly rawSec: number };
}

export const RETRY: Decision = { kind: 'retry' };
export const PERMANENT: Decision = { kind: 'permanent' };
export const CONFIG: Decision = { kind: 'config' };
/** A wait of our own choosing (VK and OK give no hint); held to the same range as a hint. */
export const rateLimited = (waitMs: number): Decision => clampedWait(waitMs, waitMs / 1000);

/**
 * The range an API's wait hint is held to. Below a second: Telegram's smallest
 * retry_after is 1 s, and a 0 or fractional hint would make the client loop on the
 * network as fast as it answers. Above an hour: the longest real waits seen are
 * Telegram's flood waits of ~38 min and VK's per-method limit (29), for which an hour is
 * our own choice; beyond that a hint is not credible (1e9 s parks an answer until 2058),
 * and waiting an hour costs one request, after which the API gives a fresh hint. The
 * raw value stays on the error (`retryAfterSec`) for the log.
 */
export const MIN_SERVER_WAIT_MS = 1_000;
export const MAX_SERVER_WAIT_MS = 60 * 60_000;

/**
 * The decision for an API's "retry after N seconds": N clamped to the sane range and
 * marked when it was clamped. A hint that is no duration at all (NaN, negative) is
 * treated as no hint: exponential backoff with jitter, never a zero-length wait.
 */
export function waitFromHint(rawSec: number): Decision {
  return clampedWait(rawSec * 1000, rawSec);
}

function clampedWait(askedMs: number, rawSec: number): Decision {
  if (Number.isNaN(askedMs) || askedMs < 0) return RETRY;
  const waitMs = Math.min(MAX_SERVER_WAIT_MS, Math.max(MIN_SERVER_WAIT_MS, Math.round(askedMs)));
  return waitMs === askedMs ? { kind: 'rate-limited', waitMs } : { kind: 'rate-limited', waitMs, clamped: { rawSec } };
}

/** Socket error codes of Node, mapped to the failure kinds the decisions key on. */
export function transportFailureOf(code: string | undefined): TransportFailure {
  switch (code) {
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
    case 'ECONNABORTED':
    case 'ABORT_ERR':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ERESPONSEDEADLINE':
      return 'timeout';
    case 'ERESPONSETOOLARGE':
      return 'too-large';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return 'reset';
    case 'ECONNREFUSED':
      return 'refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns';
    default:
      return 'other';
  }
}

/**
 * Transport failures are the same for all three networks: a network hiccup, a timeout,
 * a 5xx or a body that is not JSON (a proxy's HTML page) are worth retrying; a 4xx
 * without an API envelope means the request itself is wrong. A body over the size cap is
 * retried too: a proxy's error page or a runaway answer passes, and each try costs at
 * most the cap in memory.
 */
export function decideTransport(error: TransportError): Decision {
  if (error.failure === 'http-status' && error.httpStatus !== undefined) {
    if (error.httpStatus === 429) return error.retryAfterSec === undefined ? RETRY : waitFromHint(error.retryAfterSec);
    if (error.httpStatus === 401) return CONFIG;
    if (error.httpStatus >= 400 && error.httpStatus < 500) return PERMANENT;
  }
  return RETRY;
}

/** Which tenant and account an error belongs to, for the log line that stops a poll loop. */
export class AccountConfigError extends Error {
  override readonly name = 'AccountConfigError';
  constructor(readonly tenantId: string, readonly network: Network, readonly accountId: string, override readonly cause: ConnectorError) {
    super(`${network} account ${accountId} of tenant ${tenantId} is misconfigured: ${cause.message}`);
  }
}
