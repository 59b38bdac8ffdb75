import axios from 'axios';
import type { Network } from './types.js';
import { TransportError, transportFailureOf, type ConnectorError } from './errors.js';

/** axios failures (no answer, or a status axios refused) as transport errors. */
export function axiosFailure(network: Network, method: string, error: unknown): ConnectorError {
  if (axios.isAxiosError(error)) {
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
