import { ApiError, CONFIG, PERMANENT, RETRY, decideTransport, rateLimited, type ConnectorError, type Decision } from '../errors.js';

/** The VK error codes the connector acts on (errors.json of vk-api-schema; vk-io APIErrorCode). */
export const VkErrorCode = {
  UNKNOWN: 1,
  AUTH_FAILED: 5,
  TOO_MANY_PER_SECOND: 6,
  PERMISSION_DENIED: 7,
  FLOOD_CONTROL: 9,
  INTERNAL: 10,
  ACCESS_DENIED: 15,
  VALIDATION_REQUIRED: 17,
  PAGE_DELETED_OR_BANNED: 18,
  GROUP_AUTH_FAILED: 27,
  APP_AUTH_FAILED: 28,
  METHOD_RATE_LIMIT: 29,
  PRIVATE_PROFILE: 30,
  PARAM: 100,
  ACCESS_TO_GROUP_DENIED: 203,
  ACCESS_TO_POST_COMMENTS_DENIED: 212,
  COMMENTS_CLOSED: 213,
  MESSAGES_USER_BLACKLISTED: 900,
  MESSAGES_DENY_SEND: 901,
  MESSAGES_PRIVACY: 902,
} as const;

/** VK gives no wait hint: error 6 is a per-second limit, error 9 a per-action flood window. */
export const VK_TOO_MANY_WAIT_MS = 1_000;
export const VK_FLOOD_WAIT_MS = 60_000;
export const VK_METHOD_LIMIT_WAIT_MS = 60 * 60_000;

/**
 * error → decision for VK, keyed on codes (STYLE 2). "Permanent" errors are the
 * network's "blocked / no access / privacy" answers on which the publisher falls back
 * to a private message or closes as «Готово».
 */
export function decideVk(error: ConnectorError): Decision {
  if (!(error instanceof ApiError)) return decideTransport(error);
  switch (error.code) {
    case VkErrorCode.UNKNOWN:
    case VkErrorCode.INTERNAL:
      return RETRY;
    case VkErrorCode.TOO_MANY_PER_SECOND:
      return rateLimited(VK_TOO_MANY_WAIT_MS);
    case VkErrorCode.FLOOD_CONTROL:
      return rateLimited(VK_FLOOD_WAIT_MS);
    case VkErrorCode.METHOD_RATE_LIMIT:
      return rateLimited(VK_METHOD_LIMIT_WAIT_MS);
    case VkErrorCode.AUTH_FAILED:
    case VkErrorCode.VALIDATION_REQUIRED:
    case VkErrorCode.GROUP_AUTH_FAILED:
    case VkErrorCode.APP_AUTH_FAILED:
    case VkErrorCode.PERMISSION_DENIED:
      return CONFIG;
    default:
      // 15, 18, 30, 203, 212, 213, 900–902 and the rest: this item cannot be served.
      return PERMANENT;
  }
}
