import { ApiError, CONFIG, PERMANENT, RETRY, decideTransport, waitFromHint, type ConnectorError, type Decision } from '../errors.js';

/** Telegram reports errors by HTTP status, repeated as `error_code` in the envelope. */
export const TelegramErrorCode = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  FLOOD: 420,
  TOO_MANY_REQUESTS: 429,
} as const;

/**
 * Older 429 answers carry the wait only in the description ("Too Many Requests: retry
 * after 2282"); this is the one place that reads a number out of a message, as a
 * fallback for a missing `parameters.retry_after`.
 */
export function retryAfterFromDescription(description: string): number | undefined {
  const match = /retry after (\d+)/i.exec(description);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export function decideTelegram(error: ConnectorError): Decision {
  if (!(error instanceof ApiError)) return decideTransport(error);
  switch (error.code) {
    case TelegramErrorCode.TOO_MANY_REQUESTS:
    case TelegramErrorCode.FLOOD:
      return error.retryAfterSec === undefined ? RETRY : waitFromHint(error.retryAfterSec);
    // 401: the token was revoked; 404: the token is malformed (the URL has no bot).
    case TelegramErrorCode.UNAUTHORIZED:
    case TelegramErrorCode.NOT_FOUND:
      return CONFIG;
    // 409: another process polls with the same token (a restart overlapping the old worker)
    // or a webhook is set. The first passes, so the account is not stopped; the second
    // keeps failing and shows in the poll loop's warnings.
    case TelegramErrorCode.CONFLICT:
      return RETRY;
    // 403: blocked by the user, kicked from the group, cannot initiate a conversation;
    // 400: chat or message not found, not enough rights to send.
    case TelegramErrorCode.FORBIDDEN:
    case TelegramErrorCode.BAD_REQUEST:
      return PERMANENT;
    default:
      return error.code >= 500 ? RETRY : PERMANENT;
  }
}
