import { pino, type Logger } from 'pino';
import { redactSecrets } from '../connectors/redact.js';

export type { Logger };

/**
 * One structured logger per process. Tokens never reach it: connectors redact them
 * before logging, and these paths are censored as a second line of defence; every line is
 * also passed through redactSecrets, which knows the secrets file's values
 * (workers/launch.js registers them), whatever field or message carries one.
 */
export function createLogger(name: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    base: { pid: process.pid, role: name },
    hooks: { streamWrite: redactSecrets },
    redact: { paths: ['token', '*.token', 'accessToken', '*.accessToken', 'access_token', '*.access_token', 'secret', '*.secret'], censor: '[set]' },
  });
}
