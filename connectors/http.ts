import axios from 'axios';
import type { Network } from './types.js';
import { TransportError, transportFailureOf, type ConnectorError } from './errors.js';
import { limitErrorOf } from './transport.js';

/** axios failures (no answer, or a status axios refused) as transport errors. */
export function axiosFailure(network: Network, method: string, error: unknown): ConnectorError {
  if (axios.isAxiosError(error)) {
    const limit = limitErrorOf(error.request);
    if (limit !== undefined) return new TransportError(network, method, transportFailureOf(limit.code), limit.message);
    if (error.response !== undefined) return new TransportError(network, method, 'http-status', error.message, error.response.status);
    return new TransportError(network, method, transportFailureOf(error.code), error.message);
  }
  return new TransportError(network, method, 'other', error instanceof Error ? error.message : String(error));
}

/**
 * A send without an idempotency key may have been delivered when the socket broke after
 * the request went out; a refused connection or an unknown host means it never left.
 */
export function mayHaveArrived(error: ConnectorError): boolean {
  return error instanceof TransportError && error.failure !== 'refused' && error.failure !== 'dns' && error.failure !== 'http-status';
}

/**
 * HTTP Retry-After (RFC 9110 10.2.3): delay-seconds or an HTTP-date, as seconds from
 * `nowMs`; undefined when it is neither. The value is returned as given (it may be huge,
 * or a date in the past): the decision clamps it, and the error keeps it for the log.
 */
export function retryAfterSecOfHeader(value: string, nowMs: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const atMs = Date.parse(trimmed);
  return Number.isNaN(atMs) || !/[a-z]/i.test(trimmed) ? undefined : Math.round((atMs - nowMs) / 1000);
}
