import { ApiError, CONFIG, PERMANENT, RETRY, decideTransport, waitFromHint, type ConnectorError, type Decision } from '../errors.js';

/**
 * MAX answers an error with its HTTP status and `{ code, message }`, the code a string
 * key (reference/max-bot-api.subset.yaml, `Error`). The keys below are the ones MAX's
 * own schema, documentation pages and official clients name; the decision keys on
 * them first and on the status where the key is one we do not know.
 */
export const MaxErrorCode = {
  /** 401: the token is wrong or revoked (the library also gives it for any 401). */
  VERIFY_TOKEN: 'verify.token',
  /** 429: more than MAX's 30 requests a second. */
  TOO_MANY_REQUESTS: 'too.many.requests',
  /** 400 on a send: the uploaded video or file is still being processed ("try to send again"). */
  ATTACHMENT_NOT_READY: 'attachment.not.ready',
  /** 403: the user stopped the bot, the bot has no access to the chat, or may not write there. */
  CHAT_DENIED: 'chat.denied',
  /** 422: a comment is older than MAX allows to edit. */
  COMMENTS_TIMEOUT: 'comments.timeout_exceeded',
  INTERNAL_ERROR: 'internal.error',
  SERVICE_UNAVAILABLE: 'service.unavailable',
} as const;

/** The statuses MAX documents ("HTTP response codes" in the schema). */
export const MaxHttpStatus = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  NOT_ALLOWED: 405,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
} as const;

/**
 * An API error of MAX: `code` is the HTTP status (MAX's codes are strings), `key` the
 * string code it keys on. The description starts with the key, so the record a curator
 * sees next to an outcome says which refusal it was.
 */
export class MaxApiError extends ApiError {
  constructor(method: string, httpStatus: number, readonly key: string, message: string, retryAfterSec?: number) {
    super('max', method, httpStatus, `${key}: ${message}`, retryAfterSec, httpStatus);
  }
}

export function decideMax(error: ConnectorError): Decision {
  if (!(error instanceof ApiError)) return decideTransport(error);
  const key = error instanceof MaxApiError ? error.key : '';
  switch (key) {
    case MaxErrorCode.VERIFY_TOKEN:
      return CONFIG;
    case MaxErrorCode.TOO_MANY_REQUESTS:
      return error.retryAfterSec === undefined ? RETRY : waitFromHint(error.retryAfterSec);
    // Sending again is what MAX's documentation says to do until the file is processed.
    case MaxErrorCode.ATTACHMENT_NOT_READY:
    case MaxErrorCode.INTERNAL_ERROR:
    case MaxErrorCode.SERVICE_UNAVAILABLE:
      return RETRY;
    case MaxErrorCode.CHAT_DENIED:
    case MaxErrorCode.COMMENTS_TIMEOUT:
      return PERMANENT;
    default:
      break;
  }
  switch (error.code) {
    case MaxHttpStatus.UNAUTHORIZED:
      return CONFIG;
    case MaxHttpStatus.TOO_MANY_REQUESTS:
      return error.retryAfterSec === undefined ? RETRY : waitFromHint(error.retryAfterSec);
    // 405 on /updates: a webhook subscription is set, and MAX serves either a webhook or
    // long polling, never both. It stays so until an admin removes the subscription.
    case MaxHttpStatus.NOT_ALLOWED:
      return CONFIG;
    default:
      // 400 (a wrong request), 403 (no access), 404 (gone): this item cannot be served.
      return error.code >= 500 ? RETRY : PERMANENT;
  }
}
