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

export type TransportFailure = 'timeout' | 'reset' | 'refused' | 'dns' | 'http-status' | 'malformed-body' | 'other';

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
}

export type ConnectorError = ApiError | TransportError;

/**
 * The one decision per error (STYLE 2): retry with backoff, wait exactly what the API
 * asked, give up on this item (the publisher falls back), or stop the account because
 * its configuration (token, secret, permissions of the token) is wrong.
 */
export type Decision =
  | { readonly kind: 'retry' }
  | { readonly kind: 'rate-limited'; readonly waitMs: number }
  | { readonly kind: 'permanent' }
  | { readonly kind: 'config' };

export const RETRY: Decision = { kind: 'retry' };
export const PERMANENT: Decision = { kind: 'permanent' };
export const CONFIG: Decision = { kind: 'config' };
export const rateLimited = (waitMs: number): Decision => ({ kind: 'rate-limited', waitMs });

/** Socket error codes of Node, mapped to the failure kinds the decisions key on. */
export function transportFailureOf(code: string | undefined): TransportFailure {
  switch (code) {
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
    case 'ECONNABORTED':
    case 'ABORT_ERR':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'timeout';
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
 * without an API envelope means the request itself is wrong.
 */
export function decideTransport(error: TransportError): Decision {
  if (error.failure === 'http-status' && error.httpStatus !== undefined) {
    if (error.httpStatus === 429) return error.retryAfterSec === undefined ? RETRY : rateLimited(error.retryAfterSec * 1000);
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
