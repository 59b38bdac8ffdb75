import { ApiError, CONFIG, PERMANENT, RETRY, decideTransport, rateLimited, waitFromHint, type ConnectorError, type Decision } from '../errors.js';

/**
 * OK error codes. The official pages do not list them; these are the ones client code
 * and the project's reference notes agree on (../shared/reference/README.md).
 */
export const OkErrorCode = {
  UNKNOWN: 1,
  SERVICE: 2,
  METHOD: 3,
  REQUEST: 4,
  ACTION_BLOCKED: 7,
  FLOOD_BLOCKED: 8,
  PERMISSION_DENIED: 10,
  PARAM: 100,
  PARAM_API_KEY: 101,
  PARAM_SESSION_EXPIRED: 102,
  PARAM_SESSION_KEY: 103,
  PARAM_SIGNATURE: 104,
  NOT_FOUND: 300,
  CENSOR_MATCH: 454,
  FRIEND_RESTRICTION: 455,
  GROUP_RESTRICTION: 456,
  UNAUTHORIZED_RESTRICTION: 457,
  PRIVACY_RESTRICTION: 458,
  COMMENT_NOT_FOUND: 700,
} as const;

/** OK's flood block carries no wait; its window is minutes, not seconds. */
export const OK_FLOOD_WAIT_MS = 5 * 60_000;

export function decideOk(error: ConnectorError): Decision {
  if (!(error instanceof ApiError)) return decideTransport(error);
  switch (error.code) {
    case OkErrorCode.UNKNOWN:
    case OkErrorCode.SERVICE:
      return RETRY;
    case OkErrorCode.FLOOD_BLOCKED:
    case OkErrorCode.ACTION_BLOCKED:
      return error.retryAfterSec === undefined ? rateLimited(OK_FLOOD_WAIT_MS) : waitFromHint(error.retryAfterSec);
    // The application key, the secret or the token is wrong or expired, or the token
    // lacks a permission the administrator must grant: nothing to retry until it is fixed.
    case OkErrorCode.PARAM_API_KEY:
    case OkErrorCode.PARAM_SESSION_EXPIRED:
    case OkErrorCode.PARAM_SESSION_KEY:
    case OkErrorCode.PARAM_SIGNATURE:
    case OkErrorCode.PERMISSION_DENIED:
      return CONFIG;
    default:
      // 454 (the censor rejected the text), 455–458 (friends, group, unauthorized,
      // privacy restrictions), 300/700 (gone), 100 (a parameter): this item cannot be served.
      return PERMANENT;
  }
}
